"""Cached wrappers around :mod:`core` for the dashboard pages.

Pages call these functions and never do arithmetic themselves. Each wrapper calls
core (which validates its input and raises ``ValueError`` naming the bad argument)
and turns the result into plain numbers or a small DataFrame ready for
:mod:`dashboard.charts`. Caches are bounded (``max_entries``) so a long session of
slider dragging cannot grow memory without limit. Row counts stay small on purpose:
everything in an Altair chart is shipped to the browser.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st
from scipy import stats

from core import fisher as core_fisher
from core import sampling as core_sampling
from core.bayes import beta_binomial_trace, beta_binomial_update
from core.distributions import Beta, Dirichlet, Gaussian, barycentric_to_cartesian
from core.distributions import family as make_family
from core.information import (
    conditional_entropy,
    cross_entropy,
    cross_entropy_from_logits,
    entropy,
    gaussian_js,
    gaussian_kl,
    gaussian_mutual_information,
    joint_entropy,
    kl_divergence,
    mutual_information,
    perplexity,
    pointwise_mutual_information,
)
from core.joint_tables import discretised_bivariate_gaussian
from core.moments import (
    clt_sample_means,
    correlation,
    covariance,
    expectation,
    sample_covariance,
    standard_deviation,
    total_expectation,
    variance,
)
from core.sampling import sampling_probs
from core.validation import check_int, check_logits

__all__ = [
    "BETA_GRID_POINTS",
    "CACHE_ENTRIES",
    "CDF_DRAWS",
    "CLIPPED_OBJECTIVE",
    "CLOSED_FORM",
    "CLT_BINS",
    "CLT_MEANS",
    "CR_MAX_BARS",
    "DISCRETISED",
    "ENVELOPE",
    "FAMILY_BINS",
    "FAMILY_SAMPLES",
    "FILTERED",
    "GAUSSIAN_GRID_POINTS",
    "H_P",
    "H_PQ",
    "H_Q",
    "IMPORTANCE_REPEATS",
    "IMPORTANCE_SHIFTS",
    "JOINT",
    "JS",
    "JS_BOUND_NATS",
    "KFAC_SCALES",
    "KL_PQ",
    "KL_P_Q",
    "KL_QP",
    "LIKELIHOOD",
    "LL_FLOOR",
    "LL_GRID_POINTS",
    "LL_SIZE_FACTORS",
    "MI_PRESETS",
    "NLL_GRID_CELLS",
    "PMI",
    "POSTERIOR",
    "PPL",
    "PPO_RATIOS",
    "PRIOR",
    "PRODUCT",
    "QUADRATIC",
    "REJECTION_POINTS_SHOWN",
    "RHO_SWEEP",
    "SAMPLING_GRID_POINTS",
    "SIMPLEX_RESOLUTION",
    "SIMPLEX_SAMPLES",
    "SWEEP_POINTS",
    "SWEEP_WIDTH_SIGMAS",
    "TARGET",
    "TEMPERATURE_LADDER",
    "TEMPERED",
    "UNCLIPPED",
    "CLTView",
    "CramerRaoView",
    "DiscreteMoments",
    "Divergences",
    "FamilySummary",
    "GaussianTable",
    "GradientPaths",
    "ImportanceView",
    "InformationSummary",
    "InverseCDF",
    "JointMoments",
    "KFACView",
    "KLDivTrap",
    "KLEstimatorView",
    "LikelihoodView",
    "MutualInformationSummary",
    "NextToken",
    "PPOView",
    "PosteriorSummary",
    "RejectionView",
    "Sweep",
    "TotalExpectationSteps",
    "beta_binomial_curves",
    "beta_binomial_steps",
    "beta_binomial_summary",
    "clt_view",
    "cramer_rao_view",
    "cross_entropy_decomposition",
    "dirichlet_samples",
    "dirichlet_simplex",
    "discrete_moments",
    "divergence_sweep",
    "family_density",
    "family_samples",
    "family_summary",
    "gaussian_curves",
    "gaussian_divergences",
    "gaussian_mi",
    "gaussian_table",
    "gradient_paths",
    "importance_view",
    "index_labels",
    "information_diagram",
    "information_summary",
    "information_table",
    "inverse_cdf",
    "joint_heatmaps",
    "joint_moments",
    "kfac_view",
    "kl_div_trap",
    "kl_estimator_view",
    "likelihood_view",
    "mutual_information_summary",
    "mutual_information_sweep",
    "next_token",
    "parse_numbers",
    "parse_table",
    "parse_tokens",
    "perplexity_of",
    "ppo_view",
    "rejection_view",
    "token_bars",
    "token_distributions",
    "total_expectation_steps",
    "uniform_model",
]

#: Bound on every cache below.
CACHE_ENTRIES = 64
#: Points per Beta density curve (cell midpoints of [0, 1]; three curves per chart).
BETA_GRID_POINTS = 400
#: Points per Gaussian density curve, over mean ± 4 standard deviations.
GAUSSIAN_GRID_POINTS = 301
#: Mean separations in the KL-vs-JS sweep; JS is a quadrature per point, so keep it modest.
SWEEP_POINTS = 41
#: The sweep runs the means apart to this many of the larger standard deviation.
SWEEP_WIDTH_SIGMAS = 6.0
#: Jensen-Shannon divergence in nats never exceeds ln 2 (the course's table).
JS_BOUND_NATS = math.log(2.0)

#: Display names of the curves and divergences (column values in the DataFrames).
PRIOR, LIKELIHOOD, POSTERIOR = "prior", "likelihood (normalised)", "posterior"
KL_PQ, KL_QP, JS = "KL(P‖Q)", "KL(Q‖P)", "JS(P, Q)"


@dataclass(frozen=True)
class PosteriorSummary:
    """What the Beta-Binomial page shows about the posterior Beta(alpha, beta).

    ``map`` and ``mle`` are nan where core says they are undefined (a uniform or
    U-shaped posterior; no flips yet).
    """

    alpha: float
    beta: float
    mean: float
    map: float
    mle: float
    level: float
    interval_low: float
    interval_high: float


@dataclass(frozen=True)
class Divergences:
    """KL both ways and JS between P = N(mu1, sigma1²) and Q = N(mu2, sigma2²), in nats."""

    kl_pq: float
    kl_qp: float
    js: float


@dataclass(frozen=True)
class Sweep:
    """Divergences as the means move apart (a long DataFrame: ``separation``,
    ``divergence``, ``nats``) and the separation ``|mu2 - mu1|`` of the current inputs."""

    frame: pd.DataFrame
    current_separation: float


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def beta_binomial_summary(
    alpha0: float, beta0: float, heads: int, tails: int, *, level: float = 0.95
) -> PosteriorSummary:
    """Posterior point estimates and the equal-tailed credible interval of mass ``level``."""
    post = beta_binomial_update(alpha0, beta0, heads, tails)
    low, high = post.credible_interval(level)
    return PosteriorSummary(
        alpha=post.alpha,
        beta=post.beta,
        mean=post.mean,
        map=post.map,
        mle=post.mle,
        level=level,
        interval_low=low,
        interval_high=high,
    )


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def beta_binomial_curves(
    alpha0: float, beta0: float, heads: int, tails: int, *, n_points: int = BETA_GRID_POINTS
) -> pd.DataFrame:
    """Prior, posterior and normalised likelihood densities of p on one grid.

    Returns a long DataFrame with columns ``p``, ``density``, ``curve``.
    """
    # Validate through the update first, so bad counts are reported as `heads`/`tails`.
    post = beta_binomial_update(alpha0, beta0, heads, tails)
    # The likelihood p^h (1-p)^t divided by its integral over p, B(h+1, t+1), is the
    # Beta(h+1, t+1) density: the likelihood scaled to area 1, comparable with the others.
    # The likelihood comes last so it is drawn on top (with a flat prior it equals the posterior).
    curves = {
        PRIOR: Beta(post.alpha0, post.beta0),
        POSTERIOR: Beta(post.alpha, post.beta),
        LIKELIHOOD: Beta(post.heads + 1, post.tails + 1),
    }
    frames = []
    for name, dist in curves.items():
        grid = dist.grid(n_points=n_points)
        frames.append(pd.DataFrame({"p": grid.x, "density": grid.density, "curve": name}))
    return pd.concat(frames, ignore_index=True)


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def beta_binomial_steps(alpha0: float, beta0: float, flips: str) -> pd.DataFrame:
    """The posterior after each flip of ``flips`` (row 0 is the prior).

    Columns: ``step``, ``flip`` (``"prior"`` on row 0), ``alpha``, ``beta``, ``mean``,
    ``map``, ``mle``.
    """
    steps = beta_binomial_trace(alpha0, beta0, flips)
    return pd.DataFrame(
        {
            "step": [s.index for s in steps],
            "flip": [s.flip if s.flip is not None else "prior" for s in steps],
            "alpha": [s.alpha for s in steps],
            "beta": [s.beta for s in steps],
            "mean": [s.mean for s in steps],
            "map": [s.map for s in steps],
            "mle": [s.mle for s in steps],
        }
    )


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def gaussian_divergences(mu1: float, sigma1: float, mu2: float, sigma2: float) -> Divergences:
    """KL(P‖Q), KL(Q‖P) and JS(P, Q) in nats."""
    return Divergences(
        kl_pq=float(gaussian_kl(mu1, sigma1, mu2, sigma2)),
        kl_qp=float(gaussian_kl(mu2, sigma2, mu1, sigma1)),
        js=float(gaussian_js(mu1, sigma1, mu2, sigma2)),
    )


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def gaussian_curves(
    mu1: float, sigma1: float, mu2: float, sigma2: float, *, n_points: int = GAUSSIAN_GRID_POINTS
) -> pd.DataFrame:
    """Densities of P and Q, each over its mean ± 4 standard deviations.

    Columns: ``x``, ``density``, ``distribution`` (``"P"`` or ``"Q"``).
    """
    frames = []
    for name, dist in (("P", Gaussian(mu1, sigma1)), ("Q", Gaussian(mu2, sigma2))):
        grid = dist.grid(n_points=n_points)
        frames.append(pd.DataFrame({"x": grid.x, "density": grid.density, "distribution": name}))
    return pd.concat(frames, ignore_index=True)


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def divergence_sweep(
    mu1: float, sigma1: float, mu2: float, sigma2: float, *, n_points: int = SWEEP_POINTS
) -> Sweep:
    """KL both ways and JS as Q's mean moves away from P's, widths held fixed.

    Q's mean runs from ``mu1`` towards (and past) ``mu2`` until the separation
    ``|mu2' - mu1|`` reaches the larger of ``SWEEP_WIDTH_SIGMAS`` standard deviations
    and the current separation, so the current view is always on the chart.

    The frame's ``separation`` column is ``|mu2' - mu1|`` for the moved mean mu2'.
    """
    gaussian_kl(mu1, sigma1, mu2, sigma2)  # validates the inputs, with core's messages
    direction = 1.0 if mu2 >= mu1 else -1.0
    widest = max(SWEEP_WIDTH_SIGMAS * max(sigma1, sigma2), abs(mu2 - mu1))
    separation = np.linspace(0.0, widest, n_points)
    moved = mu1 + direction * separation
    values = {
        KL_PQ: gaussian_kl(mu1, sigma1, moved, sigma2),
        KL_QP: gaussian_kl(moved, sigma2, mu1, sigma1),
        JS: gaussian_js(mu1, sigma1, moved, sigma2),
    }
    frame = pd.concat(
        [
            pd.DataFrame({"separation": separation, "divergence": name, "nats": np.asarray(v)})
            for name, v in values.items()
        ],
        ignore_index=True,
    )
    return Sweep(frame=frame, current_separation=abs(mu2 - mu1))


# --- Typed-in numbers (moments, entropy and mutual information pages)
# Lists and tables are typed as text so they can live in the URL; these only split and
# convert, and core then checks the numbers themselves (sums, signs, finiteness).


def parse_numbers(text: str, name: str) -> tuple[float, ...]:
    """The numbers in ``text``, separated by commas and/or spaces.

    Raises ``ValueError`` naming ``name`` when the text is empty or a piece is not a number.

    Examples
    --------
    >>> parse_numbers("0.5, 0.25 0.25", "probs")
    (0.5, 0.25, 0.25)
    >>> parse_numbers("1, two", "values")
    Traceback (most recent call last):
    ...
    ValueError: `values` has 'two', which is not a number
    """
    pieces = text.replace(",", " ").split()
    if not pieces:
        raise ValueError(f"`{name}` is empty; type numbers separated by commas")
    numbers = []
    for piece in pieces:
        try:
            numbers.append(float(piece))
        except ValueError:
            raise ValueError(f"`{name}` has {piece!r}, which is not a number") from None
    return tuple(numbers)


def parse_table(text: str, name: str) -> tuple[tuple[float, ...], ...]:
    """A table typed as rows separated by new lines or semicolons, entries by commas.

    Examples
    --------
    >>> parse_table("0.1, 0.2; 0.3, 0.4", "joint")
    ((0.1, 0.2), (0.3, 0.4))
    >>> parse_table("0.5, 0.5; 1", "joint")
    Traceback (most recent call last):
    ...
    ValueError: `joint` row 2 has 1 entries; row 1 has 2
    """
    lines = [line for line in text.replace(";", "\n").splitlines() if line.strip()]
    if not lines:
        raise ValueError(f"`{name}` is empty; type one row per line")
    rows = [parse_numbers(line, name) for line in lines]
    for i, row in enumerate(rows[1:], start=2):
        if len(row) != len(rows[0]):
            raise ValueError(f"`{name}` row {i} has {len(row)} entries; row 1 has {len(rows[0])}")
    return tuple(rows)


def parse_tokens(text: str, name: str) -> tuple[str, ...]:
    """Words separated by commas, stripped; empty pieces are dropped.

    Examples
    --------
    >>> parse_tokens("the, cat , sat", "tokens")
    ('the', 'cat', 'sat')
    """
    tokens = tuple(t.strip() for t in text.split(",") if t.strip())
    if not tokens:
        raise ValueError(f"`{name}` is empty; type tokens separated by commas")
    return tokens


def _histogram(samples: np.ndarray, low: float, high: float, bins: int) -> pd.DataFrame:
    """Density histogram on ``bins`` equal cells of [low, high]: count / (N · width).

    Dividing by all N draws (not only those in range) keeps the bars on the scale of the
    density they are drawn against, whatever falls outside the range.
    """
    counts, edges = np.histogram(samples, bins=bins, range=(low, high))
    width = edges[1] - edges[0]
    return pd.DataFrame(
        {"bin_start": edges[:-1], "bin_end": edges[1:], "density": counts / (len(samples) * width)}
    )


# --- Moments page

#: Histogram bars for the CLT chart, and sample means simulated per view.
CLT_BINS = 40
CLT_MEANS = 4000


@dataclass(frozen=True)
class DiscreteMoments:
    """E[X], Var(X) by both formulas, σ, and the pmf (columns ``x``, ``probability``)."""

    mean: float
    variance_definition: float
    variance_computational: float
    standard_deviation: float
    pmf: pd.DataFrame


@dataclass(frozen=True)
class JointMoments:
    """Means, Cov and Corr from a joint table. ``correlation`` is nan when X or Y is
    constant, with core's reason in ``correlation_note``."""

    mean_x: float
    mean_y: float
    covariance: float
    correlation: float
    correlation_note: str | None


