"""The trusted harness that calls a student's function inside the sandbox.

This module's source is what :func:`grader.sandbox.run` executes in a fresh sandboxed
child whose working folder holds ``submission.py``. :func:`main` imports the student's
module, builds each check's arguments from JSON specs (arrays, a seeded ``rng``, the
log density or its gradient of a Gaussian target), calls the function once per check
and returns plain JSON: numbers, lists, booleans, ``None`` and the strings ``"inf"``,
``"-inf"`` and ``"nan"`` for non-finite floats. Anything else a function returns is a
per-check error, never a crash: values are converted by exact type, so an object whose
``__eq__``, ``__float__`` or ``__array__`` lies or raises is never asked to speak.

The grader imports this module too (it is ours), but only for :func:`build_arg`, to
build the same arguments for core when it computes the expected answers. It never
calls :func:`main` in its own process.

Payload::

    {"function": "log_softmax", "checks": [{"args": [[0.1, 2.0]]}, ...]}

Result::

    {"import_error": None or ERROR, "results": [{"value": ...} or {"error": ERROR}, ...]}

where ERROR is ``{"type": ..., "message": ..., "line": int or None, "code": text or None}``.
"""

from __future__ import annotations

import importlib.util
import math
import os
import sys
import traceback
from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["MAX_ITEMS", "SUBMISSION_FILE", "build_arg", "main", "to_json"]

#: The student's file in the sandbox's working folder.
SUBMISSION_FILE = "submission.py"
#: The most numbers one check's result may hold (a runaway result is an error, not data).
MAX_ITEMS = 10_000
#: How deeply a result may nest lists (a pair of vectors needs 2).
_MAX_DEPTH = 4
#: Longest exception message sent back.
_MAX_MESSAGE = 300


class _Unconvertible(Exception):
    """A value that is not plain numbers; the message says what it was."""


def _float_out(x: float) -> float | str:
    if math.isfinite(x):
        return x
    return "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")


def to_json(value: Any, *, _depth: int = 0, _count: list[int] | None = None) -> Any:
    """``value`` as plain JSON, by exact type; :class:`_Unconvertible` otherwise.

    Accepted: bool, int, float, None, numpy scalars of bool/int/float dtype, numpy
    arrays of those dtypes, and lists/tuples of accepted values. Subclasses (of float,
    of list, of ndarray) are refused, so no method the student wrote runs here.
    """
    count = [0] if _count is None else _count
    if _depth > _MAX_DEPTH:
        raise _Unconvertible(f"is nested more than {_MAX_DEPTH} lists deep")
    kind = type(value)
    if value is None or kind is bool:
        return value
    if kind is int:
        count[0] += 1
        if abs(value) > 2**63:
            raise _Unconvertible("holds an integer too large for a number")
        return value
    if kind is float:
        count[0] += 1
        return _float_out(value)
    if kind is np.bool_:
        return bool(value)
    if kind in (np.float64, np.float32, np.float16, np.longdouble):
        count[0] += 1
        return _float_out(float(value))
    if isinstance(value, np.integer) and kind.__module__ == "numpy":
        count[0] += 1
        return int(value)
    if kind is np.ndarray:
        if value.dtype.kind not in "biuf":
            raise _Unconvertible(f"is a numpy array of dtype {value.dtype}, not of numbers")
        if value.size > MAX_ITEMS:
            raise _Unconvertible(f"has {value.size} numbers; at most {MAX_ITEMS} are expected")
        if value.ndim > _MAX_DEPTH:
            raise _Unconvertible(f"has {value.ndim} dimensions")
        return to_json(value.tolist(), _depth=_depth, _count=count)
    if kind is list or kind is tuple:
        if len(value) > MAX_ITEMS:
            raise _Unconvertible(f"has {len(value)} entries; at most {MAX_ITEMS} are expected")
        out = [to_json(v, _depth=_depth + 1, _count=count) for v in value]
        if count[0] > MAX_ITEMS:
            raise _Unconvertible(f"holds more than {MAX_ITEMS} numbers")
        return out
    raise _Unconvertible(f"is of type {kind.__name__}, not a number, a numpy array or a tuple of them")


