"""The samplers' move records (``keep_moves=True``) against facts recomputed with numpy.

The Gaussian targets' gradient is recomputed here from the covariance, −Σ⁻¹q, so every
recorded leapfrog pair is checked against an independent step, not against core's.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest

from core import mcmc
from core.mcmc import targets as tg
from core.mcmc.moves import STOP_REASONS, GibbsMoves, LeapfrogMoves, MetropolisMoves

RHO = 0.9
COV = np.array([[1.0, RHO], [RHO, 1.0]])
PRECISION = np.linalg.inv(COV)


def grad(q: np.ndarray) -> np.ndarray:
    return -PRECISION @ q


def leapfrog(q: np.ndarray, p: np.ndarray, eps: float, inv_m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    p = p + 0.5 * eps * grad(q)
    q = q + eps * inv_m * p
    return q, p + 0.5 * eps * grad(q)


def turns(p: np.ndarray, inv_m: np.ndarray) -> bool:
    """Stan's generalised no-U-turn criterion on a tree's momenta in time order: the whole
    tree, then each half extended by the other half's nearest point."""
    ps = p * inv_m

    def back(rho: np.ndarray, a: np.ndarray, b: np.ndarray) -> bool:
        return not (a @ rho > 0 and b @ rho > 0)

    n = len(p)
    if back(p.sum(axis=0), ps[0], ps[-1]):
        return True
    if n <= 2:
        return False
    h = n // 2
    return back(p[:h].sum(axis=0) + p[h], ps[0], ps[h]) or back(p[h:].sum(axis=0) + p[h - 1], ps[h - 1], ps[-1])


@functools.cache
def run(sampler: str, keep: bool = True, seed: int = 3, **options: object) -> mcmc.Trace:
    target = tg.correlated_gaussian(RHO)
    kw: dict[str, object] = {"n_chains": 2, "n_warmup": 150, "n_draws": 60, "rng": seed, **options}
    if sampler == "gibbs":
        return mcmc.gibbs_bivariate_gaussian(RHO, keep_moves=keep, **kw)
    return getattr(mcmc, sampler)(target, keep_moves=keep, **kw)


def previous(trace: mcmc.Trace, c: int, i: int) -> np.ndarray:
    return trace.draws[c, i - 1] if i else trace.warmup_draws[c, -1]


def test_metropolis_draws_change_exactly_when_accepted_and_then_equal_the_proposal():
    trace = run("metropolis")
    moves = trace.moves
    assert isinstance(moves, MetropolisMoves)
    assert moves.proposal.shape == trace.draws.shape and moves.accepted.shape == trace.draws.shape[:2]
    assert 0 < moves.accepted.mean() < 1
    for c in range(trace.n_chains):
        for i in range(trace.n_draws):
            if moves.accepted[c, i]:
                np.testing.assert_array_equal(trace.draws[c, i], moves.proposal[c, i])
                assert not np.array_equal(trace.draws[c, i], previous(trace, c, i))
            else:
                np.testing.assert_array_equal(trace.draws[c, i], previous(trace, c, i))
    # The acceptance statistic is min(1, π(x')/π(x)) recomputed with numpy.
    quad = np.einsum("cni,ij,cnj->cn", moves.proposal, PRECISION, moves.proposal)
    prev = np.concatenate([trace.warmup_draws[:, -1:], trace.draws[:, :-1]], axis=1)
    quad0 = np.einsum("cni,ij,cnj->cn", prev, PRECISION, prev)
    np.testing.assert_allclose(trace.stats["accept_stat"], np.minimum(1, np.exp(-0.5 * (quad - quad0))), rtol=1e-9)


def test_gibbs_records_each_coordinate_update():
    trace = run("gibbs")
    moves = trace.moves
    assert isinstance(moves, GibbsMoves)
    assert moves.steps.shape == (2, 60, 2, 2)
    np.testing.assert_array_equal(moves.steps[:, :, 1], trace.draws)
    np.testing.assert_array_equal(moves.steps[:, :, 0, 0], trace.draws[:, :, 0])  # x₁ moved first
    np.testing.assert_array_equal(moves.steps[:, 1:, 0, 1], trace.draws[:, :-1, 1])  # x₂ not yet