@dataclass(frozen=True)
class TotalExpectationSteps:
    """E[E[X|Y]] worked out: one row per value of Y (columns ``y``, ``p_y``,
    ``conditional_mean``, ``weighted``), their sum and E[X] from X's marginal."""

    frame: pd.DataFrame
    mean_of_conditional_means: float
    mean: float


@dataclass(frozen=True)
class CLTView:
    """Sample means of ``n`` draws, pre-binned, and their Gaussian approximation.

    ``histogram`` has ``bin_start``, ``bin_end``, ``density``; ``curve`` has ``x``,
    ``density``. Both span mu ± 4.5 sigma.
    """

    histogram: pd.DataFrame
    curve: pd.DataFrame
    mu: float
    sigma: float
    mean_of_means: float
    sd_of_means: float


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def discrete_moments(values: tuple[float, ...], probs: tuple[float, ...]) -> DiscreteMoments:
    """Moments of X with P(X = values[i]) = probs[i]."""
    return DiscreteMoments(
        mean=expectation(values, probs),
        variance_definition=variance(values, probs, method="definition"),
        variance_computational=variance(values, probs, method="computational"),
        standard_deviation=standard_deviation(values, probs),
        pmf=pd.DataFrame({"x": values, "probability": probs}),
    )


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def joint_moments(
    x_values: tuple[float, ...], y_values: tuple[float, ...], joint: tuple[tuple[float, ...], ...]
) -> JointMoments:
    """E[X], E[Y], Cov(X, Y) and Corr(X, Y) (X on the rows of ``joint``)."""
    cov = covariance(x_values, y_values, joint)  # validates the table and the values
    table = np.asarray(joint)
    try:
        corr, note = correlation(x_values, y_values, joint), None
    except ValueError as exc:  # the inputs are valid (checked above): X or Y is constant
        corr, note = math.nan, str(exc)
    return JointMoments(
        mean_x=expectation(x_values, table.sum(axis=1)),
        mean_y=expectation(y_values, table.sum(axis=0)),
        covariance=cov,
        correlation=corr,
        correlation_note=note,
    )


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def total_expectation_steps(
    x_values: tuple[float, ...], y_values: tuple[float, ...], joint: tuple[tuple[float, ...], ...]
) -> TotalExpectationSteps:
    """The law of total expectation on ``joint``, one row per value of Y."""
    result = total_expectation(x_values, joint)
    if len(y_values) != len(result.p_y):
        raise ValueError(
            f"`y_values` must have one entry per column of `joint` ({len(result.p_y)}); "
            f"got {len(y_values)}"
        )
    frame = pd.DataFrame(
        {
            "y": y_values,
            "p_y": result.p_y,
            "conditional_mean": result.conditional_means,
            "weighted": result.p_y * result.conditional_means,
        }
    )
    return TotalExpectationSteps(
        frame=frame, mean_of_conditional_means=result.mean_of_conditional_means, mean=result.mean
    )


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def clt_view(
    family_name: str,
    params: dict[str, Any],
    n: int,
    seed: int,
    *,
    n_means: int = CLT_MEANS,
    bins: int = CLT_BINS,
) -> CLTView:
    """Simulate ``n_means`` means of ``n`` draws with ``default_rng(seed)``, binned."""
    result = clt_sample_means(
        family_name, params, n, n_means, rng=np.random.default_rng(seed)
    )
    low, high = result.mu - 4.5 * result.sigma, result.mu + 4.5 * result.sigma
    approx = Gaussian(result.mu, result.sigma).grid(n_points=GAUSSIAN_GRID_POINTS, width=4.5)
    return CLTView(
        histogram=_histogram(result.means, low, high, bins),
        curve=pd.DataFrame({"x": approx.x, "density": approx.density}),
        mu=result.mu,
        sigma=result.sigma,
        mean_of_means=float(np.mean(result.means)),
        sd_of_means=math.sqrt(sample_covariance(result.means, result.means)),
    )


