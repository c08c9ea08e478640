"""Answer kinds: parsing with exact messages, tolerances, partial credit, misconception matching."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grader.answers import (
    AnswerError,
    Choice,
    MultipleChoice,
    Number,
    Record,
    RecordValue,
    Vector,
    parse_number,
)


class TestParseNumber:
    @pytest.mark.parametrize(
        ("raw", "expected"), [(3, 3.0), (2.5, 2.5), ("5/7", 5 / 7), ("exp(3)", math.exp(3))]
    )
    def test_values(self, raw: object, expected: float) -> None:
        assert parse_number(raw) == pytest.approx(expected, rel=1e-15)

    @pytest.mark.parametrize(
        ("raw", "message"),
        [
            (float("nan"), "the answer must be a finite number; got nan"),
            (float("inf"), "the answer must be a finite number; got inf"),
            (True, 'the answer must be a number or an expression like "5/7"; got true/false'),
            ([1], 'the answer must be a number or an expression like "5/7"; got a list'),
            ({"a": 1}, 'the answer must be a number or an expression like "5/7"; got a table'),
            (None, 'the answer must be a number or an expression like "5/7"; got nothing'),
            ("5/", "the answer: cannot parse '5/' as an arithmetic expression"),
        ],
    )
    def test_refusals(self, raw: object, message: str) -> None:
        with pytest.raises(AnswerError) as info:
            parse_number(raw)
        assert str(info.value) == message


class TestNumber:
    def test_relative_tolerance(self) -> None:
        kind = Number(rtol=1e-3)
        # |x - e| <= 1e-3 * |e|: for e = 20 the band is ±0.02.
        assert kind.evaluate(20.019, 20.0).score == 1.0
        assert kind.evaluate(20.021, 20.0).score == 0.0

    def test_absolute_tolerance_near_zero(self) -> None:
        kind = Number(rtol=1e-3, atol=1e-4)
        assert kind.evaluate(5e-5, 0.0).score == 1.0
        assert kind.evaluate(2e-4, 0.0).parts[0].verdict == "imprecise"

    def test_significant_figures_accept_rounded_answers(self) -> None:
        kind = Number(rtol=1e-6, sig_figs=3)
        e3 = math.exp(3)  # 20.0855...; 3 significant figures: 20.1
        assert kind.evaluate(20.1, e3).score == 1.0
        result = kind.evaluate(20.0, e3)
        assert result.score == 0.0
        assert result.parts[0].verdict == "imprecise"
        assert result.parts[0].message == "close, but not precise enough: give at least 3 significant figures"

    def test_imprecise_hint_without_sig_figs(self) -> None:
        result = Number(rtol=1e-3).evaluate(20.1, 20.0)  # off by 5e-3 relative: 5 tolerances
        assert result.parts[0].message == (
            "close, but not precise enough: the answer must be within 0.1% relative; give more digits"
        )

    def test_far_answer_is_plainly_wrong(self) -> None:
        result = Number(rtol=1e-3).evaluate(25.0, 20.0)
        assert (result.score, result.parts[0].verdict, result.parts[0].message) == (0.0, "wrong", "incorrect")

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"rtol": -1.0}, "`rtol` must be finite and >= 0; got -1.0"),
            ({"atol": float("nan")}, "`atol` must be finite and >= 0; got nan"),
            ({"sig_figs": 0}, "`sig_figs` must be an integer >= 1; got 0"),
            ({"rtol": 0.0}, "`rtol`, `atol` and `sig_figs` cannot all be zero/None"),
        ],
    )
    def test_bad_options(self, kwargs: dict[str, float], message: str) -> None:
        with pytest.raises(ValueError) as info:
            Number(**kwargs)  # type: ignore[arg-type]
        assert str(info.value) == message


class TestVector:
    def test_credit_per_entry(self) -> None:
        kind = Vector(rtol=1e-3, atol=1e-4)
        value = kind.parse(["1/2", 0.3, 0])
        result = kind.evaluate(value, [0.5, 0.5, 0.0])
        assert result.score == pytest.approx(2 / 3)
        assert [p.verdict for p in result.parts] == ["correct", "wrong", "correct"]

    def test_length_mismatch(self) -> None:
        result = Vector().evaluate([1.0], [1.0, 2.0])
        assert result.score == 0.0
        assert result.parts[0].message == "expected 2 numbers, got 1"

    @pytest.mark.parametrize(
        ("raw", "message"),
        [
            (0.5, "the answer must be a list of numbers; got float"),
            ([], "the answer must be a non-empty list of numbers"),
            (" ; ", "the answer must be a non-empty list of numbers"),
            ([0.5, "x"], "entry 1: unknown name 'x'; allowed constants: e, pi"),
            ([0.5, float("nan")], "entry 1 must be a finite number; got nan"),
        ],
    )
    def test_refusals(self, raw: object, message: str) -> None:
        with pytest.raises(AnswerError) as info:
            Vector().parse(raw)
        assert str(info.value) == message


class TestChoice:
    def test_grading(self) -> None:
        kind = Choice(("A", "B", "C"))
        assert kind.evaluate(kind.parse(" B "), "B").score == 1.0
        assert kind.evaluate(kind.parse("A"), "B").score == 0.0

    def test_refusals(self) -> None:
        with pytest.raises(AnswerError, match=r"^'D' is not one of the options: A, B, C$"):
            Choice(("A", "B", "C")).parse("D")
        with pytest.raises(AnswerError, match=r"^the answer must be one option as text; got int$"):
            Choice(("A", "B")).parse(1)

    @pytest.mark.parametrize("options", [("A",), ("A", "A"), ("A", " B"), ["A", "B"]])
    def test_bad_options(self, options: object) -> None:
        with pytest.raises(ValueError, match="`options` must"):
            Choice(options)  # type: ignore[arg-type]


class TestMultipleChoice:
    kind = MultipleChoice(("a", "b", "c", "d"))

    @pytest.mark.parametrize(
        ("chosen", "score"),
        [
            (["a", "b"], 1.0),
            (["a"], 0.5),  # (1 right - 0 wrong) / 2
            (["a", "c"], 0.0),  # (1 - 1) / 2
            (["a", "b", "c", "d"], 0.0),  # choosing everything earns nothing
            ([], 0.0),
        ],
    )
    def test_score(self, chosen: list[str], score: float) -> None:
        result = self.kind.evaluate(self.kind.parse(chosen), frozenset({"a", "b"}))
        assert result.score == score

    def test_refusals(self) -> None:
        with pytest.raises(AnswerError, match=r"^'a' is chosen twice$"):
            self.kind.parse(["a", "a"])
        with pytest.raises(AnswerError, match=r"^'z' is not one of the options: a, b, c, d$"):
            self.kind.parse(["z"])
        with pytest.raises(AnswerError, match=r"^the answer must be a list of options; got text$"):
            self.kind.parse("a")

    def test_expected_must_not_be_empty(self) -> None:
        with pytest.raises(ValueError, match="at least one option"):
            self.kind.normalise([])


class TestRecord:
    kind = Record({"alpha": Number(atol=1e-6, rtol=0.0), "mean": Number(rtol=1e-3), "mle": Number(rtol=1e-3)})
    expected = RecordValue({"alpha": 8.0, "mean": 2 / 3, "mle": 0.7})

    def test_partial_credit_per_field(self) -> None:
        value = self.kind.parse({"alpha": 8, "mean": "0.7", "mle": "7/10"})
        result = self.kind.evaluate(value, self.expected)
        assert result.score == pytest.approx(2 / 3)
        assert [(p.part, p.verdict) for p in result.parts] == [
            ("alpha", "correct"),
            ("mean", "wrong"),
            ("mle", "correct"),
        ]

    def test_weights(self) -> None:
        kind = Record({"a": Number(), "b": Number()}, weights={"a": 3.0, "b": 1.0})
        result = kind.evaluate(kind.parse({"a": 1, "b": 0}), RecordValue({"a": 1.0, "b": 1.0}))
        assert result.score == 0.75

    def test_bad_fields_get_their_own_message_and_the_rest_is_graded(self) -> None:
        value = self.kind.parse({"alpha": 8, "mean": float("nan"), "extra": 1})
        result = self.kind.evaluate(value, self.expected)
        assert result.score == pytest.approx(1 / 3)
        assert [(p.part, p.verdict, p.message) for p in result.parts] == [
            ("alpha", "correct", "correct"),
            ("mean", "invalid", "field 'mean' must be a finite number; got nan"),
            ("mle", "missing", "missing field 'mle'"),
            ("extra", "invalid", "unknown field 'extra'; the fields are alpha, mean, mle"),
        ]

    def test_not_a_table(self) -> None:
        with pytest.raises(AnswerError) as info:
            self.kind.parse(0.7)
        assert str(info.value) == "the answer must be a table with the fields alpha, mean, mle; got float"

    def test_partial_misconception_matching(self) -> None:
        value = self.kind.parse({"alpha": 8, "mean": 0.7, "mle": 0.7})
        assert self.kind.matches(value, {"mean": 0.7})
        assert not self.kind.matches(value, {"mean": 0.6})
        assert not self.kind.matches(self.kind.parse({"alpha": 8}), {"mean": 0.7})

    def test_wrong_raw_overrides_only_the_misconception_fields(self) -> None:
        assert self.kind.wrong_raw(self.expected, {"mean": 0.7}) == {"alpha": 8.0, "mean": 0.7, "mle": 0.7}

    @pytest.mark.parametrize(
        ("fields", "weights", "message"),
        [
            ({}, None, "`fields` must name at least one field"),
            ({"a b": Number()}, None, "`fields` names must be identifiers; got 'a b'"),
            ({"a": 1.0}, None, "`fields['a']` must be a Number; got 1.0"),
            ({"a": Number()}, {"b": 1.0}, "`weights` must give a weight for exactly the fields"),
            ({"a": Number()}, {"a": 0.0}, "`weights` must be finite and > 0"),
        ],
    )
    def test_bad_definitions(self, fields: dict[str, object], weights: object, message: str) -> None:
        with pytest.raises(ValueError) as info:
            Record(fields, weights)  # type: ignore[arg-type]
        assert str(info.value) == message


class TestToleranceInWords:
    @pytest.mark.parametrize(
        ("kind", "words"),
        [
            (Number(rtol=1e-3), "within 0.1% relative"),
            (Number(rtol=1e-4), "within 0.01% relative"),
            (Number(rtol=1e-5), "within 0.001% relative"),
            (Number(rtol=0.0, atol=1e-6), "within ±0.000001"),
            (Number(rtol=1e-3, atol=1e-6), "within 0.1% relative, or within ±0.000001"),
            (Number(rtol=1e-6, sig_figs=3), "to 3 significant figures"),
            (Number(sig_figs=1), "to 1 significant figure"),
        ],
    )
    def test_number(self, kind: Number, words: str) -> None:
        assert kind.tolerance_words() == words
        assert kind.describe().endswith(", " + words)

    def test_vector_states_the_tolerance_of_each_entry(self) -> None:
        assert Vector(rtol=1e-3).describe() == "a list of numbers, e.g. [0.1, 0.9], each within 0.1% relative"

    def test_record_fields_each_state_their_tolerance(self) -> None:
        # interview.uniform_perplexity's case: a field at 1e-4 relative must say so.
        kind = Record({"nll": Number(rtol=1e-4), "perplexity": Number(rtol=1e-3)})
        assert kind.describe() == (
            "a table of numbers with the fields nll (within 0.01% relative), "
            "perplexity (within 0.1% relative)"
        )

    def test_record_with_one_shared_tolerance_says_it_once(self) -> None:
        kind = Record({"mean": Number(rtol=1e-5), "second_moment": Number(rtol=1e-5)})
        assert kind.describe() == "a table of numbers with the fields mean, second_moment, each within 0.001% relative"

    def test_words_match_what_is_graded(self) -> None:
        # "within 0.01% relative" of 2.0 is ±0.0002: inside scores 1, just outside does not.
        kind = Number(rtol=1e-4)
        assert kind.evaluate(2.00019, 2.0).score == 1.0
        assert kind.evaluate(2.00021, 2.0).score == 0.0


class TestThousandsSeparators:
    @pytest.mark.parametrize(
        ("raw", "value"),
        [("50,257", 50257.0), ("1,000,000", 1e6), ("-1,234.5", -1234.5), (" 999,999 ", 999999.0)],
    )
    def test_a_number_as_printed_is_one_number(self, raw: str, value: float) -> None:
        assert parse_number(raw) == value
        assert Number(rtol=0.0, atol=0.5).evaluate(parse_number(raw), value).score == 1.0

    @pytest.mark.parametrize("raw", ["1, 2", "1,2", "50,25", "1,2345", "12345,678"])
    def test_other_commas_are_not_thousands(self, raw: str) -> None:
        with pytest.raises(AnswerError, match=r"cannot parse|tuple|list|comma|not allowed"):
            parse_number(raw)

    @pytest.mark.parametrize(
        ("raw", "entries"),
        [
            ("1, 2", [1.0, 2.0]),
            ("0.2,0.8", [0.2, 0.8]),
            ("1,2", [1.0, 2.0]),
            ("50,257, 3", [50257.0, 3.0]),
            ("50,257;1,000,000", [50257.0, 1e6]),
            ("log(8, 2), 1/3\n2", [3.0, 1 / 3, 2.0]),
        ],
    )
    def test_a_vector_typed_as_text_splits_into_entries(self, raw: str, entries: list[float]) -> None:
        assert Vector().parse(raw) == pytest.approx(entries, rel=1e-15)

    def test_vector_list_items_may_use_separators(self) -> None:
        assert Vector().parse(["50,257", "1, 2"][:1]) == [50257.0]
        with pytest.raises(AnswerError, match=r"^entry 0: "):
            Vector().parse(["1, 2"])  # one entry holding two numbers

    def test_record_fields_may_use_separators(self) -> None:
        value = Record({"vocab": Number(rtol=0.0, atol=0.5)}).parse({"vocab": "50,257"})
        assert value.values == {"vocab": 50257.0} and value.problems == {}


class TestShownExpected:
    @pytest.mark.parametrize(
        ("kind", "expected", "shown"),
        [
            (Number(rtol=1e-3), math.exp(3), 20.09),
            (Number(rtol=1e-4), math.log(50257), 10.825),
            (Number(rtol=1e-6, sig_figs=3), math.exp(3), 20.1),
            (Number(rtol=0.0, atol=1e-6), 0.25, 0.25),
            (Number(rtol=1e-3), 50257.0, 50257.0),  # no digits rounded away before the point
            (Number(rtol=1e-3), 0.0, 0.0),
        ],
    )
    def test_number_is_rounded_to_its_tolerance(self, kind: Number, expected: float, shown: float) -> None:
        assert kind.shown(expected) == shown
        assert kind.evaluate(kind.shown(expected), expected).score == 1.0

    def test_vector_and_record_round_each_part(self) -> None:
        assert Vector(rtol=1e-3).shown([1 / 3, 2 / 3]) == [0.3333, 0.6667]
        record = Record({"a": Number(rtol=1e-3), "b": Number(sig_figs=2)})
        assert record.shown(record.normalise({"a": 1 / 7, "b": 2 / 3})) == {"a": 0.1429, "b": 0.67}

    @given(
        st.floats(min_value=-1e12, max_value=1e12, allow_nan=False).filter(lambda x: abs(x) > 1e-300),
        st.sampled_from([1e-2, 1e-3, 1e-4, 1e-6, 1e-9]),
        st.sampled_from([None, 2, 3, 5]),
    )
    def test_the_shown_value_always_scores_full_marks(self, expected: float, rtol: float, sig_figs: int | None) -> None:
        kind = Number(rtol=rtol, sig_figs=sig_figs)
        shown = kind.shown(expected)
        assert kind.evaluate(shown, expected).score == 1.0
        assert len(repr(shown)) <= len(repr(expected)) + 2  # never longer than the raw float
