"""Sizes shared by the topics: the bound on every cache and the common grid resolutions."""

from __future__ import annotations

__all__ = ["CACHE_ENTRIES", "GAUSSIAN_GRID_POINTS", "SAMPLING_GRID_POINTS"]

#: Bound on every cached dashboard function, so a long session of slider dragging
#: cannot grow memory without limit.
CACHE_ENTRIES = 64
#: Points per Gaussian density curve, over mean ± 4 standard deviations.
GAUSSIAN_GRID_POINTS = 301
#: Points per density curve on the sampling and Fisher pages.
SAMPLING_GRID_POINTS = 201