def _float_in(value: Any) -> Any:
    return float(value) if value in ("inf", "-inf", "nan") else value


def _gaussian(spec: dict[str, Any], part: str) -> Callable[[Any], Any]:
    mean = np.asarray(spec["mean"], dtype=np.float64)
    precision = np.asarray(spec["precision"], dtype=np.float64)

    def log_density(x: Any) -> float:
        d = np.asarray(x, dtype=np.float64).reshape(mean.shape) - mean
        return float(-0.5 * d @ precision @ d)

    def grad_log_density(x: Any) -> np.ndarray:
        d = np.asarray(x, dtype=np.float64).reshape(mean.shape) - mean
        return -(precision @ d)

    return log_density if part == "log_density" else grad_log_density


def build_arg(spec: Any) -> Any:
    """One argument from its JSON spec.

    A list is a float numpy array; ``{"$float": "inf"}`` a non-finite float;
    ``{"$rng": seed}`` ``numpy.random.default_rng(seed)``; ``{"$gaussian": {"mean",
    "precision"}, "$part": "log_density" | "grad_log_density"}`` the (unnormalised) log
    density of that Gaussian or its gradient; anything else is passed as it is (numbers,
    text, None).
    """
    if isinstance(spec, list):
        return np.array([_float_in(v) if not isinstance(v, list) else [_float_in(w) for w in v] for v in spec],
                        dtype=np.float64)
    if isinstance(spec, dict):
        if "$float" in spec:
            return float(spec["$float"])
        if "$rng" in spec:
            return np.random.default_rng(int(spec["$rng"]))
        if "$gaussian" in spec:
            return _gaussian(spec["$gaussian"], spec.get("$part", "grad_log_density"))
        raise ValueError(f"unknown argument spec {sorted(spec)}")
    return spec


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _MAX_MESSAGE else text[: _MAX_MESSAGE - 1] + "…"


def _error(exc: BaseException, path: str) -> dict[str, Any]:
    """The exception as data, with the deepest line of the student's file it passed."""
    try:
        message = _shorten(str(exc))
    except BaseException:  # a student's exception whose __str__ raises
        message = "(its message could not be read)"
    line, code = None, None
    try:
        for frame in traceback.extract_tb(exc.__traceback__):
            if os.path.basename(frame.filename) == os.path.basename(path):
                line, code = frame.lineno, (frame.line or "").strip() or None
    except BaseException:
        pass  # a hostile traceback (a raising __str__, a broken frame): report without a line
    if isinstance(exc, SyntaxError) and exc.lineno is not None and line is None:
        line, code = exc.lineno, (exc.text or "").strip() or None
    name = type(exc).__name__[:40]
    if isinstance(exc, SystemExit):
        message = "the code called sys.exit (or raised SystemExit)"
    return {"type": name, "message": message, "line": line, "code": code}


def _load(path: str) -> Any:
    # A private module name, so nothing the student names shadows ours.
    spec = importlib.util.spec_from_file_location("_probstats_submission", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(payload: dict[str, Any]) -> dict[str, Any]:
    """Import the submission, call its function on each check, return plain JSON."""
    path = os.path.join(os.getcwd(), SUBMISSION_FILE)
    checks = payload["checks"]
    try:
        module = _load(path)
        function = getattr(module, payload["function"])
        if not callable(function):
            raise TypeError(f"{payload['function']} is not a function")
    except BaseException as exc:  # SystemExit and KeyboardInterrupt too: it is data here
        return {"import_error": _error(exc, path), "results": []}
    results: list[dict[str, Any]] = []
    for check in checks:
        try:
            args = [build_arg(spec) for spec in check["args"]]
            value = function(*args)
        except BaseException as exc:
            results.append({"error": _error(exc, path)})
            continue
        try:
            results.append({"value": to_json(value)})
        except _Unconvertible as exc:
            results.append({"error": {"type": "result", "message": f"the result {exc}", "line": None, "code": None}})
        except BaseException as exc:  # RecursionError on a self-containing list
            results.append({"error": _error(exc, path)})
    sys.stdout.flush()
    return {"import_error": None, "results": results}
