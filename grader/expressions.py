"""A small, safe evaluator for numbers typed as expressions (``5/7``, ``exp(3)``, ``2**-3``).

Students may type an answer as arithmetic instead of a decimal. The text is parsed with
:func:`ast.parse` and walked by a whitelisting evaluator: only number literals, the
operators ``+ - * / **``, parentheses, the constants in :data:`CONSTANTS` and the
one-argument functions in :data:`FUNCTIONS` (``log`` also takes a base) are allowed.
Nothing is ever passed to :func:`eval`; names, attributes, subscripts, keywords,
strings and everything else are refused with a message saying what was found.

Work is bounded before it starts: the text is at most :data:`MAX_LENGTH` characters,
the tree at most :data:`MAX_DEPTH` levels deep, and an exponent at most
:data:`MAX_EXPONENT` in magnitude. All arithmetic is in floats, so no huge integers
are ever built.
"""

from __future__ import annotations

import ast
import math
import warnings
from collections.abc import Callable

__all__ = [
    "CONSTANTS",
    "FUNCTIONS",
    "MAX_DEPTH",
    "MAX_EXPONENT",
    "MAX_LENGTH",
    "ExpressionError",
    "evaluate",
]

#: Longest expression accepted, in characters.
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
    if not isinstance(text, str):
        raise ExpressionError(f"expected an expression as text, got {type(text).__name__}")
    stripped = text.strip()
    if not stripped:
        raise ExpressionError("the expression is empty")
    if len(stripped) > MAX_LENGTH:
        raise ExpressionError(
            f"the expression is too long ({len(stripped)} characters; the limit is {MAX_LENGTH})"
        )
    try:
        with warnings.catch_warnings():  # e.g. "invalid escape sequence" in a string literal
            warnings.simplefilter("ignore")
            tree = ast.parse(stripped, mode="eval")
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        raise ExpressionError(f"cannot parse {stripped!r} as an arithmetic expression") from None
    _check_depth(tree.body)
    try:
        value = _eval(tree.body)
    except ZeroDivisionError:
        raise ExpressionError("division by zero") from None
    except OverflowError:
        raise ExpressionError("the result is too large to represent") from None
    if math.isnan(value):
        raise ExpressionError("the expression is undefined (nan)")
    if math.isinf(value):
        raise ExpressionError("the result is too large to represent")
    return value


def _check_depth(root: ast.AST) -> None:
    """Refuse trees deeper than MAX_DEPTH, iteratively (no recursion to blow up)."""
    stack: list[tuple[ast.AST, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ExpressionError(f"the expression nests too deeply (the limit is {MAX_DEPTH} levels)")
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))


def _eval(node: ast.AST) -> float:
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, int | float):
            raise ExpressionError(f"only numbers are allowed, found {node.value!r}")
        return float(node.value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.UAdd | ast.USub):
        operand = _eval(node.operand)
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        left, right = _eval(node.left), _eval(node.right)
        if isinstance(node.op, ast.Pow) and abs(right) > MAX_EXPONENT:
            raise ExpressionError(
                f"the exponent {right:g} is too large (the limit is {MAX_EXPONENT:g})"
            )
        if isinstance(node.op, ast.Pow) and left < 0 and not right.is_integer():
            raise ExpressionError("a negative number to a fractional power is not a real number")
        return _BINARY[type(node.op)](left, right)
    if isinstance(node, ast.Name):
        if node.id in CONSTANTS:
            return CONSTANTS[node.id]
        allowed = ", ".join(sorted(CONSTANTS))
        raise ExpressionError(f"unknown name {node.id!r}; allowed constants: {allowed}")
    if isinstance(node, ast.Call):
        return _call(node)
    raise ExpressionError(f"{_describe(node)} is not allowed in an answer")


def _call(node: ast.Call) -> float:
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
    args = [_eval(arg) for arg in node.args]
    try:
        return float(function(*args))
    except ValueError:
        shown = ", ".join(f"{a:g}" for a in args)
        raise ExpressionError(f"{name}({shown}) is undefined") from None


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
