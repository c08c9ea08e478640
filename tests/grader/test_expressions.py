"""The whitelisting expression evaluator: values, refusals with exact messages, fuzzing."""

from __future__ import annotations

import math
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grader.expressions import MAX_DEPTH, MAX_LENGTH, ExpressionError, compile_function, evaluate


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


@settings(max_examples=100)
@given(st.text(max_size=MAX_LENGTH + 20))
def test_fuzz_arbitrary_unicode(text: str) -> None:
    # Any text: a finite float, or an ExpressionError with a message; never another error.
    try:
        value = evaluate(text)
    except ExpressionError as exc:
        assert str(exc)
        if not text.strip().isascii() and len(text) <= MAX_LENGTH:
            # Nothing outside ASCII is ever read, look-alike or not.
            assert "only plain ASCII characters are allowed" in str(exc)
    else:
        assert math.isfinite(value)
        assert text.strip().isascii() and len(text) <= MAX_LENGTH


class TestProbes:
    """Inputs found by probing the evaluator (issue 12, section 3)."""

    def test_whitespace_counts_toward_the_length_limit(self) -> None:
        padded = " " * MAX_LENGTH + "1"
        with pytest.raises(ExpressionError, match=rf"too long \({MAX_LENGTH + 1} characters"):
            evaluate(padded)
        assert evaluate(" " * (MAX_LENGTH - 1) + "1") == 1.0

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("ℯ**2", r"found 'ℯ' \(SCRIPT SMALL E\), which looks like 'e'"),
            ("ｅｘｐ(3)", r"found 'ｅ' \(FULLWIDTH LATIN SMALL LETTER E\), which looks like 'e'"),
            ("2−1", r"found '−' \(MINUS SIGN\)"),
            ("ρ", r"found 'ρ' \(GREEK SMALL LETTER RHO\)$"),
        ],
    )
    def test_look_alike_letters_are_refused_by_name(self, text: str, message: str) -> None:
        # Python itself folds these into ASCII names: ast.parse("ｅｘｐ(3)") calls exp.
        with pytest.raises(ExpressionError, match=message):
            evaluate(text)
        with pytest.raises(ExpressionError, match=message):
            compile_function(text, ("x",))

    @pytest.mark.parametrize(
        ("text", "point", "expected"),
        [
            ("x**y", (-2, 3), -8.0),
            ("x**y", (2, 10), 1024.0),
            ("x**0.5", (-4, 0), math.nan),
            ("x / y", (10**400, 1), math.inf),
            ("log(x) + y", (1, True), 1.0),
        ],
    )
    def test_integer_arguments_are_numbers_too(
        self, text: str, point: tuple[int, int], expected: float
    ) -> None:
        value = compile_function(text, ("x", "y"))(*point)
        assert (math.isnan(value) and math.isnan(expected)) or value == expected

    def test_a_non_number_argument_is_a_type_error(self) -> None:
        with pytest.raises(TypeError, match="the value of 'x' must be a number; got str"):
            compile_function("x", ("x",))("3")


class TestCompileFunction:
    @pytest.mark.parametrize(
        ("text", "point", "expected"),
        [
            # Closed forms written out with math here, independently of the closures.
            ("-(x**2 + y**2)/2", (1.0, 2.0), -2.5),
            ("-0.5*x**2 - 0.5*(y - x**2)**2/0.25", (1.5, -0.5), -0.5 * 1.5**2 - 0.5 * (-0.5 - 2.25) ** 2 / 0.25),
            ("log(x) + 2*log(1 - y)", (0.3, 0.4), math.log(0.3) + 2 * math.log(0.6)),
            ("-8*(sqrt(x**2 + y**2) - 2)**2", (3.0, 4.0), -8 * 9.0),
            ("exp(-abs(x)) * pi + e**y", (-2.0, 1.0), math.exp(-2) * math.pi + math.e),
            ("log(x, 2) - log2(y)", (8.0, 4.0), 1.0),
            ("-x", (3.0, 0.0), -3.0),
            ("+y", (0.0, 3.0), 3.0),
        ],
    )
    def test_values(self, text: str, point: tuple[float, float], expected: float) -> None:
        assert compile_function(text, ("x", "y"))(*point) == pytest.approx(expected, rel=1e-14)

    @pytest.mark.parametrize(
        ("text", "point", "expected"),
        [
            ("log(x)", (-1.0,), math.nan),  # undefined: outside the support
            ("1/x", (0.0,), math.nan),
            ("x**0.5", (-4.0,), math.nan),
            ("exp(x)", (1000.0,), math.inf),  # too large for a float
            ("x**400", (10.0,), math.inf),
        ],
    )
    def test_undefined_is_nan_and_too_large_is_inf(self, text: str, point: tuple[float], expected: float) -> None:
        value = compile_function(text, ("x",))(*point)
        assert (math.isnan(value) and math.isnan(expected)) or value == expected

    @pytest.mark.parametrize(
        ("text", "variables", "message"),
        [
            ("x + z", ("x", "y"), "unknown name 'z'; allowed: x, y, e, pi"),
            ("x.real", ("x",), r"an attribute \(a.b\) is not allowed"),
            ("__import__('os')", ("x",), "unknown function '__import__'"),
            ("x.__class__(1)", ("x",), r"only plain function calls are allowed"),
            ("x**2000", ("x",), "the exponent 2000 is too large"),
            ("[x][0]", ("x",), r"indexing \(a\[b\]\) is not allowed"),
            ("x +", ("x",), "cannot parse"),
            ("x", ("e",), "the variable 'e' would hide the constant or function"),
            ("x", ("x", "x"), "variable names must be distinct"),
            ("x", ("1x",), "a variable name must be an identifier"),
            ("-" * 55 + "x", ("x",), "nests too deeply"),
        ],
    )
    def test_refused_with_message(self, text: str, variables: tuple[str, ...], message: str) -> None:
        with pytest.raises(ExpressionError, match=message):
            compile_function(text, variables)

    def test_wrong_number_of_values(self) -> None:
        with pytest.raises(TypeError, match="expected 2 value"):
            compile_function("x + y", ("x", "y"))(1.0)

    def test_never_calls_builtin_eval(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import builtins

        def forbidden(*args: object) -> None:
            raise AssertionError("eval was called")

        monkeypatch.setattr(builtins, "eval", forbidden)
        monkeypatch.setattr(builtins, "exec", forbidden)
        assert compile_function("exp(x) / 2", ("x",))(3.0) == pytest.approx(math.exp(3) / 2)


@given(st.text(alphabet=_ALPHABET + "y", max_size=120), st.floats(-5, 5), st.floats(-5, 5))
def test_compiled_functions_never_raise_on_numbers(text: str, x: float, y: float) -> None:
    try:
        f = compile_function(text, ("x", "y"))
    except ExpressionError:
        return
    assert isinstance(f(x, y), float)