# --- Distributions page

#: Draws per sample histogram, bars per continuous histogram, Dirichlet lattice and dots.
FAMILY_SAMPLES = 2000
FAMILY_BINS = 40
SIMPLEX_RESOLUTION = 40
SIMPLEX_SAMPLES = 300


@dataclass(frozen=True)
class FamilySummary:
    """Mean, variance (vectors for the Dirichlet, one entry otherwise) and entropy in nats
    (differential for the continuous families)."""

    mean: tuple[float, ...]
    variance: tuple[float, ...]
    entropy_nats: float
    discrete: bool


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def family_summary(family_name: str, params: dict[str, Any]) -> FamilySummary:
    """Mean, variance and entropy of one of the five families."""
    dist = make_family(family_name, **params)
    return FamilySummary(
        mean=tuple(float(v) for v in np.atleast_1d(dist.mean())),
        variance=tuple(float(v) for v in np.atleast_1d(dist.var())),
        entropy_nats=dist.entropy(),
        discrete=dist.discrete,
    )


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def family_density(family_name: str, params: dict[str, Any]) -> pd.DataFrame:
    """The pmf or pdf of a one-dimensional family on its plotting grid (``x``, ``density``)."""
    dist = make_family(family_name, **params)
    if isinstance(dist, Dirichlet):
        raise ValueError("`family_name` 'dirichlet' lives on the simplex; use dirichlet_simplex")
    grid = dist.grid()
    return pd.DataFrame({"x": np.asarray(grid.x, dtype=float), "density": grid.density})


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def family_samples(
    family_name: str,
    params: dict[str, Any],
    seed: int,
    *,
    n_samples: int = FAMILY_SAMPLES,
    bins: int = FAMILY_BINS,
) -> pd.DataFrame:
    """Draws from a one-dimensional family, binned (``bin_start``, ``bin_end``, ``density``).

    Discrete families get one bar per outcome k on [k − 0.25, k + 0.25] whose height is the
    observed frequency (comparable with the pmf); continuous ones a density histogram
    over the density grid's range.
    """
    dist = make_family(family_name, **params)
    if isinstance(dist, Dirichlet):
        raise ValueError("`family_name` 'dirichlet' lives on the simplex; use dirichlet_samples")
    draws = np.asarray(dist.sample(n_samples, rng=np.random.default_rng(seed)), dtype=float)
    if dist.discrete:
        outcomes = np.asarray(dist.grid().x, dtype=float)
        counts = np.bincount(draws.astype(np.intp), minlength=len(outcomes))
        return pd.DataFrame(
            {"bin_start": outcomes - 0.25, "bin_end": outcomes + 0.25, "density": counts / n_samples}
        )
    grid_x = np.asarray(dist.grid().x, dtype=float)
    low, high = (0.0, 1.0) if isinstance(dist, Beta) else (grid_x[0], grid_x[-1])
    return _histogram(draws, low, high, bins)


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def dirichlet_simplex(
    alpha: tuple[float, ...], *, resolution: int = SIMPLEX_RESOLUTION
) -> pd.DataFrame:
    """Dirichlet density on an interior lattice of the triangle.

    Columns ``x``, ``y`` (the point in the triangle), ``pi1``, ``pi2``, ``pi3``
    (its probability vector) and ``density``.
    """
    grid = Dirichlet(alpha).grid(resolution=resolution)
    xy = barycentric_to_cartesian(grid.x)
    return pd.DataFrame(
        {
            "x": xy[:, 0],
            "y": xy[:, 1],
            "pi1": grid.x[:, 0],
            "pi2": grid.x[:, 1],
            "pi3": grid.x[:, 2],
            "density": grid.density,
        }
    )


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def dirichlet_samples(
    alpha: tuple[float, ...], seed: int, *, n_samples: int = SIMPLEX_SAMPLES
) -> pd.DataFrame:
    """Draws from Dirichlet(alpha) (K = 3) as points of the triangle (``x``, ``y``)."""
    dist = Dirichlet(alpha)
    if dist.k != 3:
        raise ValueError(f"`alpha` must have 3 components to draw on the triangle; got {dist.k}")
    draws = dist.sample(n_samples, rng=np.random.default_rng(seed))
    xy = barycentric_to_cartesian(draws)
    return pd.DataFrame({"x": xy[:, 0], "y": xy[:, 1]})


