"""NUTS warm-up: Stan's adaptation, ours after nutpie (``adaptation="fisher"``), and nutpie.

Same runs as bench_mcmc (4 chains × 1,000 draws after 1,000 warm-up iterations, one
core), over three seeds per target (or ``PROBSTATS_ADAPTATION_SEEDS``). Efficiency is the smallest bulk-ESS over the
coordinates per 1,000 gradient evaluations after warm-up, so the machine's load does
not change it. nutpie is an optional reference like PyMC (``pip install ".[bench]"``;
its models are PyMC models compiled with numba); its end-to-end row includes the
compile, which dominates it.

Three seeds cannot separate fisher from nutpie: the figure's SD per seed is about
4 / 13 / 11 on gauss2 / gauss10 / gauss100 in both (min bulk-ESS over the coordinates of
4,000 draws), so a 3-seed mean carries an SE of about 2.5 / 7.5 / 6, and the banana's
figure ranges from 0.3 to 19 between seeds. The rows give fisher's paired difference
from nutpie (same seed in both) with its standard error. With
``PROBSTATS_ADAPTATION_SEEDS=40`` (seeds SEED to SEED + 39) fisher minus nutpie 0.16.8 was
+0.6 ± 1.0 / −2.5 ± 2.3 / +0.5 ± 2.3 / +1.9 ± 0.9 (gauss2 / gauss10 / gauss100 / banana),
and over seeds SEED + 15 to SEED + 54 +0.5 ± 0.8 / +0.6 ± 2.9 / +1.6 ± 2.4 / +0.7 ± 0.9.
On the Gaussians the Fisher diagonal is exact (iid) or isotropic (ρ = 0.9), so only the
step size and the NUTS transition, both nuts-rs's, set the figure; it rises steeply with
the step size (×1.4 on gauss10 for a step 10% larger), which the target acceptance fixes.
"""

from __future__ import annotations

import importlib.util
import os
import time
import warnings
from collections.abc import Iterator
from typing import Any

import numpy as np

from benchmarks.bench_mcmc import (
    N_CHAINS,
    N_DRAWS,
    N_WARMUP,
    SEED,
    TARGETS,
    _import_pymc,
    _min_ess,
    _pymc_model,
    _time_to_goal,
)
from benchmarks.timing import Row
from core import mcmc

#: Seeds per target: the issue's 3, or as many as PROBSTATS_ADAPTATION_SEEDS asks for (a
#: paired comparison needs about 40 to resolve ±2 on gauss2; 40 take about 7 minutes).
SEEDS_VARIABLE = "PROBSTATS_ADAPTATION_SEEDS"


def seeds() -> tuple[int, ...]:
    """SEED, SEED + 1, … : three unless ``PROBSTATS_ADAPTATION_SEEDS`` says how many."""
    raw = os.environ.get(SEEDS_VARIABLE, "3")
    if not raw.isdigit() or int(raw) < 2:
        raise ValueError(f"{SEEDS_VARIABLE} must be a whole number of seeds, at least 2; got {raw!r}")
    return tuple(range(SEED, SEED + int(raw)))
#: nutpie 0.16's figures as the issue measured them (min bulk-ESS per 1k gradients).
NUTPIE_GOAL = {"gauss2 ρ=0.9": 41.5, "gauss10": 277.0, "gauss100": 219.0, "banana b=0.03": 5.5}


def _run_ours(adaptation: str, name: str, seed: int) -> dict[str, float]:
    start = time.perf_counter()
    trace = mcmc.nuts(TARGETS[name](), n_chains=N_CHAINS, n_warmup=N_WARMUP, n_draws=N_DRAWS,
                      rng=seed, adaptation=adaptation)  # fmt: skip
    seconds = time.perf_counter() - start
    ess = _min_ess(trace.draws)
    draws = float(trace.n_grad_evals_sampling)
    warm = float(trace.n_grad_evals) - draws
    return {"per_kgrad": 1000 * ess / draws, "to_goal": _time_to_goal(seconds, warm, draws, ess)}