@pytest.mark.parametrize("sampler", ["hmc", "nuts"])
def test_every_recorded_point_is_one_leapfrog_step_from_its_parent(sampler):
    trace = run(sampler)
    moves = trace.moves
    assert isinstance(moves, LeapfrogMoves)
    assert (moves.trees is not None) == (sampler == "nuts")
    pairs = 0
    for c in range(trace.n_chains):
        inv_m = trace.inv_metric[c]
        for i in range(trace.n_draws):
            points, parent, time = moves.iteration(c, i)
            lo = int(moves.offsets[c, i])
            momenta = moves.momenta[c][lo:lo + len(points)]  # type: ignore[index]
            assert len(points) == trace.stats["n_leapfrog"][c, i] + 1
            np.testing.assert_array_equal(points[0], previous(trace, c, i))
            assert parent[0] == -1 and time[0] == 0
            eps = trace.stats["step_size"][c, i]
            for k in range(1, len(points)):
                j = parent[k]
                direction = time[k] - time[j]
                assert direction in (-1, 1)
                q, p = leapfrog(points[j], momenta[j], direction * eps, inv_m)
                np.testing.assert_allclose(points[k], q, rtol=1e-9, atol=1e-12)
                np.testing.assert_allclose(momenta[k], p, rtol=1e-9, atol=1e-12)
                pairs += 1
            assert sorted(time) == list(range(min(time), max(time) + 1))  # one contiguous path
    assert pairs > 500


def test_hmc_accepts_its_end_point_or_stays():
    trace = run("hmc")
    moves = trace.moves
    assert isinstance(moves, LeapfrogMoves)
    for c in range(trace.n_chains):
        for i in range(trace.n_draws):
            points, _, _ = moves.iteration(c, i)
            np.testing.assert_array_equal(trace.draws[c, i], points[-1] if moves.accepted[c, i] else points[0])
    np.testing.assert_array_equal(moves.divergent, trace.stats["divergent"])


def test_nuts_pick_doublings_and_stops():
    trace = run("nuts")
    moves = trace.moves
    assert isinstance(moves, LeapfrogMoves) and moves.trees is not None
    u_turns = 0
    for c, tree in enumerate(moves.trees):
        inv_m = trace.inv_metric[c]
        lo_all = moves.offsets[c]
        for i in range(trace.n_draws):
            points, _, time = moves.iteration(c, i)
            momenta = moves.momenta[c][lo_all[i]:lo_all[i + 1]]  # type: ignore[index]
            np.testing.assert_array_equal(points[tree.pick[i]], trace.draws[c, i])
            assert moves.accepted[c, i] == (tree.pick[i] != 0)
            rows = tree.doublings[tree.doubling_offsets[i]:tree.doubling_offsets[i + 1]]
            np.testing.assert_array_equal(rows[:, 1], np.arange(len(rows)))  # depth 0, 1, 2, ...
            assert set(rows[:, 0]) <= {-1, 1}
            assert rows[:, 3].sum() == trace.stats["n_leapfrog"][c, i]
            np.testing.assert_array_equal(rows[:, 2], 1 + np.concatenate([[0], np.cumsum(rows[:-1, 3])]))
            for direction, _, first, count in rows:  # each doubling steps away from the start
                assert np.all(np.sign(time[first:first + count]) == direction)
            # Every merged tree before the last doubling kept going: no U-turn in it.
            for k in range(len(rows) - 1):
                end = rows[k, 2] + rows[k, 3]
                assert not turns(momenta[:end][np.argsort(time[:end])], inv_m)
            reason = STOP_REASONS[tree.stop[i]]
            first, last = tree.stop_span[i]
            span = slice(first, last + 1)
            if reason == "u-turn":
                u_turns += 1
                assert turns(momenta[span][np.argsort(time[span])], inv_m)
                # A subtree that turned is complete: 2^depth points.
                assert (last - first + 1) & (last - first) == 0
    assert u_turns > 50


def test_nuts_max_depth_and_divergence_stops():
    deep = run("nuts", max_tree_depth=2)
    assert deep.moves.trees is not None  # type: ignore[union-attr]
    stops = np.concatenate([t.stop for t in deep.moves.trees])  # type: ignore[union-attr]
    assert STOP_REASONS.index("max depth") in stops
    for c, tree in enumerate(deep.moves.trees):  # type: ignore[union-attr]
        for i in np.flatnonzero(tree.stop == STOP_REASONS.index("max depth")):
            assert deep.stats["n_leapfrog"][c, i] == 3 and tuple(tree.stop_span[i]) == (0, 3)
    # A step of 3 is unstable on this Gaussian (leapfrog needs ε < 2 sd_min): energies blow up.
    wild = run("nuts", step_size=3.0, n_warmup=0)
    moves = wild.moves
    assert isinstance(moves, LeapfrogMoves) and moves.trees is not None
    np.testing.assert_array_equal(moves.divergent, wild.stats["divergent"])
    assert moves.divergent.any()
    for c, tree in enumerate(moves.trees):
        lo = moves.offsets[c]
        for i in np.flatnonzero(moves.divergent[c]):
            assert STOP_REASONS[tree.stop[i]] == "divergence"
            k = tree.stop_span[i, 0]
            assert tree.stop_span[i, 1] == k
            points = moves.points[c][lo[i]:lo[i + 1]]
            momenta = moves.momenta[c][lo[i]:lo[i + 1]]  # type: ignore[index]
            h = 0.5 * np.einsum("ni,ij,nj->n", points, PRECISION, points) + 0.5 * (momenta**2).sum(axis=1)
            assert h[k] - h[0] > mcmc.DIVERGENCE_THRESHOLD
            assert np.all(h[:k] - h[0] <= mcmc.DIVERGENCE_THRESHOLD)


