"""The code answer kind: the student writes a function, property checks grade it.

An exercise with a :class:`Code` answer declares the function's name and parameters,
the modules it may import, and (from ``solve``) its :class:`Checks`: inputs drawn from
the variant's ``rng`` plus named edge cases, each with core's answer. Grading:

1. :meth:`Code.parse` reads the source (text, ``{code = "..."}``, or a file a
   submission named) and refuses, with the line, what must never run: a syntax error,
   an import other than the allowed modules, the ready-made function for the thing
   asked, ``exec``/``eval``/``__import__``, invisible bidirectional-text characters, a
   missing function or one with the wrong number of parameters.
2. :meth:`Code.evaluate` runs the trusted harness (:mod:`grader.code_harness`) over the
   checks in the sandbox (:func:`grader.sandbox.run`); the student's code never runs
   in this process. The harness returns plain JSON.
3. The comparison with core happens here, outside the sandbox: per check, correct or
   the input, the expected value and what came back (shortened), or the exception and
   its line in the student's code. The score is the share of checks passed.

A misconception's answer is a :class:`Checks` of the same inputs with the wrong
outputs (say, entropies in bits where nats were asked); it is recognised when every
check it gives matches. :data:`NONFINITE` stands for "an inf or nan somewhere" (a
softmax that overflows) and :data:`ANY` for "not part of this mistake".
"""

from __future__ import annotations

import ast
import atexit
import json
import math
import os
import threading
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from grader.answers import AnswerError, AnswerKind, Evaluation, PartResult, _decimal
from grader.code_harness import SUBMISSION_FILE, build_arg

__all__ = [
    "ANY",
    "BANNED_NAMES",
    "MAX_SOURCE_CHARS",
    "NONFINITE",
    "WORKERS_ENV",
    "Check",
    "Checks",
    "Code",
    "CodeOutputs",
    "CodeValue",
    "check_source",
    "checks_from",
    "compare",
]

#: Longest source accepted (characters).
MAX_SOURCE_CHARS = 64_000
#: Names whose use is refused before anything runs: ways around the import rule.
BANNED_NAMES = ("__import__", "exec", "eval", "compile", "breakpoint", "globals", "__builtins__", "__loader__")
#: Why a number differs when nothing more specific can be said (left out of the message).
_DIFFERENT = "a different value"
#: TOML's multi-line literal string quotes, as the sheet shows them.
_TRIPLE = "\'" * 3
#: Longest rendering of one value in feedback.
_SHOWN_CHARS = 90


class _Marker:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


#: A misconception's output "contains an inf or a nan" (an overflow, a 0·log 0).
NONFINITE = _Marker("NONFINITE")
#: A misconception says nothing about this check.
ANY = _Marker("ANY")


def _plain(value: Any) -> Any:
    """Core's output as plain Python: floats, bools, lists (tuples become lists)."""
    if value is ANY or value is NONFINITE:
        return value
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, np.ndarray):
        return _plain(value.tolist())
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, int | float | np.integer | np.floating):
        return float(value)
    raise ValueError(f"a check's expected value must be numbers, booleans or lists; got {type(value).__name__}")


@dataclass(frozen=True)
class Check:
    """One call of the student's function: a name, the argument specs, core's answer.

    ``args`` are JSON specs as :func:`grader.code_harness.build_arg` reads them (a list
    is a float array; ``{"$rng": seed}`` a generator; ``{"$gaussian": ...}`` a
    callable). ``shown`` is how the input is described in feedback (by default the
    arguments themselves).
    """

    name: str
    args: tuple[Any, ...]
    expected: Any
    shown: str = ""


@dataclass(frozen=True)
class Checks:
    """The checks of one variant (what a code exercise's ``solve`` returns)."""

    checks: tuple[Check, ...]

    def payload_args(self) -> list[list[Any]]:
        """Each check's argument specs, as the harness's payload carries them."""
        return [list(c.args) for c in self.checks]