# --- Entropy & perplexity page

#: Names of the quantities in the entropy page's table and decomposition chart.
H_P, H_Q, H_PQ, KL_P_Q, PPL = "H(P)", "H(Q)", "H(P, Q)", "KL(P‖Q)", "perplexity"
#: Temperatures of the decomposition chart (the current one is added).
TEMPERATURE_LADDER = (0.25, 0.5, 1.0, 2.0, 4.0)


@dataclass(frozen=True)
class InformationSummary:
    """Entropies, cross-entropy and KL of P and Q in one unit, with the perplexity."""

    entropy_p: float
    entropy_q: float
    cross_entropy: float
    kl: float
    perplexity: float


def _unit_base(unit: str) -> float | None:
    if unit not in ("nats", "bits"):
        raise ValueError(f"`unit` must be 'nats' or 'bits'; got {unit!r}")
    return None if unit == "nats" else 2.0


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def token_distributions(
    tokens: tuple[str, ...],
    p_logits: tuple[float, ...],
    q_logits: tuple[float, ...],
    temperature: float,
) -> pd.DataFrame:
    """P = softmax(p_logits) and Q = softmax(q_logits / T), long format.

    Columns ``token``, ``distribution`` (``"P (data)"``, ``"Q (model)"``), ``probability``.
    """
    # Name the argument in errors (core's softmax calls both of them `logits`).
    p = sampling_probs(check_logits(p_logits, "p_logits", ndim=1))
    q = sampling_probs(check_logits(q_logits, "q_logits", ndim=1), temperature=temperature)
    if not (len(tokens) == len(p) == len(q)):
        raise ValueError(
            f"`tokens`, `p_logits` and `q_logits` must have the same length; "
            f"got {len(tokens)}, {len(p)} and {len(q)}"
        )
    return pd.concat(
        [
            pd.DataFrame({"token": tokens, "distribution": name, "probability": probs})
            for name, probs in (("P (data)", p), ("Q (model)", q))
        ],
        ignore_index=True,
    )


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def information_summary(
    p_logits: tuple[float, ...], q_logits: tuple[float, ...], temperature: float, unit: str
) -> InformationSummary:
    """H(P), H(Q), H(P, Q), KL(P‖Q) in ``unit`` ("nats" or "bits") and exp of H(P, Q) in nats."""
    base = _unit_base(unit)
    # Name the argument in errors (core's softmax calls both of them `logits`).
    p = sampling_probs(check_logits(p_logits, "p_logits", ndim=1))
    q = sampling_probs(check_logits(q_logits, "q_logits", ndim=1), temperature=temperature)
    if len(p) != len(q):
        raise ValueError(
            f"`p_logits` and `q_logits` must have the same length; got {len(p)} and {len(q)}"
        )
    h_pq = float(cross_entropy(p, q, base=base))
    return InformationSummary(
        entropy_p=float(entropy(p, base=base)),
        entropy_q=float(entropy(q, base=base)),
        cross_entropy=h_pq,
        kl=float(kl_divergence(p, q, base=base)),
        perplexity=float(perplexity(h_pq, base=base)),
    )


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def information_table(
    p_logits: tuple[float, ...], q_logits: tuple[float, ...], temperature: float
) -> pd.DataFrame:
    """The page's quantities in both units: columns ``quantity``, ``nats``, ``bits``."""
    nats = information_summary(p_logits, q_logits, temperature, "nats")
    bits = information_summary(p_logits, q_logits, temperature, "bits")
    fields = (("entropy_p", H_P), ("entropy_q", H_Q), ("cross_entropy", H_PQ), ("kl", KL_P_Q))
    rows = [(label, getattr(nats, f), getattr(bits, f)) for f, label in fields]
    rows.append((PPL, nats.perplexity, bits.perplexity))
    return pd.DataFrame(rows, columns=["quantity", "nats", "bits"])


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def cross_entropy_decomposition(
    p_logits: tuple[float, ...], q_logits: tuple[float, ...], temperature: float, unit: str
) -> pd.DataFrame:
    """H(P, Q) = H(P) + KL(P‖Q) at the ladder of temperatures plus the current one.

    Long format: ``temperature`` (a label, ``"T = 1"``), ``part`` (H(P) or KL(P‖Q)),
    ``value``, ``current`` (True on the bars of the chosen temperature).
    """
    temperatures = sorted(set(TEMPERATURE_LADDER) | {float(temperature)})
    rows = []
    for t in temperatures:
        s = information_summary(p_logits, q_logits, t, unit)
        for part, value in ((H_P, s.entropy_p), (KL_P_Q, s.kl)):
            rows.append(
                {"temperature": f"T = {t:g}", "part": part, "value": value, "current": t == temperature}
            )
    return pd.DataFrame(rows)


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def uniform_model(vocab_size: int) -> tuple[float, float]:
    """Mean NLL (nats) and perplexity of the uniform model over ``vocab_size`` tokens.

    All logits equal; whichever token comes next costs ln V nats.
    """
    vocab_size = check_int(vocab_size, "vocab_size", minimum=1)
    nll = float(cross_entropy_from_logits(np.zeros((1, vocab_size)), np.array([0])))
    return nll, float(perplexity(nll))


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def perplexity_of(mean_nll: float, unit: str) -> float:
    """Perplexity from an average NLL per token measured in ``unit`` ("nats" or "bits")."""
    return float(perplexity(mean_nll, base=_unit_base(unit)))


