"""The registry of page contracts, the grader plugin that hands them over, and every link."""

from __future__ import annotations

import importlib
import re

import pytest

from dashboard.common import pages_plugin
from dashboard.common.page_params import PageParams
from dashboard.common.pages import DASHBOARD_DIR, PAGES
from dashboard.common.registry import PAGE_PARAMS, TOPICS, all_page_params, page_params
from grader import build_registry, variant_for

SPECS = {spec.url_path: spec for spec in PAGES}


def test_the_plugin_registers_every_contract_once():
    registered: list[PageParams] = []
    pages_plugin.register_pages(registered.append)
    assert registered == list(all_page_params())
    assert len({c.url_path for c in registered}) == len(registered) == len(TOPICS)


def test_every_topic_page_has_a_contract():
    # A page in dashboard/topics/<topic>/page.py (the home page aside) declares its URL keys.
    topics = {spec.path.split("/")[1] for spec in PAGES if spec.path.startswith("topics/")}
    assert topics - {"home"} == set(TOPICS)


def test_the_plugin_is_a_grader_hook_implementation():
    # pluggy finds hooks by the marker grader.hookimpl puts on the function.
    assert hasattr(pages_plugin.register_pages, "probstats_impl")


@pytest.mark.parametrize("contract", PAGE_PARAMS, ids=lambda c: c.url_path)
def test_each_contract_names_a_real_page_and_its_title(contract):
    spec = SPECS[contract.url_path]
    assert contract.title == spec.title
    assert spec.path.endswith("/page.py")


# The MCMC page builds its keys per sampler and side and writes the URL itself (hidden
# controls leave it); tests/dashboard/mcmc checks that its URL matches the screen.
@pytest.mark.parametrize("topic", [t for t in TOPICS if t != "mcmc"])
def test_the_page_builds_a_widget_from_every_key_and_binds_nothing_by_hand(topic):
    source = (DASHBOARD_DIR / "topics" / topic / "page.py").read_text(encoding="utf-8")
    contract = importlib.import_module(f"dashboard.topics.{topic}.params").PARAMS
    assert set(re.findall(r'PARAMS\["([^"]+)"\]', source)) == set(contract.keys)
    assert 'bind="query-params"' not in source
    assert "widgets.normalise_query(PARAMS)" in source


def test_an_unknown_page_is_named():
    with pytest.raises(KeyError, match=r"no page contract for 'information'; pages: \['moments'"):
        page_params("information")


def test_repeated_pages_are_refused(monkeypatch):
    from dashboard.common import registry

    monkeypatch.setattr(registry, "PAGE_PARAMS", (*PAGE_PARAMS, PAGE_PARAMS[0]))
    with pytest.raises(ValueError, match=r"more than one contract for the pages \['moments'\]"):
        registry.all_page_params()


REGISTRY = build_registry()
LINKED = sorted(
    e.id for e in REGISTRY.exercises.values() if e.dashboard is not None and e.dashboard.page in {c.url_path for c in PAGE_PARAMS}
)


@pytest.mark.parametrize("exercise_id", LINKED)
def test_every_exercise_link_resolves_against_its_pages_contract(exercise_id):
    exercise = REGISTRY.get(exercise_id)
    contract = page_params(exercise.dashboard.page)
    for i in range(10):
        params = variant_for(f"s{i}", exercise, secret="contract").params
        values = {} if exercise.dashboard.params is None else exercise.dashboard.params(params)
        assert contract.link(values).startswith(contract.url_path)
