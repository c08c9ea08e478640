"""Cached wrappers around :mod:`core` for the Sampling page: numbers and small frames for its charts."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st
from scipy import stats

from core import sampling as core_sampling
from core.distributions import Beta, Gaussian
from core.information import (
    gaussian_kl,
    kl_divergence,
)
from core.validation import check_int
from dashboard.common.limits import CACHE_ENTRIES, SAMPLING_GRID_POINTS

__all__ = [
    "CLIPPED_OBJECTIVE",
    "FILTERED",
    "IMPORTANCE_REPEATS",
    "IMPORTANCE_SHIFTS",
    "REJECTION_POINTS_SHOWN",
    "TARGET",
    "TEMPERED",
    "ImportanceView",
    "InverseCDF",
    "KLDivTrap",
    "KLEstimatorView",
    "NextToken",
    "PPOView",
    "RejectionView",
    "importance_view",
    "inverse_cdf",
    "kl_div_trap",
    "kl_estimator_view",
    "next_token",
    "ppo_view",
    "rejection_view",
    "token_bars",
]

# --- Sampling page
# Token sampling, rejection and importance sampling, PPO clipping and the KL estimators.
# The random draws use a seed widget, so a URL reproduces the same points.

#: Uniforms drawn on the inverse-CDF chart.
CDF_DRAWS = 12
#: Points drawn on the rejection-sampling chart (every proposal still counts in the rate).
REJECTION_POINTS_SHOWN = 2000
#: Proposal shifts in the importance-sampling sweep, and repeated estimates per shift.
IMPORTANCE_SHIFTS = tuple(np.round(np.linspace(-3.0, 3.0, 21), 2))
IMPORTANCE_REPEATS = 20
#: Ratios r on the PPO chart.
PPO_RATIOS = tuple(np.round(np.linspace(0.01, 2.5, 250), 4))
#: Display names of the sampling page's curves.
TEMPERED, FILTERED = "after temperature", "after top-k / top-p (sampled)"
TARGET, ENVELOPE = "target p(x)", "envelope M·q(x)"
UNCLIPPED, CLIPPED_OBJECTIVE = "r·A (unclipped)", "min(r·A, clip(r)·A)"


@dataclass(frozen=True)
class NextToken:
    """The next-token view: per-token table and the kept set.

    ``table`` columns: ``token``, ``logit``, ``p_softmax`` (T = 1), ``p_tempered``,
    ``kept`` (bool), ``p_final`` (the renormalised distribution that is sampled).
    """

    table: pd.DataFrame
    kept: tuple[str, ...]
    kept_mass: float


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def next_token(
    tokens: tuple[str, ...],
    logits: tuple[float, ...],
    temperature: float,
    top_k: int | None,
    top_p: float | None,
) -> NextToken:
    """Softmax, tempered and filtered distributions of one row of logits (core.sampling_probs).

    ``tokens`` names the logits one to one (distinct names).
    """
    if len(tokens) != len(logits):
        raise ValueError(
            f"`tokens` has {len(tokens)} names but `logits` has {len(logits)} numbers; "
            "give one name per logit"
        )
    if len(set(tokens)) != len(tokens):
        raise ValueError("`tokens` must be distinct names")
    base = core_sampling.sampling_probs(logits)
    tempered = core_sampling.sampling_probs(logits, temperature=temperature)
    final = core_sampling.sampling_probs(logits, temperature=temperature, top_k=top_k, top_p=top_p)
    kept = final > 0
    table = pd.DataFrame(
        {"token": list(tokens), "logit": list(logits), "p_softmax": base,
         "p_tempered": tempered, "kept": kept, "p_final": final}
    )
    return NextToken(
        table=table,
        kept=tuple(t for t, k in zip(tokens, kept, strict=True) if k),
        kept_mass=float(tempered[kept].sum()),
    )


def token_bars(view: NextToken) -> pd.DataFrame:
    """Long format for the bar chart: ``token``, ``stage``, ``probability``, ``kept``."""
    t = view.table
    return pd.concat(
        [
            pd.DataFrame({"token": t["token"], "stage": TEMPERED, "probability": t["p_tempered"],
                          "kept": t["kept"]}),
            pd.DataFrame({"token": t["token"], "stage": FILTERED, "probability": t["p_final"],
                          "kept": t["kept"]}),
        ],
        ignore_index=True,
    )


@dataclass(frozen=True)
class InverseCDF:
    """Inverse-CDF sampling of the final distribution.

    ``bands``: ``token``, ``position``, ``cdf_low``, ``cdf_high`` (the uniforms that map
    to the token). ``draws``: ``draw``, ``u``, ``token``, ``position``.
    """

    bands: pd.DataFrame
    draws: pd.DataFrame


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def inverse_cdf(
    tokens: tuple[str, ...], probs: tuple[float, ...], seed: int, *, n_draws: int = CDF_DRAWS
) -> InverseCDF:
    """Draw ``n_draws`` uniforms and map each through the CDF (core.sample_categorical)."""
    u = np.random.default_rng(seed).random(n_draws)
    idx = core_sampling.sample_categorical(probs, u=u)
    high = np.cumsum(probs)
    low = np.concatenate([[0.0], high[:-1]])
    bands = pd.DataFrame(
        {"token": list(tokens), "position": np.arange(len(tokens)), "cdf_low": low, "cdf_high": high}
    )
    draws = pd.DataFrame(
        {"draw": np.arange(1, n_draws + 1), "u": u, "token": [tokens[i] for i in idx], "position": idx}
    )
    return InverseCDF(bands=bands, draws=draws)


@dataclass(frozen=True)
class RejectionView:
    """Rejection sampling of Beta(a, b) under M · Uniform(0, 1).

    ``points``: ``x``, ``height``, ``outcome`` ("accepted"/"rejected"), at most
    ``REJECTION_POINTS_SHOWN`` rows. ``curves``: ``x``, ``density``, ``curve``.
    """

    acceptance_rate: float
    expected_rate: float
    rate_stderr: float
    n_proposals: int
    n_accepted: int
    max_ratio: float
    points: pd.DataFrame
    curves: pd.DataFrame


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def rejection_view(a: float, b: float, M: float, n_proposals: int, seed: int) -> RejectionView:
    """Run core.rejection_sample with a Uniform(0, 1) proposal; thin the points for the chart."""
    target = Beta(a, b)
    res = core_sampling.rejection_sample(
        target.pdf, stats.uniform(), M=M, n_proposals=n_proposals, rng=np.random.default_rng(seed)
    )
    shown = slice(0, REJECTION_POINTS_SHOWN)
    points = pd.DataFrame(
        {"x": res.proposals[shown], "height": res.heights[shown],
         "outcome": np.where(res.accepted[shown], "accepted", "rejected")}
    )
    grid = target.grid(n_points=SAMPLING_GRID_POINTS)
    curves = pd.concat(
        [
            pd.DataFrame({"x": grid.x, "density": grid.density, "curve": TARGET}),
            pd.DataFrame({"x": [0.0, 1.0], "density": [M, M], "curve": ENVELOPE}),
        ],
        ignore_index=True,
    )
    return RejectionView(
        acceptance_rate=res.acceptance_rate, expected_rate=res.expected_rate,
        rate_stderr=res.rate_stderr, n_proposals=res.n_proposals, n_accepted=res.n_accepted,
        max_ratio=res.max_ratio, points=points, curves=curves,
    )


@dataclass(frozen=True)
class ImportanceView:
    """Importance sampling of E_p[X²] for p = N(0, 1) from the proposal q = N(shift, scale²).

    ``points``: ``x``, ``weight`` per draw. ``sweep``: ``shift``, ``ess_fraction`` (ESS / n
    of one run), ``spread`` (standard deviation of the estimate over repeated runs),
    ``mean_estimate``.
    """

    estimate: float
    stderr: float
    self_normalised: float
    ess: float
    n: int
    exact: float
    points: pd.DataFrame
    sweep: pd.DataFrame


def _importance_run(
    shift: float, scale: float, n: int, rng: np.random.Generator
) -> tuple[np.ndarray, Any]:
    """Draws x ~ N(shift, scale²) and core's importance estimate of E_p[X²] from them."""
    proposal = stats.norm(shift, scale)
    x = np.asarray(proposal.rvs(size=n, random_state=rng), dtype=float)
    res = core_sampling.importance_estimate(x**2, Gaussian(0.0, 1.0).logpdf(x), proposal.logpdf(x))
    return x, res


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def importance_view(
    shift: float, scale: float, n: int, seed: int, *, repeats: int = IMPORTANCE_REPEATS
) -> ImportanceView:
    """One run at the chosen proposal, and a sweep of proposal shifts (same scale and n).

    The target is p = N(0, 1) and f(x) = x², so the exact answer is E_p[X²] = 1.
    """
    Gaussian(shift, scale)  # validates `scale` with core's message before any drawing
    check_int(n, "n", minimum=2)
    rng = np.random.default_rng(seed)
    x, res = _importance_run(shift, scale, n, rng)
    rows = []
    for s in IMPORTANCE_SHIFTS:
        runs = [_importance_run(s, scale, n, rng)[1] for _ in range(repeats)]
        estimates = np.array([r.estimate for r in runs])
        rows.append({"shift": s, "ess_fraction": runs[0].ess / n,
                     "spread": float(estimates.std(ddof=1)), "mean_estimate": float(estimates.mean())})
    return ImportanceView(
        estimate=res.estimate,
        stderr=math.sqrt(res.variance),
        self_normalised=res.self_normalised,
        ess=res.ess,
        n=res.n,
        exact=Gaussian(0.0, 1.0).var(),  # E[X²] = σ² for a centred normal
        points=pd.DataFrame({"x": x, "weight": res.weights}),
        sweep=pd.DataFrame(rows),
    )


