"""The page-parameter contract: parsing, checking, canonical URL text and links."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import numpy as np
import pytest

from dashboard.common.page_params import PageParams, Param

ALPHA = Param("alpha0", "Prior α", "float", 2.0, lo=0.1, hi=50.0, step=0.1, help="Prior pseudo-heads.")
HEADS = Param("heads", "Heads", "int", 3, lo=0, hi=1000, step=1)
UNIT = Param("unit", "Unit", "choice", "nats", choices=("nats", "bits"), aliases={"nat": "nats", "shannon": "bits"})
TARGET = Param("target", "Target", "choice", "Funnel", choices=("Gaussian", "Funnel"), aliases={"funnel_2d": "Funnel"})
TOKENS = Param("tokens", "Tokens", "text", "a, b", max_chars=10)
SHOW = Param("show", "Show", "bool", False)
PAGE = PageParams("beta-binomial", "Beta-Binomial", (ALPHA, HEADS, UNIT, TOKENS, SHOW))


# --- parse: URL text -> typed value ------------------------------------------------------


def test_float_parse_reads_text_and_keeps_bounds_inclusive() -> None:
    assert ALPHA.parse(" 2.5 ") == 2.5
    assert ALPHA.parse("0.1") == 0.1 and ALPHA.parse("50") == 50.0
    assert isinstance(ALPHA.parse("3"), float)


@pytest.mark.parametrize("raw", ["abc", "", "1,5"])
def test_float_parse_rejects_non_numbers(raw: str) -> None:
    with pytest.raises(ValueError, match=r"`alpha0`.*is not a number"):
        ALPHA.parse(raw)


@pytest.mark.parametrize("raw", ["nan", "inf", "-inf", "NaN"])
def test_float_parse_rejects_non_finite(raw: str) -> None:
    with pytest.raises(ValueError, match=r"`alpha0`.*not a finite number"):
        ALPHA.parse(raw)


def test_float_parse_names_the_bound_it_breaks() -> None:
    with pytest.raises(ValueError, match=r"`alpha0`: 0.05 is below the minimum 0.1"):
        ALPHA.parse("0.05")
    with pytest.raises(ValueError, match=r"`alpha0`: 51.0 is above the maximum 50.0"):
        ALPHA.parse("51")


def test_int_parse_accepts_integer_text_including_integral_decimals() -> None:
    assert HEADS.parse("7") == 7 and type(HEADS.parse("7")) is int
    assert HEADS.parse("10.0") == 10 and type(HEADS.parse("10.0")) is int


@pytest.mark.parametrize("raw", ["2.5", "1e-3"])
def test_int_parse_rejects_non_integers(raw: str) -> None:
    with pytest.raises(ValueError, match=r"`heads`.*is not an integer"):
        HEADS.parse(raw)


def test_int_parse_rejects_words_and_bounds() -> None:
    with pytest.raises(ValueError, match=r"`heads`.*is not a number"):
        HEADS.parse("three")
    with pytest.raises(ValueError, match=r"`heads`: -1 is below the minimum 0"):
        HEADS.parse("-1")
    with pytest.raises(ValueError, match=r"`heads`: 1001 is above the maximum 1000"):
        HEADS.parse("1001")
    with pytest.raises(ValueError, match=r"`heads`.*not a finite number"):
        HEADS.parse("inf")


@pytest.mark.parametrize("raw", ["bits", "Bits", "BITS", " bits ", "shannon", "SHANNON"])
def test_choice_parse_accepts_labels_and_aliases_in_any_case(raw: str) -> None:
    assert UNIT.parse(raw) == "bits"


def test_choice_parse_returns_the_label_for_an_internal_name() -> None:
    assert TARGET.parse("funnel") == "Funnel"
    assert TARGET.parse("FUNNEL_2D") == "Funnel"


def test_choice_parse_lists_choices_and_aliases_on_error() -> None:
    with pytest.raises(ValueError, match=r"`unit`: 'hartleys' is not one of \['nats', 'bits'\] \(or aliases"):
        UNIT.parse("hartleys")


@pytest.mark.parametrize(("raw", "expected"), [("true", True), ("False", False), ("1", True), ("0", False)])
def test_bool_parse(raw: str, expected: bool) -> None:
    assert SHOW.parse(raw) is expected


def test_bool_parse_rejects_other_words() -> None:
    with pytest.raises(ValueError, match=r"`show`: 'maybe' is not true or false"):
        SHOW.parse("maybe")


def test_text_parse_keeps_whitespace_and_enforces_max_chars() -> None:
    assert TOKENS.parse(" a\nb ") == " a\nb "
    with pytest.raises(ValueError, match=r"`tokens`: the text has 11 characters, more than the maximum 10"):
        TOKENS.parse("x" * 11)


def test_parse_rejects_non_strings() -> None:
    with pytest.raises(TypeError, match=r"`heads`: parse\(\) takes the URL text, got int"):
        HEADS.parse(3)  # type: ignore[arg-type]


# --- check: Python value -> canonical value ----------------------------------------------


def test_check_converts_numbers_and_reads_strings() -> None:
    assert ALPHA.check(2) == 2.0 and isinstance(ALPHA.check(2), float)
    assert ALPHA.check(np.float64(0.5)) == 0.5
    assert HEADS.check(np.int64(4)) == 4 and type(HEADS.check(np.int64(4))) is int
    assert HEADS.check(5.0) == 5
    assert HEADS.check("6") == 6
    assert UNIT.check("Nat") == "nats"
    assert SHOW.check(np.bool_(True)) is True


def test_check_rejects_non_integers_for_an_int() -> None:
    with pytest.raises(ValueError, match=r"`heads`: 2.5 is not an integer"):
        HEADS.check(2.5)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -np.inf])
def test_check_rejects_non_finite_floats(value: float) -> None:
    with pytest.raises(ValueError, match=r"`alpha0`.*not a finite number"):
        ALPHA.check(value)


def test_check_enforces_bounds() -> None:
    with pytest.raises(ValueError, match=r"`alpha0`: 60.0 is above the maximum 50.0"):
        ALPHA.check(60)
    with pytest.raises(ValueError, match=r"`heads`: -2 is below the minimum 0"):
        HEADS.check(-2)


@pytest.mark.parametrize(("param", "value", "expected"), [
    (ALPHA, True, "number"), (HEADS, None, "number"), (ALPHA, [1.0], "number"),
    (SHOW, 1, "bool"), (TOKENS, 3, "string"), (UNIT, 1, "string"),
])
def test_check_rejects_wrong_types(param: Param, value: object, expected: str) -> None:
    with pytest.raises(TypeError, match=rf"`{param.key}`: expected a {expected}"):
        param.check(value)


# --- to_query: canonical URL text --------------------------------------------------------


def test_to_query_round_trips_through_parse() -> None:
    for param, value in [(ALPHA, 0.1 + 0.2), (HEADS, 12), (UNIT, "Bits"), (SHOW, True), (TOKENS, "a,b")]:
        text = param.to_query(value)
        assert param.parse(text) == param.check(value)
    assert ALPHA.to_query(2) == "2.0"
    assert UNIT.to_query("SHANNON") == "bits"
    assert SHOW.to_query(False) == "false"


def test_to_query_checks_the_value() -> None:
    with pytest.raises(ValueError, match=r"`heads`.*below the minimum 0"):
        HEADS.to_query(-1)


# --- declarations ------------------------------------------------------------------------


def test_declaration_checks_its_own_default() -> None:
    with pytest.raises(ValueError, match=r"param `p`: the `default` is invalid: .*above the maximum 1.0"):
        Param("p", "p", "float", 2.0, lo=0.0, hi=1.0)
    with pytest.raises(ValueError, match=r"param `u`: the `default` is invalid: .*not one of"):
        Param("u", "u", "choice", "x", choices=("a", "b"))


def test_declaration_rejects_inconsistent_specs() -> None:
    with pytest.raises(ValueError, match=r"param `k`: `kind` must be one of"):
        Param("k", "k", "complex", 1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"param `k`: `lo` \(2.0\) must not exceed `hi` \(1.0\)"):
        Param("k", "k", "float", 1.5, lo=2.0, hi=1.0)
    with pytest.raises(ValueError, match=r"param `k`: a choice parameter needs `choices`"):
        Param("k", "k", "choice", "a")
    with pytest.raises(ValueError, match=r"param `k`: `aliases` \{'z': 'c'\} point at labels not in choices"):
        Param("k", "k", "choice", "a", choices=("a", "b"), aliases={"z": "c"})
    with pytest.raises(ValueError, match=r"param `k`: `choices` \['a', 'A'\] repeat a label"):
        Param("k", "k", "choice", "a", choices=("a", "A"))
    with pytest.raises(ValueError, match=r"`key` must be a non-empty string"):
        Param("", "k", "int", 1)


def test_params_are_hashable_even_with_aliases() -> None:
    assert len({UNIT, TARGET, ALPHA}) == 3


def test_page_rejects_repeated_keys() -> None:
    with pytest.raises(ValueError, match=r"page `x`: keys \['heads'\] are declared more than once"):
        PageParams("x", "X", (HEADS, HEADS))


# --- PageParams --------------------------------------------------------------------------


def test_getitem_and_contains() -> None:
    assert PAGE["heads"] is HEADS
    assert "unit" in PAGE and "nope" not in PAGE
    assert PAGE.keys == ("alpha0", "heads", "unit", "tokens", "show")
    assert PAGE.defaults()["alpha0"] == 2.0
    with pytest.raises(KeyError, match=r"page `beta-binomial` has no key 'nope'; valid keys: \['alpha0'"):
        PAGE["nope"]


def test_link_writes_canonical_values_in_declaration_order() -> None:
    url = PAGE.link({"unit": "Bits", "heads": "3", "alpha0": 2})
    assert url == "beta-binomial?alpha0=2.0&heads=3&unit=bits"
    assert PAGE.link({}) == "beta-binomial"


def test_link_encodes_text_so_it_reads_back() -> None:
    url = PAGE.link({"tokens": "a, b&c"})
    assert parse_qs(urlsplit(url).query) == {"tokens": ["a, b&c"]}


def test_link_rejects_unknown_keys_listing_valid_ones() -> None:
    with pytest.raises(ValueError, match=r"page `beta-binomial`: unknown keys \['tails'\]; valid keys: \['alpha0', 'heads'"):
        PAGE.link({"heads": 1, "tails": 2})


def test_link_rejects_out_of_bounds_values_naming_page_and_key() -> None:
    with pytest.raises(ValueError, match=r"page `beta-binomial`: param `heads`: 5000 is above the maximum 1000"):
        PAGE.link({"heads": 5000})
    with pytest.raises(ValueError, match=r"page `beta-binomial`: param `show`: expected a bool"):
        PAGE.link({"show": 3})


def test_normalise_splits_valid_and_invalid_values() -> None:
    canonical, errors = PAGE.normalise({"unit": "BITS", "heads": "2.5", "alpha0": "3", "other": "x"})
    assert canonical == {"unit": "bits", "alpha0": "3.0"}
    assert list(errors) == ["heads"] and "not an integer" in errors["heads"]
