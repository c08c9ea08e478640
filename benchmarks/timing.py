"""Small timing helpers shared by the benchmark modules."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Row:
    """One line of the benchmark table.

    ``ours`` and ``reference`` are seconds (best of several runs) or None when that
    side could not run; ``unit`` lets a row report another quantity (e.g. ESS/s), in
    which case the ratio is still ours / reference.
    """

    case: str
    ours: float | None
    reference: float | None
    reference_name: str
    note: str = ""
    unit: str = "s"

    @property
    def ratio(self) -> float | None:
        if self.ours is None or self.reference is None or self.reference == 0:
            return None
        return self.ours / self.reference


def best_time(fn: Callable[[], Any], *, repeat: int = 5, number: int = 1) -> float:
    """Best wall time of ``number`` calls of ``fn`` over ``repeat`` rounds, in seconds.

    The best (not the mean) is the least noisy estimate of the cost on a shared machine.
    """
    fn()  # warm-up: imports, caches, first-touch of memory
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        best = min(best, (time.perf_counter() - start) / number)
    return best


def side_by_side(
    ours: Callable[[], Any], reference: Callable[[], Any], *, repeat: int = 5, number: int = 1
) -> tuple[float, float]:
    """Time ``ours`` and ``reference`` interleaved, so machine noise hits both alike; the best of each."""
    ours_times, ref_times = side_by_side_samples(ours, reference, repeat=repeat, number=number)
    return min(ours_times), min(ref_times)


def side_by_side_samples(
    ours: Callable[[], Any], reference: Callable[[], Any], *, repeat: int = 5, number: int = 1
) -> tuple[list[float], list[float]]:
    """Every round's time per call of ``ours`` and ``reference``, interleaved (after a warm-up).

    On a shared machine report the best (the cost) and the median (what a user waits).
    """
    ours()
    reference()
    samples: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for fn, times in ((ours, samples[0]), (reference, samples[1])):
            start = time.perf_counter()
            for _ in range(number):
                fn()
            times.append((time.perf_counter() - start) / number)
    return samples