@dataclass(frozen=True)
class PPOView:
    """PPO's clipped objective over a range of ratios, and at one ratio.

    ``curves``: ``ratio``, ``curve`` (UNCLIPPED or CLIPPED_OBJECTIVE), ``objective``.
    ``clipped_from``/``clipped_to``: the ratios where the clip is active (nan if none shown).
    """

    curves: pd.DataFrame
    clipped_from: float
    clipped_to: float
    ratio: float
    unclipped: float
    objective: float
    clipped: bool


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def ppo_view(advantage: float, epsilon: float, ratio: float) -> PPOView:
    """core.ppo_clip_objective on the ratio grid (log π_old = 0, log π_new = log r)."""
    r = np.asarray(PPO_RATIOS)
    res = core_sampling.ppo_clip_objective(
        np.log(r), np.zeros_like(r), np.full_like(r, advantage), epsilon=epsilon
    )
    if not ratio > 0:
        raise ValueError(f"`ratio` must be > 0; got {ratio}")
    one = core_sampling.ppo_clip_objective([math.log(ratio)], [0.0], [advantage], epsilon=epsilon)
    # PPO's first term r·A with core's own ratios, so "clipped" is decided as core decides it
    unclipped = res.ratio * advantage
    active = res.objective < unclipped
    curves = pd.concat(
        [
            pd.DataFrame({"ratio": r, "curve": UNCLIPPED, "objective": unclipped}),
            pd.DataFrame({"ratio": r, "curve": CLIPPED_OBJECTIVE, "objective": res.objective}),
        ],
        ignore_index=True,
    )
    return PPOView(
        curves=curves,
        clipped_from=float(r[active].min()) if active.any() else math.nan,
        clipped_to=float(r[active].max()) if active.any() else math.nan,
        ratio=float(one.ratio[0]),
        unclipped=float(one.ratio[0] * advantage),
        objective=float(one.objective[0]),
        clipped=one.clip_fraction > 0,
    )


