"""What each kept transition of a sampler did, recorded on request (``keep_moves=True``).

Each sampler has its own record, compact numpy arrays per chain, for the kept draws only
(like ``keep_trajectories``):

- :class:`MetropolisMoves`: every proposal and whether it was accepted.
- :class:`GibbsMoves`: the position after each coordinate update of a sweep.
- :class:`LeapfrogMoves` (HMC, NUTS): every leapfrog point with its momentum, the point
  it was stepped from and its integration time; for NUTS also a :class:`NutsTree` per
  chain: the doublings, why and where the tree stopped, and the multinomial pick.

Indices inside one iteration are *local*: point 0 of iteration i is where it started
(the previous draw), and point k of it is ``points[c][offsets[c, i] + k]``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from core.validation import check_int

__all__ = [
    "STOP_REASONS",
    "GibbsMoves",
    "LeapfrogMoves",
    "MetropolisMoves",
    "Moves",
    "NutsTree",
    "PointRecorder",
]

#: Why a NUTS tree stopped growing, by the code kept in :attr:`NutsTree.stop`.
STOP_REASONS = ("u-turn", "divergence", "max depth")

Array = NDArray[np.float64]
IntArray = NDArray[np.int64]


def _cut(n_draws: Any, n_coords: Any, dim: int, have: int) -> tuple[int, int]:
    draws = check_int(n_draws, "n_draws", minimum=1)
    coords = check_int(n_coords, "n_coords", minimum=1)
    return min(draws, have), min(coords, dim)


@dataclass(frozen=True, eq=False)
class MetropolisMoves:
    """Metropolis: ``proposal`` (chain, draw, dim), the point proposed at each kept
    iteration, ``accepted`` (chain, draw), whether the chain moved there, and ``start``
    (chain, dim), where each chain stood before its first kept iteration."""

    proposal: Array
    accepted: NDArray[np.bool_]
    start: Array

    @property
    def n_draws(self) -> int:
        """Iterations recorded per chain."""
        return int(self.accepted.shape[1])

    def head(self, n_draws: int, n_coords: int) -> MetropolisMoves:
        """The first ``n_draws`` iterations and ``n_coords`` coordinates (a smaller record)."""
        nd, nc = _cut(n_draws, n_coords, self.proposal.shape[2], self.proposal.shape[1])
        return MetropolisMoves(self.proposal[:, :nd, :nc].copy(), self.accepted[:, :nd].copy(),
                               self.start[:, :nc].copy())


@dataclass(frozen=True, eq=False)
class GibbsMoves:
    """Gibbs: ``steps`` (chain, draw, coordinate update, dim), the position after each
    coordinate's update in sweep order (the last update of a sweep is the draw), and
    ``start`` (chain, dim), where each chain stood before its first kept sweep."""

    steps: Array
    start: Array

    @property
    def n_draws(self) -> int:
        """Sweeps recorded per chain."""
        return int(self.steps.shape[1])

    def head(self, n_draws: int, n_coords: int) -> GibbsMoves:
        """The first ``n_draws`` sweeps and ``n_coords`` coordinates."""
        nd, nc = _cut(n_draws, n_coords, self.steps.shape[3], self.steps.shape[1])
        return GibbsMoves(self.steps[:, :nd, :, :nc].copy(), self.start[:, :nc].copy())


@dataclass(frozen=True, eq=False)
class NutsTree:
    """How one chain's NUTS trees grew, per kept iteration (local point indices).

    Attributes
    ----------
    doublings : numpy.ndarray
        (n_doublings, 4) int: direction (+1 forward in time, −1 backward), depth of the
        new subtree (it has 2^depth points when complete), its first point, and the
        points it added (fewer than 2^depth when it stopped inside).
    doubling_offsets : numpy.ndarray
        (n_draws + 1,): iteration i's doublings are rows
        ``doubling_offsets[i]:doubling_offsets[i + 1]``.
    stop : numpy.ndarray
        (n_draws,) int8, an index into :data:`STOP_REASONS`.
    stop_span : numpy.ndarray
        (n_draws, 2) int: the first and last point (in computation order) of the
        (sub)tree whose U-turn check failed (the whole tree when the merged tree turned
        back); for a divergence both are the divergent point; for max depth the whole tree.
    pick : numpy.ndarray
        (n_draws,) int: the point the multinomial sampling chose, i.e. the draw.
    """

    doublings: IntArray
    doubling_offsets: IntArray
    stop: NDArray[np.int8]
    stop_span: IntArray
    pick: IntArray


@dataclass(frozen=True, eq=False)
class LeapfrogMoves:
    """HMC and NUTS: every leapfrog point of every kept iteration, per chain.

    Attributes
    ----------
    points, momenta : list of numpy.ndarray
        ``points[c]`` (n_points, dim): each iteration's start point then its leapfrog
        points in the order they were computed (HMC: time order; NUTS: doubling by
        doubling, each subtree stepping away from the tree's end in its direction);
        ``momenta[c]`` the momentum at each (None once :meth:`head` drops them).
    parent : list of numpy.ndarray
        ``parent[c]`` (n_points,) int: the local index of the point each was stepped
        from by one leapfrog step (forward in time, or backward for NUTS's −1 subtrees);
        −1 for the start point.
    time : list of numpy.ndarray
        ``time[c]`` (n_points,) int: integration time in leapfrog steps (start 0).
    offsets : numpy.ndarray
        (n_chains, n_draws + 1): iteration i of chain c owns
        ``points[c][offsets[c, i]:offsets[c, i + 1]]``, n_leapfrog + 1 points.
    accepted : numpy.ndarray
        (n_chains, n_draws) bool: HMC, the end point was accepted; NUTS, the draw is not
        the start point.
    divergent : numpy.ndarray
        (n_chains, n_draws) bool.
    trees : list of NutsTree or None
        NUTS only, one per chain.
    """

    points: list[Array]
    momenta: list[Array] | None
    parent: list[IntArray]
    time: list[IntArray]
    offsets: IntArray
    accepted: NDArray[np.bool_]
    divergent: NDArray[np.bool_]
    trees: list[NutsTree] | None = None

    @property
    def n_draws(self) -> int:
        """Iterations recorded per chain."""
        return int(self.offsets.shape[1] - 1)

    @property
    def start(self) -> Array:
        """(chain, dim): where each chain stood before its first recorded iteration."""
        return np.array([p[0] for p in self.points])

    def iteration(self, chain: int, draw: int) -> tuple[Array, IntArray, IntArray]:
        """(points, parent, time) of one iteration (local indices)."""
        lo, hi = int(self.offsets[chain, draw]), int(self.offsets[chain, draw + 1])
        return self.points[chain][lo:hi], self.parent[chain][lo:hi], self.time[chain][lo:hi]

    def head(self, n_draws: int, n_coords: int) -> LeapfrogMoves:
        """The first ``n_draws`` iterations and ``n_coords`` coordinates, without momenta."""
        nd, nc = _cut(n_draws, n_coords, self.points[0].shape[1], self.offsets.shape[1] - 1)
        ends = self.offsets[:, nd]
        trees = None
        if self.trees is not None:
            trees = []
            for tree in self.trees:
                stop_rows = int(tree.doubling_offsets[nd])
                trees.append(replace(
                    tree, doublings=tree.doublings[:stop_rows].copy(),
                    doubling_offsets=tree.doubling_offsets[:nd + 1].copy(), stop=tree.stop[:nd].copy(),
                    stop_span=tree.stop_span[:nd].copy(), pick=tree.pick[:nd].copy()))
        return LeapfrogMoves(
            points=[p[:e, :nc].copy() for p, e in zip(self.points, ends, strict=True)],
            momenta=None,
            parent=[p[:e].copy() for p, e in zip(self.parent, ends, strict=True)],
            time=[t[:e].copy() for t, e in zip(self.time, ends, strict=True)],
            offsets=self.offsets[:, :nd + 1].copy(),
            accepted=self.accepted[:, :nd].copy(),
            divergent=self.divergent[:, :nd].copy(),
            trees=trees,
        )


#: Any sampler's record (``Trace.moves``).
Moves = MetropolisMoves | GibbsMoves | LeapfrogMoves


class PointRecorder:
    """Collects one chain's leapfrog points while it samples (HMC and NUTS).

    An iteration calls :meth:`begin` with its start point, :meth:`add` for every
    leapfrog point, and :meth:`end`; NUTS adds its tree with :meth:`doubling` and
    :meth:`finish_tree`.
    """

    def __init__(self) -> None:
        self.points: list[Array] = []
        self.momenta: list[Array] = []
        self.parent: list[int] = []
        self.time: list[int] = []
        self.offsets = [0]
        self.accepted: list[bool] = []
        self.divergent: list[bool] = []
        self.base = 0  # index of the current iteration's start point
        self.doublings: list[tuple[int, int, int, int]] = []
        self.doubling_offsets = [0]
        self.stop: list[int] = []
        self.stop_span: list[tuple[int, int]] = []
        self.pick: list[int] = []

    def begin(self, q: Array, p: Array) -> None:
        self.base = len(self.points)
        self.points.append(q)
        self.momenta.append(p)
        self.parent.append(-1)
        self.time.append(0)

    def add(self, q: Array, p: Array, parent: int, time: int) -> int:
        """Keep a point stepped from local point ``parent``; returns its local index."""
        self.points.append(q)
        self.momenta.append(p)
        self.parent.append(parent)
        self.time.append(time)
        return len(self.points) - 1 - self.base

    @property
    def n_local(self) -> int:
        """Points of the current iteration so far."""
        return len(self.points) - self.base

    def end(self, accepted: bool, divergent: bool) -> None:
        self.offsets.append(len(self.points))
        self.accepted.append(bool(accepted))
        self.divergent.append(bool(divergent))

    def doubling(self, direction: int, depth: int, first: int, count: int) -> None:
        self.doublings.append((direction, depth, first, count))

    def finish_tree(self, stop: int, span: tuple[int, int], pick: int) -> None:
        self.doubling_offsets.append(len(self.doublings))
        self.stop.append(stop)
        self.stop_span.append(span)
        self.pick.append(pick)

    def tree(self) -> NutsTree:
        return NutsTree(
            doublings=np.array(self.doublings, dtype=np.int64).reshape(-1, 4),
            doubling_offsets=np.array(self.doubling_offsets, dtype=np.int64),
            stop=np.array(self.stop, dtype=np.int8),
            stop_span=np.array(self.stop_span, dtype=np.int64).reshape(-1, 2),
            pick=np.array(self.pick, dtype=np.int64),
        )


def leapfrog_moves(recorders: list[PointRecorder], dim: int, nuts: bool) -> LeapfrogMoves:
    """The record of every chain's recorder."""
    def stack(values: list[Array]) -> Array:
        return np.array(values, dtype=np.float64).reshape(-1, dim)

    return LeapfrogMoves(
        points=[stack(r.points) for r in recorders],
        momenta=[stack(r.momenta) for r in recorders],
        parent=[np.array(r.parent, dtype=np.int64) for r in recorders],
        time=[np.array(r.time, dtype=np.int64) for r in recorders],
        offsets=np.array([r.offsets for r in recorders], dtype=np.int64),
        accepted=np.array([r.accepted for r in recorders], dtype=bool),
        divergent=np.array([r.divergent for r in recorders], dtype=bool),
        trees=[r.tree() for r in recorders] if nuts else None,
    )
