"""Every exercise's dashboard link names a real page and only that page's URL-bound inputs.

A page is the ``url_path`` of a :class:`dashboard.common.pages.PageSpec`; its query
parameters are the keys of its contract (``dashboard/topics/<topic>/params.py``). Then one variant per (page, query keys) combination of
the theory topics opens its page in streamlit's AppTest, which must show no error and hold
the link's values in its widgets.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.common.pages import DASHBOARD_DIR, PAGES
from dashboard.common.registry import all_page_params
from grader import build_registry, variant_for

REGISTRY = build_registry()
PAGE_FILES = {spec.url_path: DASHBOARD_DIR / spec.path for spec in PAGES}
CONTRACTS = {contract.url_path: contract for contract in all_page_params()}
N_STUDENTS = 20

def bound_keys(page: str) -> frozenset[str]:
    """The query keys of ``page``: the keys of its contract."""
    assert page in CONTRACTS, f"{page!r} has no params contract: {sorted(CONTRACTS)}"
    return frozenset(CONTRACTS[page].keys)


def test_every_topic_page_has_a_contract() -> None:
    topic_pages = {spec.url_path for spec in PAGES if spec.path.startswith("topics/") and spec.url_path != "home"}
    assert topic_pages <= set(CONTRACTS), sorted(topic_pages - set(CONTRACTS))


@pytest.mark.parametrize("exercise_id", sorted(REGISTRY.exercises))
def test_link_names_a_real_page_and_its_query_keys(exercise_id: str) -> None:
    exercise = REGISTRY.get(exercise_id)
    assert exercise.dashboard is not None, "every exercise links the page that shows it"
    page = exercise.dashboard.page
    assert page in PAGE_FILES, f"{page!r} is not a page: {sorted(PAGE_FILES)}"
    allowed = bound_keys(page)
    for i in range(N_STUDENTS):
        params = variant_for(f"s{i}", exercise, secret="links").params
        url = urlsplit(exercise.dashboard_url(params))
        assert url.path == f"/{page}"
        query = dict(parse_qsl(url.query))
        unknown = set(query) - allowed
        assert not unknown, f"query keys {sorted(unknown)} are not URL-bound inputs of {page!r}"
        for key in ("probs", "joint", "clt_probs", "trap_p", "trap_q"):
            if key in query:
                # Probabilities typed into the page must sum to 1 within core's tolerance.
                numbers = [float(x) for x in re.split(r"[,;\s]+", query[key].strip()) if x]
                assert abs(sum(numbers) - 1.0) <= 1e-6, (key, query[key])


def test_interview_links_carry_the_students_numbers() -> None:
    # Q3: the Entropy & perplexity page opens on the student's own NLL and unit.
    exercise = REGISTRY.get("interview.perplexity_from_nll")
    params = variant_for("s1", exercise, secret="links").params
    query = dict(parse_qsl(urlsplit(exercise.dashboard_url(params)).query))
    assert query == {"nll": str(params["nll"]), "nll_unit": "nats"}
    # Q6: the Beta-Binomial page opens on the student's flips with the uniform prior.
    exercise = REGISTRY.get("interview.beta_binomial_posterior")
    params = variant_for("s1", exercise, secret="links").params
    query = dict(parse_qsl(urlsplit(exercise.dashboard_url(params)).query))
    assert {k: float(v) for k, v in query.items()} == {
        "alpha0": 1.0, "beta0": 1.0, "heads": params["heads"], "tails": params["tails"]
    }


def _representatives() -> list[str]:
    """One exercise of the catalogue's theory topics per (page, query keys) combination."""
    seen: dict[tuple[str, frozenset[str]], str] = {}
    for eid in sorted(REGISTRY.exercises):
        exercise = REGISTRY.get(eid)
        if exercise.topic not in ("interview", "information", "moments", "bayes", "distributions"):
            continue
        url = urlsplit(exercise.dashboard_url(variant_for("s1", exercise, secret="links").params))
        seen.setdefault((exercise.dashboard.page, frozenset(dict(parse_qsl(url.query)))), eid)
    return sorted(seen.values())


@pytest.mark.parametrize("exercise_id", _representatives())
def test_page_opens_on_the_students_variant(exercise_id: str) -> None:
    # The page, run with the link's query parameters, shows no error: the values fit
    # the widgets (ranges, options) and the inputs parse, and each widget holds the
    # link's value.
    exercise = REGISTRY.get(exercise_id)
    url = urlsplit(exercise.dashboard_url(variant_for("s1", exercise, secret="links").params))
    at = AppTest.from_file(str(PAGE_FILES[exercise.dashboard.page]), default_timeout=60)
    at.query_params.update(dict(parse_qsl(url.query)))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    contract = CONTRACTS.get(exercise.dashboard.page)
    for key, value in parse_qsl(url.query):
        # The widget shows the contract's reading of the value (an alias becomes its label).
        expected = _normal(value if contract is None else contract[key].parse(value))
        assert _shown(at, key) == expected, f"{key}: the page shows {_shown(at, key)!r}, the link says {value!r}"


_WIDGETS = ("number_input", "slider", "text_input", "text_area", "radio", "selectbox")


def _normal(value: object) -> object:
    """Numbers as floats, text without case or surrounding spaces, for comparison."""
    try:
        return round(float(value), 9)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(value).strip().lower()


def _shown(at: AppTest, key: str) -> object:
    """The value the page's widget with ``key`` holds."""
    for kind in _WIDGETS:
        for widget in at.get(kind):
            if widget.key == key:
                return _normal(widget.value)
    raise AssertionError(f"no widget with key {key!r}")
