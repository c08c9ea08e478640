"""Shared input checks for the numeric core.

Every public function in :mod:`core` validates its inputs with these helpers before
computing anything. Each check raises :class:`ValueError` (or :class:`TypeError` for a
value that is not numeric at all) with a message that names the argument, in backticks,
and says what is wrong and where. Nothing is silently normalised, clipped or turned
into nan.

The tolerance for "sums to one" is :data:`PROB_SUM_ATOL` (absolute, per vector). It is
loose enough for probabilities typed with a few decimals or computed in float32, and
tight enough to catch an unnormalised vector.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "PROB_SUM_ATOL",
    "as_float_array",
    "check_bool",
    "check_choice",
    "check_counts",
    "check_finite",
    "check_int",
    "check_joint_table",
    "check_log_base",
    "check_logits",
    "check_positive",
    "check_probability",
    "check_probability_vector",
    "check_rng",
    "check_same_shape",
    "check_scalar",
    "check_targets",
]

#: Absolute tolerance on ``sum(p) == 1`` for a probability vector or table.
PROB_SUM_ATOL = 1e-6

# Largest integer that float64 (and int64) hold exactly: scalar fast paths stop here.
_EXACT_INT = 2**53


def _where(mask: NDArray[np.bool_]) -> str:
    """Describe the first position where ``mask`` is true, e.g. ``at index (0, 2)``."""
    if mask.ndim == 0:
        return ""
    idx = tuple(int(i) for i in np.argwhere(mask)[0])
    return f" at index {idx[0] if len(idx) == 1 else idx}"


def as_float_array(x: ArrayLike, name: str) -> NDArray[np.floating[Any]]:
    """Convert ``x`` to a float array, keeping float32 as float32.

    Raises
    ------
    TypeError
        If ``x`` is not numeric (strings, objects, complex numbers, None).

    Examples
    --------
    >>> as_float_array([1, 2], "x")
    array([1., 2.])
    >>> as_float_array("a", "x")
    Traceback (most recent call last):
    ...
    TypeError: `x` must be numeric, got str
    """
    if x is None or isinstance(x, str | bytes):
        raise TypeError(f"`{name}` must be numeric, got {type(x).__name__}")
    try:
        arr = np.asarray(x)
    except (ValueError, TypeError) as exc:  # ragged nested lists
        raise ValueError(f"`{name}` must be a rectangular array of numbers: {exc}") from None
    if arr.dtype == bool or not (
        np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating)
    ):
        raise TypeError(f"`{name}` must be numeric, got dtype {arr.dtype}")
    if np.issubdtype(arr.dtype, np.floating) and arr.dtype.itemsize >= 4:
        return arr
    return arr.astype(np.float64)


def check_finite(x: ArrayLike, name: str) -> NDArray[np.floating[Any]]:
    """Return ``x`` as a float array, raising if any entry is nan or infinite.

    Examples
    --------
    >>> check_finite([1.0, float("nan")], "mu")
    Traceback (most recent call last):
    ...
    ValueError: `mu` must be finite; found nan at index 1
    """
    # The common scalar argument: skip numpy's machinery (ints only while exact in float64).
    if (type(x) is float and math.isfinite(x)) or (type(x) is int and abs(x) <= _EXACT_INT):
        return np.asarray(x, dtype=np.float64)
    arr = as_float_array(x, name)
    with np.errstate(over="ignore", invalid="ignore"):
        # One pass, no temporary: any inf or nan makes the sum non-finite. Only then (or
        # on overflow of a huge finite sum) look element by element.
        if np.isfinite(arr.sum()):
            return arr
    bad = ~np.isfinite(arr)
    if bad.any():
        value = arr[bad].flat[0]
        raise ValueError(f"`{name}` must be finite; found {value}{_where(bad)}")
    return arr


def check_positive(x: ArrayLike, name: str) -> NDArray[np.floating[Any]]:
    """Return ``x`` as a float array, raising unless every entry is finite and > 0.

    Examples
    --------
    >>> check_positive(0.0, "sigma")
    Traceback (most recent call last):
    ...
    ValueError: `sigma` must be > 0; got 0.0
    """
    arr = check_finite(x, name)
    bad = arr <= 0
    if bad.any():
        raise ValueError(f"`{name}` must be > 0; got {arr[bad].flat[0]}{_where(bad)}")
    return arr


def check_probability(
    p: ArrayLike,
    name: str,
    *,
    low_open: bool = False,
    high_open: bool = False,
) -> NDArray[np.floating[Any]]:
    """Check that every entry of ``p`` lies in [0, 1] (ends open as requested).

    Examples
    --------
    >>> float(check_probability(0.3, "p"))
    0.3
    >>> check_probability(1.0, "p", high_open=True)
    Traceback (most recent call last):
    ...
    ValueError: `p` must lie in [0, 1); got 1.0
    """
    arr = check_finite(p, name)
    low_bad = arr <= 0 if low_open else arr < 0
    high_bad = arr >= 1 if high_open else arr > 1
    bad = low_bad | high_bad
    if bad.any():
        interval = f"{'(' if low_open else '['}0, 1{')' if high_open else ']'}"
        raise ValueError(f"`{name}` must lie in {interval}; got {arr[bad].flat[0]}{_where(bad)}")
    return arr


def check_probability_vector(
    p: ArrayLike,
    name: str,
    *,
    axis: int = -1,
    atol: float = PROB_SUM_ATOL,
) -> NDArray[np.floating[Any]]:
    """Check that ``p`` holds probability vectors along ``axis``.

    Each vector must be finite, non-negative and sum to 1 within ``atol``.

    Parameters
    ----------
    p : array_like
        One or more probability vectors.
    name : str
        The argument's name, used in error messages.
    axis : int, optional
        The axis along which the entries of one vector lie.
    atol : float, optional
        Absolute tolerance on the sum.

    Returns
    -------
    numpy.ndarray
        ``p`` as a float array, unchanged.

    Examples
    --------
    >>> check_probability_vector([0.2, 0.8], "p")
    array([0.2, 0.8])
    >>> check_probability_vector([0.2, 0.7], "p")
    Traceback (most recent call last):
    ...
    ValueError: `p` must sum to 1 along axis -1 (within 1e-06); a vector sums to 0.9
    >>> check_probability_vector([-0.1, 1.1], "q")
    Traceback (most recent call last):
    ...
    ValueError: `q` must be non-negative; found -0.1 at index 0
    """
    arr = as_float_array(p, name)
    if arr.ndim == 0:
        raise ValueError(f"`{name}` must be a vector of probabilities, got a scalar")
    _check_axis(arr, axis, name)
    if arr.shape[axis] == 0:
        raise ValueError(f"`{name}` must have at least one entry along axis {axis}")
    sums = arr.sum(axis=axis, dtype=np.float64)
    # Fast path on large inputs: a finite total and a non-negative minimum prove every
    # entry finite and non-negative in two passes without temporaries.
    if not (np.all(np.isfinite(sums)) and arr.min() >= 0):
        check_finite(arr, name)
        neg = arr < 0
        raise ValueError(f"`{name}` must be non-negative; found {arr[neg].flat[0]}{_where(neg)}")
    off = np.abs(sums - 1.0) > atol
    if np.any(off):
        worst = np.asarray(sums)[off].flat[0]
        raise ValueError(
            f"`{name}` must sum to 1 along axis {axis} (within {atol:g}); "
            f"a vector sums to {worst:.6g}"
        )
    return arr


def check_joint_table(joint: ArrayLike, name: str = "joint") -> NDArray[np.floating[Any]]:
    """Check a 2-D joint probability table: finite, non-negative, summing to 1.

    Rows index X, columns index Y.

    Examples
    --------
    >>> check_joint_table([[0.5, 0.5]], "joint").shape
    (1, 2)
    >>> check_joint_table([0.5, 0.5], "joint")
    Traceback (most recent call last):
    ...
    ValueError: `joint` must be a 2-D table (X on rows, Y on columns), got 1-D
    """
    arr = as_float_array(joint, name)
    if arr.ndim != 2:
        raise ValueError(
            f"`{name}` must be a 2-D table (X on rows, Y on columns), got {arr.ndim}-D"
        )
    if 0 in arr.shape:
        raise ValueError(f"`{name}` must not be empty, got shape {arr.shape}")
    flat = check_probability_vector(arr.reshape(-1), name)
    return flat.reshape(arr.shape)


def check_counts(x: ArrayLike, name: str) -> NDArray[np.int64]:
    """Check non-negative whole-number counts and return them as int64.

    Floats are accepted only when they are whole numbers (``3.0``).

    Examples
    --------
    >>> check_counts([3, 0], "heads")
    array([3, 0])
    >>> check_counts(2.5, "heads")
    Traceback (most recent call last):
    ...
    ValueError: `heads` must be whole numbers; got 2.5
    >>> check_counts(-1, "tails")
    Traceback (most recent call last):
    ...
    ValueError: `tails` must be non-negative; got -1
    """
    if type(x) is int and 0 <= x <= _EXACT_INT:  # the common scalar count: already whole
        return np.asarray(x, dtype=np.int64)
    arr = check_finite(x, name)
    frac = arr != np.round(arr)
    if frac.any():
        raise ValueError(f"`{name}` must be whole numbers; got {arr[frac].flat[0]}{_where(frac)}")
    neg = arr < 0
    if neg.any():
        raise ValueError(f"`{name}` must be non-negative; got {int(arr[neg].flat[0])}{_where(neg)}")
    return arr.astype(np.int64)


def check_int(x: Any, name: str, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """Check a single integer argument, optionally bounded (inclusive).

    Examples
    --------
    >>> check_int(3, "k", minimum=1)
    3
    >>> check_int(0, "k", minimum=1)
    Traceback (most recent call last):
    ...
    ValueError: `k` must be >= 1; got 0
    """
    if isinstance(x, bool) or not isinstance(x, int | np.integer):
        if isinstance(x, float | np.floating) and float(x).is_integer():
            x = int(x)
        else:
            raise TypeError(f"`{name}` must be an integer, got {x!r}")
    x = int(x)
    if minimum is not None and x < minimum:
        raise ValueError(f"`{name}` must be >= {minimum}; got {x}")
    if maximum is not None and x > maximum:
        raise ValueError(f"`{name}` must be <= {maximum}; got {x}")
    return x


def check_bool(value: Any, name: str) -> bool:
    """Check a True/False flag (numpy's bool too; not 0/1 or a string).

    Examples
    --------
    >>> check_bool(True, "keep_moves")
    True
    >>> check_bool("yes", "keep_moves")
    Traceback (most recent call last):
    ...
    TypeError: `keep_moves` must be True or False; got 'yes'
    """
    if not isinstance(value, bool | np.bool_):
        raise TypeError(f"`{name}` must be True or False; got {value!r}")
    return bool(value)


def check_choice(value: Any, name: str, choices: Sequence[Any]) -> Any:
    """Check that ``value`` is one of ``choices``.

    Examples
    --------
    >>> check_choice("sum", "reduction", ("mean", "sum"))
    'sum'
    >>> check_choice("avg", "reduction", ("mean", "sum"))
    Traceback (most recent call last):
    ...
    ValueError: `reduction` must be one of 'mean', 'sum'; got 'avg'
    """
    if value not in choices:
        allowed = ", ".join(repr(c) for c in choices)
        raise ValueError(f"`{name}` must be one of {allowed}; got {value!r}")
    return value


def check_same_shape(a: NDArray[Any], b: NDArray[Any], name_a: str, name_b: str) -> None:
    """Raise unless ``a`` and ``b`` have exactly the same shape.

    Examples
    --------
    >>> check_same_shape(np.zeros(2), np.zeros(3), "p", "q")
    Traceback (most recent call last):
    ...
    ValueError: `p` and `q` must have the same shape; got (2,) and (3,)
    """
    if a.shape != b.shape:
        raise ValueError(
            f"`{name_a}` and `{name_b}` must have the same shape; got {a.shape} and {b.shape}"
        )


def check_logits(logits: ArrayLike, name: str = "logits", *, ndim: int | None = None) -> NDArray[Any]:
    """Check logits: numeric, finite (no inf or nan), with ``ndim`` dimensions if given.

    Examples
    --------
    >>> check_logits([[0.0, float("inf")]], ndim=2)
    Traceback (most recent call last):
    ...
    ValueError: `logits` must be finite; found inf at index (0, 1)
    """
    arr = check_finite(logits, name)
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"`{name}` must be {ndim}-D; got shape {arr.shape}")
    if arr.ndim >= 1 and arr.shape[-1] == 0:
        raise ValueError(f"`{name}` must have at least one class along the last axis")
    return arr


def check_targets(targets: ArrayLike, n_classes: int, n_rows: int, name: str = "targets") -> NDArray[np.intp]:
    """Check integer class labels in ``[0, n_classes)``, one per row.

    Examples
    --------
    >>> check_targets([0, 3], n_classes=3, n_rows=2)
    Traceback (most recent call last):
    ...
    ValueError: `targets` must lie in [0, 3) (the number of classes); found 3 at index 1
    """
    arr = np.asarray(targets)
    if arr.dtype == bool or not np.issubdtype(arr.dtype, np.integer):
        raise TypeError(f"`{name}` must hold integer class labels, got dtype {arr.dtype}")
    if arr.ndim != 1 or arr.shape[0] != n_rows:
        raise ValueError(f"`{name}` must have shape ({n_rows},) to match the rows of the logits; got {arr.shape}")
    bad = (arr < 0) | (arr >= n_classes)
    if bad.any():
        raise ValueError(
            f"`{name}` must lie in [0, {n_classes}) (the number of classes); "
            f"found {arr[bad].flat[0]}{_where(bad)}"
        )
    return arr.astype(np.intp)


def _check_axis(arr: NDArray[Any], axis: int, name: str) -> None:
    if not -arr.ndim <= axis < arr.ndim:
        raise ValueError(f"`axis` {axis} is out of range for `{name}` with {arr.ndim} dimension(s)")


def check_scalar(value: ArrayLike, name: str) -> float:
    """Check a single finite number and return it as a Python float.

    Examples
    --------
    >>> check_scalar([1.0, 2.0], "mu")
    Traceback (most recent call last):
    ...
    ValueError: `mu` must be a single number; got shape (2,)
    """
    arr = check_finite(value, name)
    if arr.ndim != 0:
        raise ValueError(f"`{name}` must be a single number; got shape {arr.shape}")
    return float(arr)


def check_log_base(base: float | None) -> float:
    """Check a logarithm base and return ln(base), the divisor that turns nats into its units.

    ``None`` means nats (returns 1.0); otherwise a positive number other than 1.

    Examples
    --------
    >>> check_log_base(None)
    1.0
    >>> round(check_log_base(2), 6)
    0.693147
    >>> check_log_base(1)
    Traceback (most recent call last):
    ...
    ValueError: `base` must not be 1 (log base 1 is undefined); use None for nats or 2 for bits
    """
    if base is None:
        return 1.0
    value = check_scalar(base, "base")
    check_positive(value, "base")
    if value == 1.0:
        raise ValueError("`base` must not be 1 (log base 1 is undefined); use None for nats or 2 for bits")
    return float(np.log(value))


def check_rng(rng: np.random.Generator | None) -> np.random.Generator:
    """Return ``rng``, or a fresh default generator for None; anything else is a TypeError.

    Examples
    --------
    >>> check_rng(np.random.default_rng(0)).integers(10)
    np.int64(8)
    >>> check_rng(42)
    Traceback (most recent call last):
    ...
    TypeError: `rng` must be a numpy.random.Generator (e.g. np.random.default_rng(0)), got int
    """
    if rng is None:
        return np.random.default_rng()
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"`rng` must be a numpy.random.Generator (e.g. np.random.default_rng(0)), got {type(rng).__name__}"
        )
    return rng
