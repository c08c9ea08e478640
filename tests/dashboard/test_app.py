"""AppTest tests of the whole app through streamlit_app.py and st.navigation."""

from __future__ import annotations

import pytest

from dashboard.common.pages import PAGES
from tests.dashboard.helpers import app_test, metric


@pytest.fixture
def at():
    return app_test().run()


def test_home_page_is_served_at_the_root(at):
    assert not at.exception
    assert [t.value for t in at.title] == ["ProbStats Lab"]


def test_home_page_links_every_other_registered_page(at):
    links = {link.proto.page for link in at.get("page_link")}
    expected = {spec.url_path for spec in PAGES if not spec.default}
    assert expected <= links


@pytest.mark.parametrize("spec", [s for s in PAGES if not s.default], ids=lambda s: s.url_path)
def test_every_page_runs_through_the_navigation(at, spec):
    at.switch_page(spec.path).run()
    assert not at.exception
    assert not at.error  # the default inputs are valid
    assert at.title[0].value != "ProbStats Lab"


def test_query_params_open_a_page_with_the_shared_inputs(at):
    at.switch_page("topics/beta_binomial/page.py")
    at.query_params.update({"alpha0": "1", "beta0": "1", "heads": "7", "tails": "3"})
    at.run()
    assert not at.exception
    # Course Q6: Beta(8, 4), mean 8/12, MAP 7/10.
    assert metric(at, "Posterior mean") == f"{8 / 12:.3f}"
    assert metric(at, "MAP (posterior mode)") == "0.700"