# --- Mutual information page

#: Ready-made joint tables (X on rows) for the mutual information page.
MI_PRESETS: dict[str, tuple[tuple[float, ...], ...]] = {
    "Independent coins": ((0.25, 0.25), (0.25, 0.25)),
    "Y copies X": ((0.5, 0.0), (0.0, 0.5)),
    "Noisy copy (10% flips)": ((0.45, 0.05), (0.05, 0.45)),
    "Word and next word": (
        (0.30, 0.05, 0.05),
        (0.05, 0.20, 0.05),
        (0.02, 0.03, 0.25),
    ),
}
#: Correlations in the MI-against-ρ sweep (stops short of ±1, where MI is infinite).
RHO_SWEEP = tuple(float(r) for r in np.round(np.linspace(-0.95, 0.95, 39), 3))
#: Names of the panels of the joint-table heatmaps and the curves of the sweep.
JOINT, PRODUCT, PMI = "P(X, Y)", "P(X) P(Y)", "PMI log P(x,y) / P(x)P(y)"
CLOSED_FORM, DISCRETISED = "closed form −½ log(1 − ρ²)", "discretised table"


@dataclass(frozen=True)
class GaussianTable:
    """A discretised bivariate Gaussian and the labels of its cells."""

    joint: tuple[tuple[float, ...], ...]
    labels: tuple[str, ...]


