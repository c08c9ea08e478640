"""The whitelisting expression evaluator: values, refusals with exact messages, fuzzing."""

from __future__ import annotations

import math
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grader.expressions import MAX_DEPTH, MAX_LENGTH, ExpressionError, evaluate


class TestValues:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            # Closed forms computed by the math module, written out independently.
            ("5/7", 5 / 7),
            ("exp(3)", math.exp(3)),
            ("2**-3", 0.125),
            ("log(2)", math.log(2)),
            ("log(8, 2)", 3.0),
            ("ln(e)", 1.0),
            ("log2(1024)", 10.0),
            ("log10(1000)", 3.0),
            ("sqrt(2)/2", math.sqrt(2) / 2),
            ("-(1 - 3) * +4", 8.0),
            ("abs(-2.5)", 2.5),
            ("2 * pi", 2 * math.pi),
            ("1e-3", 0.001),
            ("  20.09 ", 20.09),
            ("(-8)**(1/1)", -8.0),
        ],
    )
    def test_value(self, text: str, expected: float) -> None:
        assert evaluate(text) == pytest.approx(expected, rel=1e-15)


class TestRefusals:
    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("", "the expression is empty"),
            ("2**", "cannot parse '2**' as an arithmetic expression"),
            ("__import__('os')", "unknown function '__import__'; allowed: abs, exp, ln, log, log10, log2, sqrt"),
            ("os.system('ls')", "only plain function calls are allowed (abs, exp, ln, log, log10, log2, sqrt)"),
            ("x + 1", "unknown name 'x'; allowed constants: e, pi"),
            ("(1).real", "an attribute (a.b) is not allowed in an answer"),
            ("[1][0]", "indexing (a[b]) is not allowed in an answer"),
            ("'a'", "only numbers are allowed, found 'a'"),
            ("True", "only numbers are allowed, found True"),
            ("1 if 1 else 2", "a conditional is not allowed in an answer"),
            ("lambda: 1", "a lambda is not allowed in an answer"),
            ("7 // 2", "the operator '//' is not allowed in an answer"),
            ("7 % 2", "the operator '%' is not allowed in an answer"),
            ("1 < 2", "a comparison is not allowed in an answer"),
            ("exp(x=1)", "exp() takes no keyword arguments"),
            ("exp(1, 2)", "exp() takes 1 argument(s), got 2"),
            ("log()", "log() takes 1 or 2 argument(s), got 0"),
            ("1/0", "division by zero"),
            ("log(0)", "log(0) is undefined"),
            ("sqrt(-1)", "sqrt(-1) is undefined"),
            ("10**1001", "the exponent 1001 is too large (the limit is 1000)"),
            ("2**2**2**2**2", "the exponent 65536 is too large (the limit is 1000)"),
            ("10.0**400", "the result is too large to represent"),
            ("exp(1000)", "the result is too large to represent"),
            ("1e400", "the result is too large to represent"),
            ("(-8)**(1/3)", "a negative number to a fractional power is not a real number"),
            ("-" * 55 + "1", f"the expression nests too deeply (the limit is {MAX_DEPTH} levels)"),
            ("1+" * 60 + "1", f"the expression nests too deeply (the limit is {MAX_DEPTH} levels)"),
            ("1" * (MAX_LENGTH + 1), f"the expression is too long ({MAX_LENGTH + 1} characters; the limit is {MAX_LENGTH})"),
        ],
    )
    def test_refused_with_message(self, text: str, message: str) -> None:
        with pytest.raises(ExpressionError) as info:
            evaluate(text)
        assert str(info.value) == message

    def test_non_text_is_refused(self) -> None:
        with pytest.raises(ExpressionError, match="expected an expression as text, got int"):
            evaluate(3)  # type: ignore[arg-type]

    def test_never_calls_builtin_eval(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import builtins

        def forbidden(*args: object) -> None:
            raise AssertionError("eval was called")

        monkeypatch.setattr(builtins, "eval", forbidden)
        monkeypatch.setattr(builtins, "exec", forbidden)
        assert evaluate("exp(3) / 2") == pytest.approx(math.exp(3) / 2)


# Characters students type, plus the ones an attacker would try.
_ALPHABET = "0123456789.+-*/() eEpixlogsqrtab_,[]'\"%<=!\\"


@given(st.text(alphabet=_ALPHABET, max_size=250))
def test_fuzz_never_crashes_and_is_fast(text: str) -> None:
    start = time.perf_counter()
    try:
        value = evaluate(text)
    except ExpressionError:
        pass
    else:
        assert math.isfinite(value)
    # The 10 ms budget is recorded, not asserted on time alone: a failure here means an
    # input that did real work (team rule: no timing assertions, so it is generous).
    assert time.perf_counter() - start < 1.0


@given(st.text(max_size=300))
def test_fuzz_arbitrary_unicode(text: str) -> None:
    try:
        evaluate(text)
    except ExpressionError:
        pass