def _import_nutpie() -> tuple[Any, Any] | None:
    """(pymc, nutpie), or None when either (or numba, its compiler) is missing."""
    if any(importlib.util.find_spec(m) is None for m in ("nutpie", "numba", "pymc")):
        return None
    pm = _import_pymc()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import nutpie

    return pm, nutpie


def _run_nutpie(nutpie: Any, compiled: Any, seed: int, compile_seconds: float) -> dict[str, float]:
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        idata = nutpie.sample(compiled, draws=N_DRAWS, tune=N_WARMUP, chains=N_CHAINS, cores=1,
                              seed=seed, progress_bar=False, save_warmup=True)  # fmt: skip
    seconds = time.perf_counter() - start
    post = idata.posterior
    draws_x = np.concatenate(
        [np.asarray(post[v]).reshape(N_CHAINS, N_DRAWS, -1) for v in post.data_vars], axis=2
    )
    ess = _min_ess(draws_x)
    draws = float(idata.sample_stats["n_steps"].sum())
    warm = float(idata.warmup_sample_stats["n_steps"].sum())
    return {
        "per_kgrad": 1000 * ess / draws,
        "to_goal": compile_seconds + _time_to_goal(seconds, warm, draws, ess),
    }


def _per_seed(runs: list[dict[str, float]]) -> str:
    return " / ".join(f"{run['per_kgrad']:.1f}" for run in runs)


def _mean(runs: list[dict[str, float]], key: str) -> float:
    return float(np.mean([run[key] for run in runs]))


def _paired(ours: list[dict[str, float]], ref: list[dict[str, float]]) -> str:
    """Mean and standard error of ours − ref per seed (the same seed in both)."""
    diff = np.array([a["per_kgrad"] - b["per_kgrad"] for a, b in zip(ours, ref, strict=True)])
    return f"paired difference {diff.mean():+.1f} ± {diff.std(ddof=1) / np.sqrt(len(diff)):.1f} (SE)"


def rows() -> Iterator[Row]:
    refs = _import_nutpie()
    nutpie_name = "nutpie absent" if refs is None else f"nutpie {refs[1].__version__}"
    absent = "nutpie not installed (pip install '.[bench]': nutpie, numba, pymc)"
    chosen = seeds()
    for name in TARGETS:
        label = f"mcmc nuts adaptation {name} ({len(chosen)} seeds)"
        stan = [_run_ours("stan", name, seed) for seed in chosen]
        fisher = [_run_ours("fisher", name, seed) for seed in chosen]
        yield Row(f"{label}: min bulk-ESS per 1k gradients, fisher vs stan",
                  _mean(fisher, "per_kgrad"), _mean(stan, "per_kgrad"), "ours, stan",
                  note=f"per seed fisher {_per_seed(fisher)}; stan {_per_seed(stan)}",
                  unit="ESS/kgrad")  # fmt: skip
        ref = None
        compile_seconds = 0.0
        if refs is not None:
            pm, nutpie = refs
            start = time.perf_counter()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                compiled = nutpie.compile_pymc_model(_pymc_model(pm, name))
            compile_seconds = time.perf_counter() - start
            ref = [_run_nutpie(nutpie, compiled, seed, compile_seconds) for seed in chosen]
        goal = f"goal: fisher ≥ nutpie (issue's nutpie 0.16: {NUTPIE_GOAL[name]:g})"
        yield Row(f"{label}: min bulk-ESS per 1k gradients, fisher vs nutpie",
                  _mean(fisher, "per_kgrad"), None if ref is None else _mean(ref, "per_kgrad"),
                  nutpie_name,
                  note=f"{_paired(fisher, ref)}; nutpie per seed {_per_seed(ref)}; {goal}" if ref else absent,
                  unit="ESS/kgrad")  # fmt: skip
        yield Row(f"{label}: end-to-end time to 1,000 bulk-ESS, fisher vs nutpie",
                  _mean(fisher, "to_goal"), None if ref is None else _mean(ref, "to_goal"),
                  nutpie_name,
                  note=f"nutpie compile {compile_seconds:.1f} s (numba) included" if ref else absent)  # fmt: skip