@dataclass(frozen=True)
class KLEstimatorView:
    """k1, k2, k3 estimates of KL(π‖π_ref) for π = N(0, 1), π_ref = N(mu_ref, 1).

    ``table``: ``estimator``, ``estimate``, ``stderr``; ``exact`` the closed form.
    """

    table: pd.DataFrame
    exact: float


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def kl_estimator_view(mu_ref: float, n: int, seed: int) -> KLEstimatorView:
    """Draw n samples from π and average the three estimators (core.kl_estimators)."""
    policy, reference = Gaussian(0.0, 1.0), Gaussian(mu_ref, 1.0)
    check_int(n, "n", minimum=2)
    x = policy.sample(n, rng=np.random.default_rng(seed))
    est = core_sampling.kl_estimators(policy.logpdf(x), reference.logpdf(x))
    table = pd.DataFrame(
        {
            "estimator": ["k1 = −log r", "k2 = ½ (log r)²", "k3 = (r − 1) − log r"],
            "estimate": [est.k1_mean, est.k2_mean, est.k3_mean],
            "stderr": [est.k1_stderr, est.k2_stderr, est.k3_stderr],
        }
    )
    return KLEstimatorView(table=table, exact=float(gaussian_kl(0.0, 1.0, mu_ref, 1.0)))


@dataclass(frozen=True)
class KLDivTrap:
    """``kl_div`` called right (log q, p) and wrong (q, p), beside KL(p‖q)."""

    exact: float
    right: float
    wrong: float
    problems: tuple[str, ...]


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def kl_div_trap(p: tuple[float, ...], q: tuple[float, ...]) -> KLDivTrap:
    """KL(p‖q) three ways: core.information, kl_div(log q, p) and the silent kl_div(q, p)."""
    exact = float(kl_divergence(p, q))
    if not all(v > 0 for v in q):
        raise ValueError("`q` must be > 0 everywhere here, so that log q is finite")
    log_q = np.log(np.asarray(q, dtype=float))
    return KLDivTrap(
        exact=exact,
        right=float(core_sampling.kl_div([log_q], [p], reduction="batchmean")),
        wrong=float(core_sampling.kl_div([q], [p], reduction="batchmean", check=False)),
        problems=tuple(core_sampling.check_kl_div_inputs([q], [p])),
    )