def checks_from(cases: Sequence[tuple[str, Sequence[Any]] | tuple[str, Sequence[Any], str]],
                reference: Callable[..., Any]) -> Checks:
    """Build :class:`Checks` by calling ``reference`` (core) on each case's arguments.

    Parameters
    ----------
    cases : sequence of (name, args) or (name, args, shown)
        Argument specs as the harness reads them.
    reference : callable
        ``reference(*args)`` with the built arguments (the same the student's function
        gets); may return :data:`ANY` or :data:`NONFINITE` for a misconception.
    """
    built = []
    for case in cases:
        name, args = case[0], tuple(case[1])
        shown = str(case[2]) if len(case) > 2 else ""
        with np.errstate(all="ignore"):  # a misconception's overflow is its answer
            expected = _plain(reference(*[build_arg(a) for a in args]))
        built.append(Check(name, args, expected, shown))
    return Checks(tuple(built))


# -- reading the source ----------------------------------------------------------------


def _words(names: Sequence[str]) -> str:
    return ", ".join(names) if names else "nothing"


def check_source(
    source: str,
    *,
    function: str,
    params: Sequence[str],
    imports: Sequence[str],
    ready_made: Sequence[str] = (),
) -> None:
    """Refuse source that must not run; the :class:`grader.AnswerError` names the line.

    Parameters
    ----------
    source : str
        The student's code.
    function : str
        The function it must define at the top level.
    params : sequence of str
        The parameters it is called with (by position).
    imports : sequence of str
        The top-level modules it may import (``numpy``, ``math``).
    ready_made : sequence of str
        Dotted names of ready-made functions for the thing asked
        (``scipy.special.log_softmax``): refused with their own message.
    """
    if len(source) > MAX_SOURCE_CHARS:
        raise AnswerError(f"the code has {len(source)} characters; the limit is {MAX_SOURCE_CHARS}")
    if not source.strip():
        raise AnswerError(f"the code is empty; define a function {function}({', '.join(params)})")
    for number, text in enumerate(source.splitlines(), start=1):
        for char in text:
            if char == "\0" or (unicodedata.category(char) == "Cf" and char != "\ufeff"):
                raise AnswerError(
                    f"line {number}: the invisible character U+{ord(char):04X} "
                    f"({unicodedata.name(char, 'control')}) is not allowed in code"
                )
    try:
        tree = ast.parse(source, filename=SUBMISSION_FILE)
    except SyntaxError as exc:
        raise AnswerError(f"line {exc.lineno}: syntax error: {exc.msg}") from None
    except (ValueError, RecursionError, MemoryError) as exc:
        raise AnswerError(f"the code cannot be read: {exc}") from None
    allowed = tuple(imports)
    for node in ast.walk(tree):
        line = getattr(node, "lineno", "?")
        if isinstance(node, ast.Import):
            for alias in node.names:
                _check_import(alias.name, line, allowed, ready_made, f"import {alias.name}")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                raise AnswerError(f"line {line}: relative imports are not allowed; import only {_words(allowed)}")
            module = node.module or ""
            for alias in node.names:
                _check_import(f"{module}.{alias.name}", line, allowed, ready_made, f"from {module} import {alias.name}")
        elif isinstance(node, ast.Name) and node.id in BANNED_NAMES:
            raise AnswerError(f"line {line}: `{node.id}` is not allowed in this exercise")
        elif isinstance(node, ast.Attribute) and node.attr in BANNED_NAMES:
            raise AnswerError(f"line {line}: `{node.attr}` is not allowed in this exercise")
    _check_function(tree, function, params)


def _check_import(name: str, line: Any, allowed: tuple[str, ...], ready_made: Sequence[str], text: str) -> None:
    if name in ready_made:
        raise AnswerError(f"line {line}: `{text}` is the ready-made function for what this exercise asks; write it yourself")
    top = name.split(".", 1)[0]
    if top not in allowed:
        raise AnswerError(f"line {line}: `{text}` is not allowed: this exercise may import only {_words(allowed)}")


