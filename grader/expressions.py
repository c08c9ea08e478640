"""A small, safe evaluator for numbers typed as expressions (``5/7``, ``exp(3)``, ``2**-3``).

Students may type an answer as arithmetic instead of a decimal. The text is parsed with
:func:`ast.parse` and its tree turned into nested closures by a whitelist: only number
literals, the operators ``+ - * / **``, parentheses, the constants in :data:`CONSTANTS`
and the one-argument functions in :data:`FUNCTIONS` (``log`` also takes a base) are
allowed. Nothing is ever passed to :func:`eval`; names, attributes, subscripts,
keywords, strings and everything else are refused with a message saying what was found.

Only ASCII is read: look-alike letters (``ℯ``, fullwidth ``ｅｘｐ``), which Python would
fold into plain names, are refused with a message naming them. Work is bounded before
it starts: the text is at most :data:`MAX_LENGTH` characters (spaces included),
the tree at most :data:`MAX_DEPTH` levels deep, and an exponent at most
:data:`MAX_EXPONENT` in magnitude. All arithmetic is in floats, so no huge integers
are ever built.

:func:`evaluate` builds the closures and calls them once. :func:`compile_function` also
allows named variables (``-(x**2 + y**2)/2``) and returns the closures as a plain function
of them, for callers that evaluate an expression many times (a log density typed on the
MCMC page).
"""

from __future__ import annotations

import ast
import math
import unicodedata
import warnings
from collections.abc import Callable

__all__ = [
    "CONSTANTS",
    "FUNCTIONS",
    "MAX_DEPTH",
    "MAX_EXPONENT",
    "MAX_LENGTH",
    "ExpressionError",
    "compile_function",
    "evaluate",
]

#: Longest expression accepted, in characters (surrounding whitespace included).
MAX_LENGTH = 200
#: Deepest expression tree accepted (``((1))`` does not count parentheses, ``-(-(1))`` does).
MAX_DEPTH = 50
#: Largest exponent magnitude accepted in ``a ** b``.
MAX_EXPONENT = 1000.0

#: Names a student may use as constants.
CONSTANTS: dict[str, float] = {"pi": math.pi, "e": math.e}


def _log(x: float, base: float | None = None) -> float:
    if base is None:
        return math.log(x)
    return math.log(x, base)


#: Functions a student may call, with the numbers of arguments each accepts.
FUNCTIONS: dict[str, tuple[Callable[..., float], tuple[int, ...]]] = {
    "exp": (math.exp, (1,)),
    "log": (_log, (1, 2)),
    "ln": (math.log, (1,)),
    "log2": (math.log2, (1,)),
    "log10": (math.log10, (1,)),
    "sqrt": (math.sqrt, (1,)),
    "abs": (abs, (1,)),
}

_BINARY: dict[type[ast.operator], Callable[[float, float], float]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.Pow: lambda a, b: a**b,
}
_SYMBOL = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}


class ExpressionError(ValueError):
    """An expression that cannot be evaluated; the message says why, for a student."""


def evaluate(text: str) -> float:
    """Evaluate a typed arithmetic expression to a finite float.

    Parameters
    ----------
    text : str
        The expression, e.g. ``"5/7"``, ``"exp(3)"``, ``"2**-3"``, ``"log(2)"``.

    Returns
    -------
    float
        The value, always finite.

    Raises
    ------
    ExpressionError
        If the text is too long, not valid syntax, uses anything outside the whitelist,
        nests too deeply, raises to a huge power, or evaluates to something undefined
        or infinite.

    Notes
    -----
    ``log(x)`` is the natural logarithm, ``log(x, b)`` the logarithm in base ``b``.
    Evaluation is in IEEE floats: ``5/7`` is ``0.7142857142857143``.

    Examples
    --------
    >>> evaluate("5/7")
    0.7142857142857143
    >>> evaluate("2**-3")
    0.125
    >>> round(evaluate("exp(3)"), 4)
    20.0855
    >>> evaluate("__import__('os')")
    Traceback (most recent call last):
    ...
    grader.expressions.ExpressionError: unknown function '__import__'; allowed: abs, exp, ln, log, log10, log2, sqrt
    """
    closure = _closure(_parse(text), {})
    try:
        value = closure(())
    except ZeroDivisionError:
        raise ExpressionError("division by zero") from None
    except OverflowError:
        raise ExpressionError("the result is too large to represent") from None
    if math.isnan(value):
        raise ExpressionError("the expression is undefined (nan)")
    if math.isinf(value):
        raise ExpressionError("the result is too large to represent")
    return value


