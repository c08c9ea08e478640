"""Widgets built from the page contract: hand-typed URL spellings reach the widget."""

from __future__ import annotations

import pytest

from dashboard.common import widgets
from dashboard.common.page_params import Param
from dashboard.topics.fisher.params import PARAMETERIZATIONS
from tests.dashboard.helpers import page_test


def open_page(name: str, **query: str):
    at = page_test(name)
    at.query_params.update(query)
    return at.run()


@pytest.mark.parametrize("spelling", ["bits", "Bits", "BITS"])
def test_a_choice_in_any_case_selects_its_label(spelling):
    at = open_page("entropy.py", unit=spelling, nll_unit=spelling)
    assert not at.exception and not at.warning
    assert at.radio(key="unit").value == "bits"
    assert at.radio(key="nll_unit").value == "bits"


def test_an_internal_name_works_like_its_label():
    at = open_page("fisher.py", ng_param="log_std")
    assert at.radio(key="ng_param").value == PARAMETERIZATIONS["log_std"]
    at = open_page("distributions.py", family="gaussian")
    assert at.selectbox(key="family").value == "Gaussian"
    assert not at.exception and not at.error


def test_an_integral_decimal_fills_an_int_widget():
    at = open_page("beta_binomial.py", heads="10.0")
    assert at.number_input(key="heads").value == 10


def test_an_invalid_value_is_named_and_the_default_kept():
    at = open_page("beta_binomial.py", tails="abc", heads="5000")
    assert not at.exception
    assert at.number_input(key="tails").value == 1 and at.number_input(key="heads").value == 4
    messages = " ".join(w.value for w in at.warning)
    assert "“t: tails observed” was ignored: param `tails`: 'abc' is not a number" in messages
    assert "param `heads`: 5000 is above the maximum 1000" in messages


def test_a_later_change_is_not_undone_by_the_link():
    at = open_page("entropy.py", unit="Bits")
    at.radio(key="unit").set_value("nats").run()
    assert at.radio(key="unit").value == "nats"


INT = Param("n", "n", "int", 3, lo=0, hi=10)
CHOICE = Param("u", "u", "choice", "a", choices=("a", "b"))
TEXT = Param("t", "t", "text", "x")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: widgets.number(CHOICE), r"param `u`: its kind is 'choice', not a number"),
        (lambda: widgets.select(INT), r"param `n`: its kind is 'int', not a choice"),
        (lambda: widgets.text(INT), r"param `n`: its kind is 'int', not text"),
        (lambda: widgets.toggle(TEXT), r"param `t`: its kind is 'text', not a bool"),
        (lambda: widgets.slider(Param("f", "f", "float", 1.0, lo=0.0)), r"param `f`: a slider needs both bounds"),
    ],
)
def test_a_widget_of_the_wrong_kind_is_refused(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_an_unknown_family_is_named_before_any_widget():
    from dashboard.topics.moments.params import PARAMS

    specs = widgets.FamilyWidgets(
        p=PARAMS["clt_p"], probs=PARAMS["clt_probs"], mu=PARAMS["clt_mu"], sigma=PARAMS["clt_sigma"],
        alpha=PARAMS["clt_alpha"], beta=PARAMS["clt_beta"], dirichlet=PARAMS["clt_dirichlet"])
    with pytest.raises(ValueError, match=r"`family` must be one of .*; got 'poisson'"):
        widgets.family_params("poisson", specs)
