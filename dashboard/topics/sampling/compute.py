"""Cached wrappers around :mod:`core` for the Sampling page: numbers and small frames for its charts.

The views that carry frames are cached with ``st.cache_resource``: a rerun gets the
stored object itself instead of unpickling its frames (every tab's views are read on
every rerun). Their frames are shared, so nothing that reads them changes them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

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
from dashboard.topics.sampling.labels import FILTERED_LABEL, SOFTMAX_LABEL, TEMPERED_LABEL

__all__ = [
    "CLIPPED_OBJECTIVE",
    "IMPORTANCE_REPEATS",
    "IMPORTANCE_SHIFTS",
    "REJECTION_POINTS_SHOWN",
    "TARGET",
    "ImportanceView",
    "InverseCDF",
    "KLDivTrap",
    "KLEstimatorView",
    "NextToken",
    "PPOView",
    "RejectionView",
    "beta_peak",
    "check_roof",
    "importance_sweep",
    "importance_view",
    "inverse_cdf",
    "kl_div_trap",
    "kl_estimator_view",
    "next_token",
    "ppo_view",
    "rejection_view",
    "token_bars",
    "top_p_mass",
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
# The stage names live in labels.py (charts use them too); short aliases for this module.
TEMPERED, FILTERED, SOFTMAX = TEMPERED_LABEL, FILTERED_LABEL, SOFTMAX_LABEL
TARGET, ENVELOPE = "target p(x)", "envelope M·q(x)"
UNCLIPPED, CLIPPED_OBJECTIVE = "r·A (unclipped)", "min(r·A, clip(r)·A)"


@dataclass(frozen=True)
class NextToken:
    """The next-token view: per-token table and the kept set.

    ``table`` columns: ``token``, ``logit``, ``p_softmax`` (T = 1), ``p_tempered``,
    ``p_top_k`` (after temperature and top-k: what top-p cuts), ``kept`` (bool),
    ``p_final`` (the renormalised distribution that is sampled).
    """

    table: pd.DataFrame
    kept: tuple[str, ...]
    kept_mass: float


@st.cache_resource(max_entries=CACHE_ENTRIES, show_spinner=False)  # shared, not copied: see the module notes
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
    top_k_only = core_sampling.sampling_probs(logits, temperature=temperature, top_k=top_k)
    final = core_sampling.sampling_probs(logits, temperature=temperature, top_k=top_k, top_p=top_p)
    kept = final > 0
    table = pd.DataFrame(
        {"token": list(tokens), "logit": list(logits), "p_softmax": base,
         "p_tempered": tempered, "p_top_k": top_k_only, "kept": kept, "p_final": final}
    )
    return NextToken(
        table=table,
        kept=tuple(t for t, k in zip(tokens, kept, strict=True) if k),
        kept_mass=float(tempered[kept].sum()),
    )


def token_bars(view: NextToken, *, revealed: bool = True) -> pd.DataFrame:
    """Long format for the bar chart: ``token``, ``stage``, ``probability``, ``kept``.

    Revealed: the stages after temperature and after filtering. Not revealed (an
    exercise's answer is held back): only the softmax at T = 1, every token drawn alike.
    """
    t = view.table
    if not revealed:
        return pd.DataFrame({"token": t["token"], "stage": SOFTMAX, "probability": t["p_softmax"],
                             "kept": True})
    return pd.concat(
        [
            pd.DataFrame({"token": t["token"], "stage": TEMPERED, "probability": t["p_tempered"],
                          "kept": t["kept"]}),
            pd.DataFrame({"token": t["token"], "stage": FILTERED, "probability": t["p_final"],
                          "kept": t["kept"]}),
        ],
        ignore_index=True,
    )


def top_p_mass(view: NextToken) -> pd.DataFrame:
    """Tokens from most to least probable with the running total that top-p cuts.

    Columns ``token``, ``probability`` (after temperature and top-k, the distribution
    top-p looks at), ``cumulative`` (mass up to and including the token) and ``kept``;
    kept tokens come first, so the cut falls between two bars.
    """
    t = view.table
    before_p = t["p_top_k"].to_numpy()
    # Kept tokens first (so the cut is one line even when a tie is split), then by mass.
    order = np.lexsort((-before_p, ~t["kept"].to_numpy()))
    return pd.DataFrame(
        {
            "token": t["token"].to_numpy()[order],
            "probability": before_p[order],
            "cumulative": np.cumsum(before_p[order]),
            "kept": t["kept"].to_numpy()[order],
        }
    )


@dataclass(frozen=True)
class InverseCDF:
    """Inverse-CDF sampling of the final distribution.

    ``bands``: ``token``, ``position``, ``cdf_low``, ``cdf_high`` (the uniforms that map
    to the token). ``draws``: ``draw``, ``u``, ``token``, ``position``.
    """

    bands: pd.DataFrame
    draws: pd.DataFrame


@st.cache_resource(max_entries=CACHE_ENTRIES, show_spinner=False)  # shared, not copied: see the module notes
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


def beta_peak(a: float, b: float) -> tuple[float, float]:
    """Where the Beta(a, b) density (a, b ≥ 1) is highest, and its height there.

    Examples
    --------
    >>> beta_peak(2.0, 2.0)
    (0.5, 1.5)
    """
    target = Beta(a, b)  # validates a and b with core's message
    # The mode (a − 1)/(a + b − 2); the flat Beta(1, 1) is highest everywhere, take x = 0.5.
    mode = 0.5 if a + b == 2 else (a - 1) / (a + b - 2)
    return mode, float(target.pdf(mode))


def check_roof(a: float, b: float, M: float) -> None:
    """Refuse a roof M lower than the Beta(a, b) density's peak, in words a learner reads."""
    mode, peak = beta_peak(a, b)
    peak = round(peak, 9)  # scipy's 1.5000000000000002 for Beta(2, 2) is the peak 1.5
    if M < peak:
        raise ValueError(
            f"the roof is too low: “M: height of the roof” is {M:g}, but the Beta({a:g}, {b:g}) "
            f"density rises to {peak:.3f} at x = {mode:.3f}, so part of the curve pokes out "
            f"above the roof and the kept points would not follow it. Set M to at least "
            f"{math.ceil(peak * 100) / 100:g}."
        )


@st.cache_resource(max_entries=CACHE_ENTRIES, show_spinner=False)  # shared, not copied: see the module notes
def rejection_view(a: float, b: float, M: float, n_proposals: int, seed: int) -> RejectionView:
    """Run core.rejection_sample with a Uniform(0, 1) proposal; thin the points for the chart.

    A roof below the density's peak is refused first by :func:`check_roof`.
    """
    check_roof(a, b, M)
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

    ``points``: ``x``, ``weight`` per draw (the sweep over proposal means is
    :func:`importance_sweep`).
    """

    estimate: float
    stderr: float
    self_normalised: float
    ess: float
    n: int
    exact: float
    points: pd.DataFrame


@st.cache_resource(max_entries=CACHE_ENTRIES, show_spinner=False)  # shared, not copied: see the module notes
def importance_view(shift: float, scale: float, n: int, seed: int) -> ImportanceView:
    """One importance-sampling run from q = N(shift, scale²) (core.importance_estimate).

    The target is p = N(0, 1) and f(x) = x², so the exact answer is E_p[X²] = 1.
    """
    proposal = Gaussian(shift, scale)  # validates `scale` with core's message
    check_int(n, "n", minimum=2)
    x = proposal.sample(n, rng=np.random.default_rng(seed))
    res = core_sampling.importance_estimate(x**2, Gaussian(0.0, 1.0).logpdf(x), proposal.logpdf(x))
    return ImportanceView(
        estimate=res.estimate,
        stderr=math.sqrt(res.variance),
        self_normalised=res.self_normalised,
        ess=res.ess,
        n=res.n,
        exact=Gaussian(0.0, 1.0).var(),  # E[X²] = σ² for a centred normal
        points=pd.DataFrame({"x": x, "weight": res.weights}),
    )


@st.cache_resource(max_entries=CACHE_ENTRIES, show_spinner=False)  # shared, not copied: see the module notes
def importance_sweep(scale: float, n: int, seed: int, *, repeats: int = IMPORTANCE_REPEATS) -> pd.DataFrame:
    """Repeated importance estimates of E_p[X²] for each proposal mean in IMPORTANCE_SHIFTS.

    Keyed only on what it uses (not on the chosen proposal mean): every shift's
    ``repeats`` runs of ``n`` draws are one array operation. Columns ``shift``,
    ``ess_fraction`` (ESS / n of the first run), ``spread`` (standard deviation of the
    estimates) and ``mean_estimate``.
    """
    Gaussian(0.0, scale)  # validates `scale`
    check_int(n, "n", minimum=2)
    check_int(repeats, "repeats", minimum=2)
    shifts = np.asarray(IMPORTANCE_SHIFTS, dtype=float)[:, None, None]
    x = shifts + scale * np.random.default_rng(seed).standard_normal((shifts.size, repeats, n))
    # log p − log q for p = N(0, 1), q = N(shift, scale²): the 1/√(2π) cancels.
    log_w = -0.5 * x**2 + 0.5 * ((x - shifts) / scale) ** 2 + math.log(scale)
    w = np.exp(log_w)
    estimates = (w * x**2).mean(axis=2)
    first = w[:, 0, :]
    return pd.DataFrame(
        {
            "shift": np.asarray(IMPORTANCE_SHIFTS, dtype=float),
            "ess_fraction": first.sum(axis=1) ** 2 / (first**2).sum(axis=1) / n,
            "spread": estimates.std(axis=1, ddof=1),
            "mean_estimate": estimates.mean(axis=1),
        }
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


@st.cache_resource(max_entries=CACHE_ENTRIES, show_spinner=False)  # shared, not copied: see the module notes
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


@st.cache_resource(max_entries=CACHE_ENTRIES, show_spinner=False)  # shared, not copied: see the module notes
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