def _parse(text: str) -> ast.expr:
    """The checked syntax tree of ``text``: a string, not too long, parseable, not too deep."""
    if not isinstance(text, str):
        raise ExpressionError(f"expected an expression as text, got {type(text).__name__}")
    # Whitespace counts: the limit bounds the work of reading the text, spaces included.
    if len(text) > MAX_LENGTH:
        raise ExpressionError(
            f"the expression is too long ({len(text)} characters; the limit is {MAX_LENGTH})"
        )
    stripped = text.strip()
    if not stripped:
        raise ExpressionError("the expression is empty")
    _check_ascii(stripped)
    try:
        with warnings.catch_warnings():  # e.g. "invalid escape sequence" in a string literal
            warnings.simplefilter("ignore")
            tree = ast.parse(stripped, mode="eval")
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        raise ExpressionError(f"cannot parse {stripped!r} as an arithmetic expression") from None
    _check_depth(tree.body)
    return tree.body


def _check_ascii(text: str) -> None:
    """Refuse any non-ASCII character, naming it and the letter it poses as.

    Python folds look-alikes (``ℯ``, fullwidth ``ｅｘｐ``) into plain names when it
    parses, so an answer could be graded as something other than what it shows.
    """
    for char in text:
        if char.isascii():
            continue
        name = unicodedata.name(char, f"U+{ord(char):04X}")
        folded = unicodedata.normalize("NFKC", char)
        posing = f", which looks like {folded!r}" if folded != char and folded.isascii() else ""
        raise ExpressionError(
            f"only plain ASCII characters are allowed; found {char!r} ({name}){posing}"
        )


def _check_depth(root: ast.AST) -> None:
    """Refuse trees deeper than MAX_DEPTH, iteratively (no recursion to blow up)."""
    stack: list[tuple[ast.AST, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ExpressionError(f"the expression nests too deeply (the limit is {MAX_DEPTH} levels)")
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))


def _describe(node: ast.AST) -> str:
    if isinstance(node, ast.BinOp):
        symbol = {ast.FloorDiv: "//", ast.Mod: "%", ast.MatMult: "@"}.get(type(node.op))
        return f"the operator {symbol!r}" if symbol else "this operator"
    names = {
        ast.Attribute: "an attribute (a.b)",
        ast.Subscript: "indexing (a[b])",
        ast.Compare: "a comparison",
        ast.BoolOp: "'and'/'or'",
        ast.Lambda: "a lambda",
        ast.List: "a list",
        ast.Tuple: "a tuple",
        ast.Dict: "a dict",
        ast.Set: "a set",
        ast.JoinedStr: "an f-string",
        ast.IfExp: "a conditional",
    }
    for kind, label in names.items():
        if isinstance(node, kind):
            return label
    return f"a {type(node).__name__} expression"


# ------------------------------------------------------------------ functions of variables
#: What the tree becomes: a function of the variables' values, in their declared order.
Closure = Callable[[tuple[float, ...]], float]


def compile_function(text: str, variables: tuple[str, ...]) -> Callable[..., float]:
    """Check an expression in ``variables`` once; return it as a function of their values.

    Parameters
    ----------
    text : str
        The expression, e.g. ``"-(x**2 + y**2)/2"``, with the same whitelist as
        :func:`evaluate` plus the names in ``variables``.
    variables : tuple of str
        The argument names, in call order; they may not shadow a constant or function.

    Returns
    -------
    callable
        ``f(*values) -> float``. Where the expression is undefined (``log(-1)``, ``1/0``,
        a negative number to a fractional power) it returns nan; where the result is too
        large for a float, inf. It never raises for a number, so a sampler can call it
        anywhere.

    Raises
    ------
    ExpressionError
        When the text breaks a rule of :func:`evaluate` or names anything else, or an
        exponent that is a number exceeds :data:`MAX_EXPONENT`; the message says what.

    Notes
    -----
    The tree is turned into nested closures over Python floats (no :func:`eval`, no
    code objects), a fraction of a microsecond per operation. A literal exponent above
    :data:`MAX_EXPONENT` is refused here; a computed one gives nan.

    Examples
    --------
    >>> f = compile_function("-(x**2 + y**2)/2", ("x", "y"))
    >>> f(1.0, 2.0)
    -2.5
    >>> compile_function("log(x)", ("x",))(-1.0)
    nan
    >>> compile_function("x.real", ("x",))
    Traceback (most recent call last):
    ...
    grader.expressions.ExpressionError: an attribute (a.b) is not allowed in an expression
    """
    names = tuple(variables)
    for name in names:
        if not isinstance(name, str) or not name.isidentifier():
            raise ExpressionError(f"a variable name must be an identifier; got {name!r}")
        if name in CONSTANTS or name in FUNCTIONS:
            raise ExpressionError(f"the variable {name!r} would hide the constant or function of that name")
    if len(set(names)) != len(names):
        raise ExpressionError(f"variable names must be distinct; got {names}")
    closure = _closure(_parse(text), {name: i for i, name in enumerate(names)})

    def function(*values: float) -> float:
        if len(values) != len(names):
            raise TypeError(f"expected {len(names)} value(s) for {', '.join(names)}; got {len(values)}")
        try:
            return closure(tuple(_as_float(value, name) for value, name in zip(values, names, strict=True)))
        except OverflowError:
            return math.inf
        except (ZeroDivisionError, ValueError):  # ExpressionError is a ValueError
            return math.nan

    return function