@pytest.mark.parametrize("sampler", ["metropolis", "gibbs", "hmc", "nuts"])
def test_keeping_moves_changes_no_draw_and_seeds_reproduce(sampler):
    kept, plain = run(sampler, True), run(sampler, False)
    assert plain.moves is None
    np.testing.assert_array_equal(kept.draws, plain.draws)
    for name in mcmc.STAT_NAMES:
        np.testing.assert_array_equal(kept.stats[name], plain.stats[name])
    again = run.__wrapped__(sampler, True)
    fields = {"metropolis": ("proposal", "accepted"), "gibbs": ("steps",),
              "hmc": ("points", "momenta", "parent", "time", "offsets"), "nuts": ("points", "parent", "time")}
    for name in fields[sampler]:
        a, b = getattr(kept.moves, name), getattr(again.moves, name)
        for x, y in zip(np.atleast_1d(np.array(a, dtype=object)), np.atleast_1d(np.array(b, dtype=object)), strict=True):
            np.testing.assert_array_equal(np.asarray(x, dtype=float), np.asarray(y, dtype=float))


def test_run_sampler_passes_keep_moves_and_head_cuts():
    target = tg.gaussian(3)
    trace = mcmc.run_sampler("nuts", target, target_name="gaussian", tune=True, options={}, n_chains=2,
                             n_warmup=100, n_draws=30, rng=0, keep_moves=True)
    moves = trace.moves
    assert isinstance(moves, LeapfrogMoves) and moves.points[0].shape[1] == 3
    small = moves.head(10, 2)
    assert small.momenta is None and small.points[0].shape[1] == 2
    assert small.offsets.shape == (2, 11) and len(small.points[1]) == small.offsets[1, -1]
    assert small.trees is not None and len(small.trees[0].pick) == 10
    np.testing.assert_array_equal(small.points[0], moves.points[0][:moves.offsets[0, 10], :2])
    mh = mcmc.run_sampler("metropolis", target, target_name="gaussian", tune=True, options={}, n_chains=2,
                          n_warmup=10, n_draws=30, rng=0, keep_moves=True)
    assert isinstance(mh.moves, MetropolisMoves) and mh.moves.head(5, 2).proposal.shape == (2, 5, 2)
    gibbs = run("gibbs")
    assert isinstance(gibbs.moves, GibbsMoves) and gibbs.moves.head(100, 1).steps.shape == (2, 60, 2, 1)


@pytest.mark.parametrize("sampler", ["metropolis", "gibbs", "hmc", "nuts"])
def test_the_start_is_where_each_chain_stood_before_its_first_kept_iteration(sampler):
    trace = run(sampler)
    np.testing.assert_array_equal(trace.moves.start, trace.warmup_draws[:, -1])  # type: ignore[union-attr]
    if sampler == "gibbs":
        return  # its start is drawn, not given
    init = np.array([[0.3, -0.2], [1.0, 0.5]])
    cold = getattr(mcmc, sampler)(tg.correlated_gaussian(RHO), n_chains=2, n_warmup=0, n_draws=5, rng=1, init=init,
                                  keep_moves=True, **({} if sampler == "metropolis" else {"step_size": 0.3}))
    np.testing.assert_array_equal(cold.moves.start, init)  # type: ignore[union-attr]


def test_validation():
    target = tg.gaussian(2)
    for call in (mcmc.metropolis, mcmc.hmc, mcmc.nuts):
        with pytest.raises(TypeError, match="`keep_moves` must be True or False"):
            call(target, n_chains=1, n_warmup=0, n_draws=4, rng=0, keep_moves="yes")
    with pytest.raises(TypeError, match="`keep_moves` must be True or False"):
        mcmc.gibbs_bivariate_gaussian(0.5, n_draws=4, keep_moves=1)
    with pytest.raises(TypeError, match="`keep_moves` must be True or False"):
        mcmc.run_sampler("metropolis", target, target_name="gaussian", tune=True, options={}, n_chains=1,
                         n_warmup=0, n_draws=4, rng=0, keep_moves=None)
    moves = run("metropolis").moves
    assert isinstance(moves, MetropolisMoves)
    with pytest.raises(ValueError, match="`n_draws` must be >= 1"):
        moves.head(0, 2)
    with pytest.raises(TypeError, match="`n_coords` must be an integer"):
        moves.head(3, "2")