def _check_function(tree: ast.Module, function: str, params: Sequence[str]) -> None:
    wanted = f"{function}({', '.join(params)})"
    defined = [n for n in tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    match = [n for n in defined if n.name == function]
    if not match:
        others = ", ".join(n.name for n in defined)
        where = f" (it defines {others})" if others else ""
        raise AnswerError(f"define a function {wanted} at the top level of the code{where}")
    node = match[-1]
    if isinstance(node, ast.AsyncFunctionDef):
        raise AnswerError(f"line {node.lineno}: {function} must be a plain function, not async")
    args = node.args
    positional = [a.arg for a in (*args.posonlyargs, *args.args)]
    required = len(positional) - len(args.defaults)
    required_kw = [a.arg for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True) if d is None]
    fits = required <= len(params) and (len(positional) >= len(params) or args.vararg is not None)
    if not fits or required_kw:
        theirs = ", ".join(positional + [f"*, {k}" for k in required_kw])
        raise AnswerError(
            f"line {node.lineno}: {function} is called as {wanted}, with {len(params)} "
            f"argument{'s' if len(params) != 1 else ''}; yours takes ({theirs})"
        )


# -- values -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CodeValue:
    """A submitted function's source (and the file it came from, if any)."""

    source: str
    file: str | None = None
    #: Sandbox results by checks' arguments, so misconceptions reuse the one run.
    runs: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class CodeOutputs:
    """What a function returned per check, as the harness reports it.

    ``results`` holds one ``{"value": ...}`` or ``{"error": {...}}`` per check;
    ``problem`` is a message for the whole run (import failed, time ran out).
    """

    results: tuple[Mapping[str, Any], ...] = ()
    problem: str | None = None


def _from_json(value: Any) -> Any:
    if isinstance(value, str):
        if value in ("inf", "-inf", "nan"):
            return float(value)
        raise ValueError("text in a result")
    if isinstance(value, list):
        return [_from_json(v) for v in value]
    if value is None or isinstance(value, bool | int | float):
        return value
    raise ValueError(f"a {type(value).__name__} in a result")


def _read_result(result: Any, n_checks: int) -> CodeOutputs:
    """The harness's JSON as :class:`CodeOutputs`; anything malformed is the code's fault."""
    bad = CodeOutputs(problem="the code's results could not be read (did it change how results are reported?)")
    if not isinstance(result, dict):
        return bad
    error = result.get("import_error")
    if error is not None:
        return CodeOutputs(problem=_error_words(error, "importing your code"))
    rows = result.get("results")
    if not isinstance(rows, list) or len(rows) != n_checks:
        return bad
    out: list[Mapping[str, Any]] = []
    for row in rows:
        if isinstance(row, dict) and "value" in row:
            try:
                out.append({"value": _from_json(row["value"])})
            except (ValueError, RecursionError):
                return bad
        elif isinstance(row, dict) and isinstance(row.get("error"), dict):
            out.append({"error": row["error"]})
        else:
            return bad
    return CodeOutputs(tuple(out))


def _error_words(error: Any, when: str) -> str:
    if not isinstance(error, dict):
        return f"{when} failed"
    kind = str(error.get("type") or "an error")[:40]
    message = _short(str(error.get("message") or ""))
    line, code = error.get("line"), error.get("code")
    where = ""
    if isinstance(line, int):
        where = f" at line {line}" + (f" (`{_short(str(code), 60)}`)" if code else "")
    if kind == "result":
        return message
    return f"{when} raised {kind}{where}" + (f": {message}" if message else "")