@dataclass(frozen=True)
class MutualInformationSummary:
    """The entropies of a joint table and I(X; Y), in one unit."""

    h_x: float
    h_y: float
    h_xy: float
    h_x_given_y: float
    h_y_given_x: float
    mi: float


def index_labels(
    joint: tuple[tuple[float, ...], ...],
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Labels "0", "1", … for the rows and the columns of a typed or preset table.

    Examples
    --------
    >>> index_labels(((0.5, 0.25, 0.25),))
    (('0',), ('0', '1', '2'))
    """
    n_cols = len(joint[0]) if joint else 0
    return tuple(str(i) for i in range(len(joint))), tuple(str(j) for j in range(n_cols))


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def gaussian_table(rho: float, n_cells: int) -> GaussianTable:
    """The standard bivariate Gaussian with correlation ``rho`` on ``n_cells``² cells."""
    d = discretised_bivariate_gaussian(rho, n_cells=n_cells)
    return GaussianTable(
        joint=tuple(tuple(float(v) for v in row) for row in d.table),
        labels=tuple(f"{round(c, 2) + 0.0:+.2f}" for c in d.centres),  # + 0.0: no "-0.00"
    )


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def gaussian_mi(rho: float, unit: str) -> float:
    """The closed form −½ log(1 − ρ²) of a bivariate Gaussian's mutual information."""
    return float(gaussian_mutual_information(rho, base=_unit_base(unit)))


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def mutual_information_summary(
    joint: tuple[tuple[float, ...], ...], unit: str
) -> MutualInformationSummary:
    """H(X), H(Y), H(X, Y), H(X|Y), H(Y|X) and I(X; Y) of ``joint`` (X on rows)."""
    base = _unit_base(unit)
    table = np.asarray(joint, dtype=float) if joint else np.zeros((0, 0))
    h_xy = joint_entropy(table, base=base)  # validates the table first
    return MutualInformationSummary(
        h_x=float(entropy(table.sum(axis=1), base=base)),
        h_y=float(entropy(table.sum(axis=0), base=base)),
        h_xy=h_xy,
        h_x_given_y=conditional_entropy(table, base=base),
        h_y_given_x=conditional_entropy(table.T, base=base),
        mi=mutual_information(table, base=base),
    )


def information_diagram(summary: MutualInformationSummary) -> pd.DataFrame:
    """Segments of the Venn-style bar: H(X) and H(Y) overlapping by I(X; Y).

    Columns ``entropy`` (H(X), H(Y), H(X, Y)), ``part``, ``start``, ``end``, ``value``.
    """
    s = summary
    segments = [
        ("H(X)", "H(X|Y)", 0.0, s.h_x_given_y),
        ("H(X)", "I(X;Y)", s.h_x_given_y, s.h_x),
        ("H(Y)", "I(X;Y)", s.h_x_given_y, s.h_x),
        ("H(Y)", "H(Y|X)", s.h_x, s.h_x + s.h_y_given_x),
        ("H(X, Y)", "H(X|Y)", 0.0, s.h_x_given_y),
        ("H(X, Y)", "I(X;Y)", s.h_x_given_y, s.h_x),
        ("H(X, Y)", "H(Y|X)", s.h_x, s.h_xy),
    ]
    frame = pd.DataFrame(segments, columns=["entropy", "part", "start", "end"])
    frame["value"] = frame["end"] - frame["start"]
    return frame


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def joint_heatmaps(
    joint: tuple[tuple[float, ...], ...],
    x_labels: tuple[str, ...],
    y_labels: tuple[str, ...],
    unit: str,
) -> pd.DataFrame:
    """P(X, Y), P(X)P(Y) and the pointwise MI of every cell, long format.

    Columns ``x``, ``y`` (cell labels), ``panel``, ``value`` (nan where the PMI is −∞ or
    undefined, which a heatmap cannot colour) and ``text`` (the value as shown, "−∞"
    where P(x, y) = 0).
    """
    base = _unit_base(unit)
    table = np.asarray(joint, dtype=float) if joint else np.zeros((0, 0))
    pmi = pointwise_mutual_information(table, base=base)  # validates the table
    if len(x_labels) != table.shape[0] or len(y_labels) != table.shape[1]:
        raise ValueError(
            f"`x_labels` and `y_labels` must label the {table.shape[0]}×{table.shape[1]} "
            f"table; got {len(x_labels)} and {len(y_labels)}"
        )
    product = np.outer(table.sum(axis=1), table.sum(axis=0))
    xs, ys = np.meshgrid(x_labels, y_labels, indexing="ij")
    frames = []
    for panel, values in ((JOINT, table), (PRODUCT, product), (PMI, pmi)):
        finite = np.where(np.isfinite(values), values, np.nan)
        text = np.where(
            np.isneginf(values), "−∞", np.where(np.isnan(values), "undefined", np.char.mod("%.3f", finite))
        )
        frames.append(
            pd.DataFrame(
                {"x": xs.ravel(), "y": ys.ravel(), "panel": panel, "value": finite.ravel(),
                 "text": text.ravel()}
            )
        )
    return pd.concat(frames, ignore_index=True)


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def mutual_information_sweep(n_cells: int, unit: str) -> pd.DataFrame:
    """I(X; Y) against ρ: the closed form beside the discretised table on ``n_cells``².

    Long format: ``rho``, ``curve`` (CLOSED_FORM or DISCRETISED), ``mi``.
    """
    base = _unit_base(unit)
    rho = np.asarray(RHO_SWEEP)
    discretised = [
        mutual_information(discretised_bivariate_gaussian(r, n_cells=n_cells).table, base=base)
        for r in rho
    ]
    return pd.concat(
        [
            pd.DataFrame({"rho": rho, "curve": CLOSED_FORM,
                          "mi": np.asarray(gaussian_mutual_information(rho, base=base))}),
            pd.DataFrame({"rho": rho, "curve": DISCRETISED, "mi": discretised}),
        ],
        ignore_index=True,
    )


# --- Sampling page
# Token sampling, rejection and importance sampling, PPO clipping and the KL estimators.
# The random draws use a seed widget, so a URL reproduces the same points.

#: Uniforms drawn on the inverse-CDF chart.
CDF_DRAWS = 12
#: Points drawn on the rejection-sampling chart (every proposal still counts in the rate).
REJECTION_POINTS_SHOWN = 2000
#: Points per density curve on the sampling page.
SAMPLING_GRID_POINTS = 201
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


# --- Fisher information page
# Log-likelihood curvature, the Cramér–Rao simulation, natural-gradient paths, K-FAC.

#: Points per log-likelihood curve; curves are cut below LL_FLOOR (far from the MLE).
LL_GRID_POINTS = 301
LL_FLOOR = -10.0
#: The log-likelihood chart shows n, 4n and 16n observations.
LL_SIZE_FACTORS = (1, 4, 16)
#: Bars in the Cramér–Rao histogram (at most; one per value k/n when n is small).
CR_MAX_BARS = 80
#: Cells per side of the negative log-likelihood heatmap under the gradient paths.
NLL_GRID_CELLS = 40
#: Weight scales in the K-FAC error sweep.
KFAC_SCALES = tuple(np.round(np.linspace(0.0, 4.0, 17), 2))
QUADRATIC = "quadratic at the MLE (n)"


@dataclass(frozen=True)
class LikelihoodView:
    """Log-likelihood curves for n, 4n, 16n and the quadratic of curvature n F(θ̂).

    ``curves``: ``theta``, ``curve`` (e.g. "n = 20"), ``log_likelihood`` (ℓ − ℓ(θ̂), cut
    below LL_FLOOR). The scalars are those of the n-observation curve.
    """

    curves: pd.DataFrame
    mle: float
    fisher: float
    curvature: float
    standard_error: float


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def likelihood_view(family: str, mle: float, n: int, sigma: float | None) -> LikelihoodView:
    """core.log_likelihood_curve at n, 4n and 16n on a grid of ± 4.5 standard errors (at n)."""
    probe = core_fisher.log_likelihood_curve(family, [mle], mle=mle, n=n, sigma=sigma)
    half_width = 4.5 * probe.standard_error
    low, high = mle - half_width, mle + half_width
    if family == "bernoulli":
        low, high = max(low, 1e-4), min(high, 1 - 1e-4)
    grid = np.linspace(low, high, LL_GRID_POINTS)
    frames = []
    for factor in LL_SIZE_FACTORS:
        c = core_fisher.log_likelihood_curve(family, grid, mle=mle, n=factor * n, sigma=sigma)
        frames.append(pd.DataFrame({"theta": grid, "curve": f"n = {factor * n}",
                                    "log_likelihood": c.relative_log_likelihood}))
        if factor == 1:
            first = c
            frames.append(pd.DataFrame({"theta": grid, "curve": QUADRATIC,
                                        "log_likelihood": c.quadratic}))
    curves = pd.concat(frames, ignore_index=True)
    curves = curves[curves["log_likelihood"] >= LL_FLOOR].reset_index(drop=True)
    return LikelihoodView(curves=curves, mle=first.mle, fisher=first.fisher,
                          curvature=first.curvature, standard_error=first.standard_error)


@dataclass(frozen=True)
class CramerRaoView:
    """Simulated Bernoulli MLEs p̂ = k/n against the Cramér–Rao bound p(1 − p)/n.

    ``histogram``: ``bin_start``, ``bin_end``, ``density`` (bars centred on the values k/n).
    ``bound_curve``: ``x``, ``density`` of N(p, bound), the spread an estimator attaining
    the bound would have (for large n).
    """

    mle_mean: float
    mle_variance: float
    bound: float
    n_datasets: int
    histogram: pd.DataFrame
    bound_curve: pd.DataFrame


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def cramer_rao_view(p: float, n: int, n_datasets: int, seed: int) -> CramerRaoView:
    """core.cramer_rao_simulation for a Bernoulli, binned on the lattice k/n."""
    res = core_fisher.cramer_rao_simulation(
        "bernoulli", n=n, n_datasets=n_datasets, rng=np.random.default_rng(seed), p=p
    )
    estimates = res.estimates[:, 0]
    sd = math.sqrt(float(res.bound[0]))
    # p̂ only takes the values k/n: bars of `cells` lattice values each, edges halfway
    # between lattice points, over p ± 6 sd (within [0, 1]).
    k_low = max(0, math.floor((p - 6 * sd) * n))
    k_high = min(n, math.ceil((p + 6 * sd) * n))
    cells = math.ceil((k_high - k_low + 1) / CR_MAX_BARS)
    bars = math.ceil((k_high - k_low + 1) / cells)
    low = (k_low - 0.5) / n
    histogram = _histogram(estimates, low, low + bars * cells / n, bars)
    grid = Gaussian(p, sd).grid(n_points=SAMPLING_GRID_POINTS)
    return CramerRaoView(
        mle_mean=float(estimates.mean()),
        mle_variance=float(res.mle_variance[0]),
        bound=float(res.bound[0]),
        n_datasets=n_datasets,
        histogram=histogram[histogram["density"] > 0].reset_index(drop=True),
        bound_curve=pd.DataFrame({"x": grid.x, "density": grid.density}),
    )


@dataclass(frozen=True)
class GradientPaths:
    """Plain and natural gradient descent on a Gaussian's average NLL, over its heatmap.

    ``paths``: ``method``, ``step``, ``mu``, ``sigma``, ``loss``. ``landscape``: ``mu``,
    ``sigma``, ``nll`` on a NLL_GRID_CELLS² mesh. ``natural_gap``/``plain_gap``: how far
    the (μ, σ) and (μ, log σ) versions of each method end apart (reparameterisation_gap).
    """

    paths: pd.DataFrame
    landscape: pd.DataFrame
    natural_loss: float
    plain_loss: float
    best_loss: float
    natural_gap: float
    plain_gap: float


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def gradient_paths(
    data_mean: float, data_sd: float, mu0: float, sigma0: float, lr: float, n_steps: int,
    parameterization: str,
) -> GradientPaths:
    """core.gaussian_fit_paths and core.gaussian_average_nll on a mesh around the paths.

    The fit depends on the data only through its mean m and standard deviation s, so the
    two points m ± s stand for any dataset with those statistics.
    """
    if not data_sd > 0:
        raise ValueError(f"`data_sd` must be > 0; got {data_sd}")
    data = [data_mean - data_sd, data_mean + data_sd]
    fit = core_fisher.gaussian_fit_paths(
        data, mu0=mu0, sigma0=sigma0, lr=lr, n_steps=n_steps, parameterization=parameterization
    )
    natural_gap, plain_gap = core_fisher.reparameterisation_gap(
        data, mu0=mu0, sigma0=sigma0, lr=lr, n_steps=n_steps
    )
    frames = [
        pd.DataFrame({"method": name, "step": np.arange(len(path)), "mu": path[:, 0],
                      "sigma": path[:, 1], "loss": loss})
        for name, path, loss in (("natural gradient", fit.natural, fit.natural_loss),
                                 ("plain gradient", fit.plain, fit.plain_loss))
    ]
    paths = pd.concat(frames, ignore_index=True)
    mus = np.concatenate([paths["mu"], [data_mean]])
    sigmas = np.concatenate([paths["sigma"], [data_sd]])
    pad_mu = 0.1 * (mus.max() - mus.min()) + 0.1
    pad_sigma = 0.1 * (sigmas.max() - sigmas.min()) + 0.1
    mu_axis = np.linspace(mus.min() - pad_mu, mus.max() + pad_mu, NLL_GRID_CELLS)
    sigma_axis = np.linspace(max(sigmas.min() - pad_sigma, 0.05 * sigmas.min()),
                             sigmas.max() + pad_sigma, NLL_GRID_CELLS)
    mu_mesh, sigma_mesh = np.meshgrid(mu_axis, sigma_axis)
    nll = core_fisher.gaussian_average_nll(mu_mesh, sigma_mesh, data_mean=data_mean,
                                           data_var=data_sd**2)
    landscape = pd.DataFrame({"mu": mu_mesh.ravel(), "sigma": sigma_mesh.ravel(), "nll": nll.ravel()})
    best = float(core_fisher.gaussian_average_nll(data_mean, data_sd, data_mean=data_mean,
                                                  data_var=data_sd**2))
    return GradientPaths(
        paths=paths, landscape=landscape, natural_loss=float(fit.natural_loss[-1]),
        plain_loss=float(fit.plain_loss[-1]), best_loss=best,
        natural_gap=natural_gap, plain_gap=plain_gap,
    )


@dataclass(frozen=True)
class KFACView:
    """Exact Fisher against G ⊗ A for a random linear+softmax layer.

    ``matrices``: ``row``, ``col``, ``matrix`` ("exact Fisher" / "K-FAC G ⊗ A"), ``value``.
    ``sweep``: ``weight_scale``, ``relative_error`` with the same draws at every scale.
    """

    relative_error: float
    matrices: pd.DataFrame
    sweep: pd.DataFrame


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def kfac_view(n_inputs: int, input_dim: int, n_classes: int, weight_scale: float, seed: int) -> KFACView:
    """core.kfac_random_layer at the chosen scale and over KFAC_SCALES (one seed for all)."""

    def run(scale: float) -> Any:
        return core_fisher.kfac_random_layer(
            n_inputs=n_inputs, input_dim=input_dim, n_classes=n_classes, weight_scale=scale,
            rng=np.random.default_rng(seed),
        )

    res = run(weight_scale)
    size = res.fisher_exact.shape[0]
    rows, cols = np.indices((size, size))
    matrices = pd.concat(
        [
            pd.DataFrame({"row": rows.ravel(), "col": cols.ravel(), "matrix": name,
                          "value": m.ravel()})
            for name, m in (("exact Fisher", res.fisher_exact), ("K-FAC G ⊗ A", res.fisher_kfac))
        ],
        ignore_index=True,
    )
    sweep = pd.DataFrame({"weight_scale": KFAC_SCALES,
                          "relative_error": [run(s).relative_error for s in KFAC_SCALES]})
    return KFACView(relative_error=res.relative_error, matrices=matrices, sweep=sweep)