def _as_float(value: float, name: str) -> float:
    """A variable's value as a float (ints too: the closures call float methods)."""
    if isinstance(value, str | bytes):
        raise TypeError(f"the value of {name!r} must be a number; got {type(value).__name__}")
    try:
        return float(value)
    except OverflowError:  # an int beyond the float range
        return math.copysign(math.inf, value)
    except (TypeError, ValueError):
        raise TypeError(f"the value of {name!r} must be a number; got {type(value).__name__}") from None


def _closure(node: ast.AST, slots: dict[str, int]) -> Closure:
    """The closure computing ``node`` from the tuple of variable values.

    Everything that can be checked without values (the whitelist, arities, a literal
    exponent) is checked here; the closures raise ExpressionError where a value is
    undefined and let ZeroDivisionError and OverflowError through.
    """
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, int | float):
            raise ExpressionError(f"only numbers are allowed, found {node.value!r}")
        number = float(node.value)
        return lambda v: number
    if isinstance(node, ast.Name):
        if node.id in slots:
            slot = slots[node.id]
            return lambda v: v[slot]
        if node.id in CONSTANTS:
            constant = CONSTANTS[node.id]
            return lambda v: constant
        allowed = f"allowed: {', '.join([*slots, *sorted(CONSTANTS)])}" if slots else (
            f"allowed constants: {', '.join(sorted(CONSTANTS))}"
        )
        raise ExpressionError(f"unknown name {node.id!r}; {allowed}")
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.UAdd | ast.USub):
        operand = _closure(node.operand, slots)
        return (lambda v: -operand(v)) if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        left, right = _closure(node.left, slots), _closure(node.right, slots)
        if isinstance(node.op, ast.Pow):
            if isinstance(node.right, ast.Constant):
                _check_exponent(right(()))  # a literal: refuse it before any value is seen
            return lambda v: _power(left(v), right(v))
        op = _BINARY[type(node.op)]
        return lambda v: op(left(v), right(v))
    if isinstance(node, ast.Call):
        return _call(node, slots)
    raise ExpressionError(f"{_describe(node)} is not allowed in {'an expression' if slots else 'an answer'}")


def _check_exponent(exponent: float) -> None:
    if abs(exponent) > MAX_EXPONENT:
        raise ExpressionError(f"the exponent {exponent:g} is too large (the limit is {MAX_EXPONENT:g})")


def _power(base: float, exponent: float) -> float:
    _check_exponent(exponent)
    if base < 0 and not float(exponent).is_integer():  # Python would return a complex number
        raise ExpressionError("a negative number to a fractional power is not a real number")
    return base**exponent


def _call(node: ast.Call, slots: dict[str, int]) -> Closure:
    allowed = ", ".join(sorted(FUNCTIONS))
    if not isinstance(node.func, ast.Name):
        raise ExpressionError(f"only plain function calls are allowed ({allowed})")
    name = node.func.id
    if name not in FUNCTIONS:
        raise ExpressionError(f"unknown function {name!r}; allowed: {allowed}")
    if node.keywords:
        raise ExpressionError(f"{name}() takes no keyword arguments")
    function, arities = FUNCTIONS[name]
    if len(node.args) not in arities:
        expected = " or ".join(str(a) for a in arities)
        raise ExpressionError(f"{name}() takes {expected} argument(s), got {len(node.args)}")
    arguments = [_closure(arg, slots) for arg in node.args]

    def call(v: tuple[float, ...]) -> float:
        args = [argument(v) for argument in arguments]
        try:
            return float(function(*args))
        except ValueError:
            shown = ", ".join(f"{a:g}" for a in args)
            raise ExpressionError(f"{name}({shown}) is undefined") from None

    return call