def _short(text: str, limit: int = _SHOWN_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _shown(value: Any) -> str:
    if value is NONFINITE:
        return "a value with inf or nan"
    return _short(json.dumps(_round(value), allow_nan=True).replace("NaN", "nan").replace("Infinity", "inf"))


def _round(value: Any, digits: int = 6) -> Any:
    if isinstance(value, list):
        return [_round(v, digits) for v in value]
    if isinstance(value, float) and math.isfinite(value):
        return float(f"{value:.{digits}g}")
    return value


def _shown_arg(arg: Any) -> str:
    if isinstance(arg, dict) and "$rng" in arg:
        return f"default_rng({arg['$rng']})"
    if isinstance(arg, dict) and "$gaussian" in arg:
        return "a Gaussian target's " + str(arg.get("$part", "grad_log_density"))
    if arg is None:
        return "None"
    if isinstance(arg, str) and arg not in ("inf", "-inf", "nan"):
        return repr(arg)
    return _short(json.dumps(_round(arg, 4)).replace('"', ""), 60)


# -- comparison -------------------------------------------------------------------------------


def _nonfinite(value: Any) -> bool:
    if isinstance(value, list):
        return any(_nonfinite(v) for v in value)
    return isinstance(value, float) and not math.isfinite(value)


def compare(got: Any, expected: Any, *, rtol: float, atol: float) -> str:
    """"" when ``got`` matches ``expected`` (numbers within ``atol + rtol·|e|``), else why not.

    inf matches an inf of the same sign and nan matches nan; a boolean matches a
    boolean (or 0/1); a list matches a list of the same length, entry by entry.
    """
    if expected is ANY:
        return ""
    if expected is NONFINITE:
        return "" if _nonfinite(got) else "all finite"
    if isinstance(expected, bool):
        if isinstance(got, bool) or (type(got) in (int, float) and got in (0, 1)):
            return "" if bool(got) == expected else "a different true/false"
        return "not true/false"
    if isinstance(expected, list):
        if not isinstance(got, list):
            return f"a single value where {len(expected)} were expected"
        if len(got) != len(expected):
            return f"{len(got)} values where {len(expected)} were expected"
        for g, e in zip(got, expected, strict=True):
            reason = compare(g, e, rtol=rtol, atol=atol)
            if reason:
                return reason
        return ""
    if isinstance(got, bool) or not isinstance(got, int | float):
        return "a list where one number was expected" if isinstance(got, list) else "not a number"
    if math.isnan(expected) or math.isnan(got):
        return "" if math.isnan(expected) and math.isnan(got) else _DIFFERENT
    if math.isinf(expected) or math.isinf(got):
        return "" if got == expected else _DIFFERENT
    return "" if abs(got - expected) <= atol + rtol * abs(expected) else _DIFFERENT


# -- the answer kind -------------------------------------------------------------------------


_harness_lock = threading.Lock()
_harness_source: str | None = None


def harness_source() -> str:
    """The trusted harness's source text, as the sandbox runs it."""
    global _harness_source
    with _harness_lock:
        if _harness_source is None:
            from grader import code_harness

            _harness_source = Path(code_harness.__file__).read_text(encoding="utf-8")
        return _harness_source


_pool_lock = threading.Lock()
_pool: Any = None
_threads: ThreadPoolExecutor | None = None


def sandbox_pool() -> tuple[Any, ThreadPoolExecutor]:
    """The process's pool of warm sandboxed workers and the threads that talk to it.

    Started on first use, closed at exit. bubblewrap's ``--die-with-parent`` ties a
    worker to the *thread* that started it, and Streamlit runs each page run in a thread
    that ends; so workers are started, and replaced, only from these long-lived threads.
    """
    global _pool, _threads
    with _pool_lock:
        if _pool is None or _threads is None:
            from grader.sandbox import Pool, default_size  # bubblewrap workers

            size = _pool_size(default_size())
            _threads = ThreadPoolExecutor(max_workers=size, thread_name_prefix="probstats-sandbox")
            _pool = _threads.submit(Pool, size=size).result()
            atexit.register(_close_pool)
        return _pool, _threads


def _close_pool() -> None:
    global _pool, _threads
    with _pool_lock:
        if _pool is not None:
            _pool.close()
        if _threads is not None:
            _threads.shutdown(wait=False)
        _pool, _threads = None, None


#: The number of warm sandboxed workers grading code in this process (default: one per core).
WORKERS_ENV = "PROBSTATS_SANDBOX_WORKERS"


def _pool_size(default: int) -> int:
    value = os.environ.get(WORKERS_ENV, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"{WORKERS_ENV} must be a whole number of workers >= 1; got {value!r}")
    return int(value)


def _run_in_sandbox(source: str, function: str, checks: Checks) -> CodeOutputs:
    """One sandboxed run of the harness over ``checks``; never runs the code here."""
    payload = {"function": function, "checks": [{"args": args} for args in checks.payload_args()]}
    pool, threads = sandbox_pool()
    outcome = threads.submit(pool.run, harness_source(), files={SUBMISSION_FILE: source}, payload=payload).result()
    if outcome.status != "ok":
        # The sandbox's own words: "your code ran past the 5 s CPU limit", ...
        return CodeOutputs(problem=outcome.message or f"the sandbox stopped your code ({outcome.status})")
    return _read_result(outcome.result, len(checks.checks))


@dataclass(frozen=True)
class Code(AnswerKind):
    """A Python function, graded by property checks run in the sandbox.

    Parameters
    ----------
    function : str
        The function's name (``"log_softmax"``).
    params : tuple of str
        Its parameters, in the order it is called with.
    imports : tuple of str
        Top-level modules the code may import.
    ready_made : tuple of str
        Dotted names of ready-made functions for the thing asked; refused by name.
    returns : str
        What it returns, in words, for the sheet (``"a numpy array like logits"``).
    rtol, atol : float
        Tolerance of each number compared with core's.
    """

    kind: ClassVar[str] = "code"
    function: str = "f"
    params: tuple[str, ...] = ()
    imports: tuple[str, ...] = ("numpy", "math")
    ready_made: tuple[str, ...] = ()
    returns: str = ""
    rtol: float = 1e-6
    atol: float = 1e-9

    def __post_init__(self) -> None:
        if not self.function.isidentifier():
            raise ValueError(f"`function` must be a Python name; got {self.function!r}")
        if not all(isinstance(p, str) and p.isidentifier() for p in self.params):
            raise ValueError(f"`params` must be Python names; got {self.params!r}")
        for name, tol in (("rtol", self.rtol), ("atol", self.atol)):
            if not (math.isfinite(tol) and tol >= 0):
                raise ValueError(f"`{name}` must be finite and >= 0; got {tol}")
        if self.rtol == 0 and self.atol == 0:
            raise ValueError("`rtol` and `atol` cannot both be zero")

    @property
    def signature(self) -> str:
        """``log_softmax(logits)``."""
        return f"{self.function}({', '.join(self.params)})"

    def starter(self) -> str:
        """Starter code for the sheet and the web page's code area."""
        imports = "".join(f"import {m}{' as np' if m == 'numpy' else ''}\n" for m in self.imports)
        return f"{imports}\n\ndef {self.signature}:\n    ...\n"

    # -- reading -------------------------------------------------------------------------

    def parse(self, raw: Any) -> CodeValue:
        file = None
        if isinstance(raw, Mapping):
            unknown = sorted(set(raw) - {"code", "file", "unreadable"})
            if unknown:
                raise AnswerError(f"a code answer is a table with `code` (or `file`); unknown key(s): {', '.join(unknown)}")
            if "unreadable" in raw:
                raise AnswerError(str(raw["unreadable"]))
            if "code" not in raw:
                raise AnswerError("a `file` answer is read only from a submission file, relative to it")
            file = raw.get("file")
            raw = raw["code"]
        if not isinstance(raw, str):
            raise AnswerError(f"a code answer must be text (the function's source); got {type(raw).__name__}")
        check_source(raw, function=self.function, params=self.params, imports=self.imports, ready_made=self.ready_made)
        return CodeValue(raw, file if isinstance(file, str) else None)

    def normalise(self, expected: Any) -> Checks:
        if not isinstance(expected, Checks) or not expected.checks:
            raise ValueError("a code exercise's solve must return grader.Checks with at least one check")
        for check in expected.checks:
            json.dumps(check.args, allow_nan=False)  # the payload must be plain JSON
            if check.expected is ANY or check.expected is NONFINITE:
                raise ValueError(f"check {check.name!r}: the expected answer must be a value")
        names = [c.name for c in expected.checks]
        if len(set(names)) != len(names):
            raise ValueError("the checks' names must be distinct")
        return expected

    def normalise_wrong(self, wrong: Any) -> Checks:
        if not isinstance(wrong, Checks) or not wrong.checks:
            raise ValueError("a code misconception must return grader.Checks")
        return wrong

    # -- running and comparing ------------------------------------------------------------

    def outputs(self, value: Any, checks: Checks) -> CodeOutputs:
        """What the function returned on ``checks``: run once per value and set of inputs."""
        if isinstance(value, CodeOutputs):
            return value
        key = json.dumps(checks.payload_args(), sort_keys=True)
        if key not in value.runs:
            value.runs[key] = _run_in_sandbox(value.source, self.function, checks)
        result: CodeOutputs = value.runs[key]
        return result

    def evaluate(self, value: Any, expected: Any) -> Evaluation:
        out = self.outputs(value, expected)
        n = len(expected.checks)
        if out.problem is not None:
            return Evaluation(0.0, (PartResult("answer", "invalid", 0.0, out.problem),))
        parts = []
        for check, row in zip(expected.checks, out.results, strict=True):
            parts.append(self._verdict(check, row))
        passed = sum(p.score for p in parts)
        return Evaluation(passed / n, tuple(parts))

    def _verdict(self, check: Check, row: Mapping[str, Any]) -> PartResult:
        if "error" in row:
            words = _error_words(row["error"], f"on {self._shown_args(check)} your function")
            return PartResult(check.name, "wrong", 0.0, words)
        reason = compare(row["value"], check.expected, rtol=self.rtol, atol=self.atol)
        if not reason:
            return PartResult(check.name, "correct", 1.0, "correct")
        why = "" if reason == _DIFFERENT else f" ({reason})"
        message = f"on {self._shown_args(check)}: expected {_shown(check.expected)}, got {_shown(row['value'])}{why}"
        return PartResult(check.name, "wrong", 0.0, message)

    def _shown_args(self, check: Check) -> str:
        """The check's input as feedback shows it: ``logits=[1.2, -0.5]``."""
        if check.shown:
            return check.shown
        names = self.params if len(self.params) == len(check.args) else [f"arg{i}" for i in range(len(check.args))]
        return ", ".join(f"{name}={_shown_arg(arg)}" for name, arg in zip(names, check.args, strict=True))

    def matches(self, value: Any, wrong: Any) -> bool:
        out = self.outputs(value, wrong)
        if out.problem is not None:
            return False
        given = [(c, r) for c, r in zip(wrong.checks, out.results, strict=True) if c.expected is not ANY]
        return bool(given) and all(
            "value" in r and not compare(r["value"], c.expected, rtol=self.rtol, atol=self.atol) for c, r in given
        )

    def as_typed(self, expected: Any) -> CodeOutputs:
        """The outputs of a function that returns core's answer on every check."""
        return CodeOutputs(tuple({"value": c.expected} for c in expected.checks))

    def as_typed_wrong(self, expected: Any, wrong: Any) -> CodeOutputs:
        """The outputs of a function holding the misconception ``wrong`` (see module doc)."""
        rows = []
        for right, bad in zip(expected.checks, wrong.checks, strict=True):
            value = right.expected if bad.expected is ANY else bad.expected
            rows.append({"value": _nan_like(right.expected) if value is NONFINITE else value})
        return CodeOutputs(tuple(rows))

    # -- what students see -------------------------------------------------------------

    def to_raw(self, value: Any) -> Any:
        if isinstance(value, CodeValue):
            return {"code": value.source}
        return {"code": ""}

    def shown(self, expected: Any) -> Any:
        """The checks' names: a code answer's expected value is never revealed as code."""
        return [c.name for c in expected.checks]

    def describe(self) -> str:
        allowed = ", ".join(self.imports) if self.imports else "no modules"
        returns = f" returning {self.returns}" if self.returns else ""
        tol = f"{_decimal(self.rtol)} relative" if self.rtol else f"±{_decimal(self.atol)}"
        return (
            f"Python code defining `{self.signature}`{returns} (it may import {allowed}); "
            f"graded by property checks against the course's reference, within {tol}; in a "
            f"submission file `{{ code = {_TRIPLE}...{_TRIPLE} }}` or `{{ file = \"{self.function}.py\" }}`"
        )

    def template(self) -> Any:
        return {"code": ""}


def _nan_like(value: Any) -> Any:
    if isinstance(value, list):
        return [_nan_like(v) for v in value]
    return float("nan")
