"""Integration: the dashboard's real ``PageParams`` (dashboard/common/page_params.py) used
as grader's ``PageContract``, through the ``register_pages`` hook.

The pages declared here are small ones written for the test; the dashboard's own page
declarations are tested on its side.
"""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from dashboard.common.page_params import PageParams, Param
from grader import DashboardLink, PageContract, build_registry, check_exercise
from grader.scaffold import write_plugin_package
from tests.grader.helpers import ExercisesPlugin, PagesPlugin, doubling

DOUBLE = PageParams(
    "double", "Doubling", (Param("x", "x", "int", 1, lo=1, hi=999, help="The number to double."),)
)
# The inputs the Entropy & perplexity page binds today that the scaffold's exercise uses.
ENTROPY = PageParams(
    "entropy",
    "Entropy & perplexity",
    (
        Param("tokens", "Tokens", "text", "the, a", max_chars=300),
        Param("p_logits", "Logits of P", "text", "1.0, 0.0", max_chars=300),
        Param("unit", "Unit", "choice", "nats", choices=("nats", "bits")),
    ),
)


def registry_of(*plugins):
    return build_registry(builtin=False, autoload=False, plugins_dir="", extra_plugins=plugins)


def test_page_params_is_a_page_contract() -> None:
    assert isinstance(DOUBLE, PageContract)


def test_a_link_out_of_bounds_is_refused_naming_exercise_page_key_and_bound() -> None:
    exercise = doubling(dashboard=DashboardLink("double", lambda p: {"x": p["x"] + 1000}))
    registry = registry_of(("pages", PagesPlugin(DOUBLE)), ("mine", ExercisesPlugin(exercise)))
    (error,) = [str(e) for e in registry.errors]
    assert error.startswith("plugin 'mine': exercise 'demo.double': dashboard link to page 'double': ")
    assert "`x`" in error and "999" in error


def test_an_unknown_key_lists_the_valid_keys() -> None:
    exercise = doubling(dashboard=DashboardLink("double", lambda p: {"y": 1}))
    registry = registry_of(("pages", PagesPlugin(DOUBLE)), ("mine", ExercisesPlugin(exercise)))
    (error,) = [str(e) for e in registry.errors]
    assert "unknown key" in error and "'y'" in error and "'x'" in error


def test_the_url_is_the_contracts_link() -> None:
    exercise = doubling(dashboard=DashboardLink("double", lambda p: {"x": p["x"]}))
    registry = registry_of(("pages", PagesPlugin(DOUBLE)), ("mine", ExercisesPlugin(exercise)))
    assert registry.errors == []
    url = registry.get("demo.double").dashboard_url({"x": 12})
    assert url == "/" + DOUBLE.link({"x": 12})
    assert dict(parse_qsl(urlsplit(url).query)) == {"x": "12"}
    assert check_exercise(registry.get("demo.double"), n_variants=20, pages=registry.pages).problems == []


def test_the_scaffold_registers_against_the_entropy_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = write_plugin_package("coinpage", tmp_path)
    monkeypatch.syspath_prepend(str(folder))
    import probstats_coinpage

    registry = registry_of(("pages", PagesPlugin(ENTROPY)), ("probstats_coinpage", probstats_coinpage))
    assert registry.errors == []
    result = check_exercise(registry.get("coinpage.coin_entropy"), n_variants=30, pages=registry.pages)
    assert result.problems == []
    sys.modules.pop("probstats_coinpage", None)
