"""Small helpers shared by the built-in exercise modules (not a plugin: the name starts with _).

They only pick and format variants; every expected answer and misconception is computed
with core in the exercise modules themselves.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import combinations, pairwise

import numpy as np
from numpy.typing import ArrayLike

#: Two answers closer than this (relative) are too close to tell apart: 5% is 50 times the
#: usual 1e-3 tolerance and 5 times the "imprecise" band, so a misconception never earns a
#: "close, give more digits" hint.
SEPARATION = 0.05


def apart(values: Iterable[float], *, rel: float = SEPARATION, atol: float = 1e-3) -> bool:
    """True when every pair of ``values`` differs by more than ``max(atol, rel * larger)``."""
    vals = [float(v) for v in values]
    return all(abs(a - b) > max(atol, rel * max(abs(a), abs(b))) for a, b in combinations(vals, 2))


def ratio_apart(values: Iterable[float], *, ratio: float = 1.05) -> bool:
    """True when, in increasing order, each of ``values`` is more than ``ratio`` times the one before."""
    ordered = sorted(float(v) for v in values)
    return all(b > ratio * a for a, b in pairwise(ordered))


def far_from(value: float, others: Iterable[float], *, rel: float = SEPARATION, atol: float = 1e-3) -> bool:
    """True when ``value`` differs from each of ``others`` as in :func:`apart`."""
    return all(apart((value, o), rel=rel, atol=atol) for o in others)


def vectors_apart(a: ArrayLike, b: ArrayLike, *, rel: float = SEPARATION, atol: float = 1e-3) -> bool:
    """True when at least one entry of ``a`` and ``b`` differs as in :func:`apart`."""
    return any(apart((x, y), rel=rel, atol=atol) for x, y in zip(np.ravel(a), np.ravel(b), strict=True))


def probs(counts: ArrayLike) -> np.ndarray:
    """Counts (or weights) divided by their total."""
    arr = np.asarray(counts, dtype=float)
    return arr / arr.sum()


def joined(values: Iterable[object]) -> str:
    """``"1, 2, 3"``: a list as the comma-separated text the dashboard's inputs read."""
    return ", ".join(str(v) for v in values)


def prob_text(counts: ArrayLike, digits: int = 10) -> str:
    """Counts as probabilities in the comma-separated text the dashboard reads.

    Ten significant digits keep the sum within core's 1e-6 tolerance of 1.
    """
    return ", ".join(f"{float(v):.{digits}g}" for v in probs(counts))


def table_text(rows: ArrayLike, digits: int = 10) -> str:
    """A joint table as the dashboard's text input reads it: rows by ``;``, entries by ``,``."""
    return "; ".join(", ".join(f"{float(v):.{digits}g}" for v in row) for row in np.asarray(rows, dtype=float))


def markdown_table(header: Sequence[object], rows: Sequence[Sequence[object]]) -> str:
    """A markdown table."""
    lines = ["| " + " | ".join(str(h) for h in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)
