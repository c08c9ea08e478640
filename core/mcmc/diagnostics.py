"""Convergence diagnostics for MCMC: split R-hat, bulk/tail ESS, MCSE, autocorrelation, E-BFMI.

The formulas are those of Vehtari, Gelman, Simpson, Carpenter and Bürkner (2021),
"Rank-normalization, folding, and localization: an improved R-hat for assessing
convergence of MCMC", as implemented in ArviZ (``arviz/stats/diagnostics.py``): the same
split of each chain into two halves, the same fractional ranks (r − 3/8)/(S + 1/4), the
same FFT autocovariance and Geyer's initial positive and monotone sequences, and the same
cap ESS ≤ S·log10(S). The tests check every function against ArviZ to 1e-8 relative.

``chains`` is always a 2-D array shaped (n_chains, n_draws) holding one scalar quantity.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import fft, special, stats

from core.validation import check_finite, check_int

__all__ = [
    "autocorrelation",
    "autocovariance",
    "ebfmi",
    "ess_bulk",
    "ess_mean",
    "ess_tail",
    "mcse_mean",
    "rank_histograms",
    "rhat",
]

#: Fewest draws per chain the split diagnostics accept (two halves of at least two draws).
MIN_DRAWS = 4


def _check_chains(chains: ArrayLike, *, min_chains: int, name: str = "chains") -> NDArray[np.float64]:
    """Validate a (n_chains, n_draws) array of finite draws."""
    arr = np.asarray(check_finite(chains, name), dtype=np.float64)
    if arr.ndim != 2:
        raise ValueError(
            f"`{name}` must be 2-D, shaped (n_chains, n_draws); got shape {arr.shape}"
        )
    n_chains, n_draws = arr.shape
    if n_chains < min_chains:
        raise ValueError(
            f"`{name}` must have at least {min_chains} chains; got {n_chains} "
            f"(R-hat compares chains: run several)"
        )
    if n_draws < MIN_DRAWS:
        raise ValueError(f"`{name}` must have at least {MIN_DRAWS} draws per chain; got {n_draws}")
    return arr


def _split_chains(arr: NDArray[np.float64]) -> NDArray[np.float64]:
    """Split each chain into its first and last halves (the middle draw of an odd chain is dropped)."""
    half = arr.shape[1] // 2
    return np.vstack((arr[:, :half], arr[:, -half:]))


def _average_ranks(arr: NDArray[np.float64]) -> NDArray[np.float64]:
    """Ranks 1..S of all draws, ties sharing their average rank (scipy's 'average').

    Continuous draws have no ties, and then the ranks are just the inverse of one argsort,
    three times faster than scipy.stats.rankdata; with any tie we defer to scipy.
    """
    flat = arr.ravel()
    order = np.argsort(flat, kind="stable")
    if np.any(flat[order[1:]] == flat[order[:-1]]):
        return np.asarray(stats.rankdata(arr, method="average"), dtype=np.float64).reshape(arr.shape)
    ranks = np.empty(flat.size)
    ranks[order] = np.arange(1, flat.size + 1, dtype=np.float64)
    return ranks.reshape(arr.shape)


def _z_scale(arr: NDArray[np.float64]) -> NDArray[np.float64]:
    """Rank-normalise: average ranks over all draws, Blom's (r − 3/8)/(S + 1/4), then Φ⁻¹."""
    ranks = _average_ranks(arr)
    return np.asarray(special.ndtri((ranks - 3 / 8) / (arr.size + 1 / 4)), dtype=np.float64)


def _rhat_raw(arr: NDArray[np.float64]) -> float:
    """Classic (Gelman-Rubin) R-hat of already split chains."""
    n = arr.shape[1]
    within = float(np.mean(np.var(arr, axis=1, ddof=1)))
    between = n * float(np.var(np.mean(arr, axis=1), ddof=1))
    return math.sqrt((between / within + n - 1) / n)


def autocovariance(x: ArrayLike, *, axis: int = -1) -> NDArray[np.float64]:
    """Autocovariance at every lag, computed with the FFT.

    Parameters
    ----------
    x : array_like
        Draws; the lags run along ``axis``.
    axis : int, optional
        The axis holding the draws of one chain.

    Returns
    -------
    numpy.ndarray
        Same shape as ``x``: entry ``t`` along ``axis`` is γ̂(t).

    Notes
    -----
    γ̂(t) = (1/n) Σ_{i=0}^{n-1-t} (x_i − x̄)(x_{i+t} − x̄), the biased estimator (divided by
    n), computed as the inverse FFT of |FFT(x − x̄)|² with zero padding to at least 2n so
    the circular correlation equals the linear one.

    Examples
    --------
    >>> autocovariance([1.0, 2.0, 3.0]).round(6)
    array([ 0.666667,  0.      , -0.333333])
    """
    arr = check_finite(x, "x").astype(np.float64)
    if arr.ndim == 0 or arr.shape[axis] < 2:
        raise ValueError("`x` must hold at least 2 draws along `axis`")
    n = arr.shape[axis]
    m = fft.next_fast_len(2 * n)
    centred = arr - arr.mean(axis=axis, keepdims=True)
    spectrum = fft.rfft(centred, n=m, axis=axis)
    acov = fft.irfft(spectrum * np.conjugate(spectrum), n=m, axis=axis)
    return np.asarray(np.take(acov, np.arange(n), axis=axis) / n, dtype=np.float64)


def autocorrelation(x: ArrayLike, *, axis: int = -1) -> NDArray[np.float64]:
    """Autocorrelation ρ̂(t) = γ̂(t)/γ̂(0) at every lag, by FFT.

    Parameters
    ----------
    x : array_like
        Draws; the lags run along ``axis``. Must not be constant.
    axis : int, optional
        The axis holding the draws of one chain.

    Returns
    -------
    numpy.ndarray
        Same shape as ``x``, with ρ̂(0) = 1.

    Notes
    -----
    Uses :func:`autocovariance` (the biased, divide-by-n estimator, as ArviZ and Stan do).

    Examples
    --------
    >>> autocorrelation([1.0, 2.0, 3.0, 4.0]).round(3)
    array([ 1.  ,  0.25, -0.3 , -0.45])
    """
    acov = autocovariance(x, axis=axis)
    var = np.take(acov, [0], axis=axis)
    if np.any(var <= 0):
        raise ValueError("`x` must not be constant along `axis`; its autocorrelation is undefined")
    return acov / var


def _ess_raw(arr: NDArray[np.float64]) -> float:
    """ESS of (already split) chains with Geyer's initial positive + monotone sequences.

    A line-by-line port of ArviZ's ``_ess``: the autocorrelation across chains is
    ρ̂_t = 1 − (W − mean_c γ̂_{c,t}) / var⁺, summed in pairs while a pair stays positive,
    the pairs made monotone, τ̂ = −1 + 2 Σ ρ̂_t, ESS = S / max(τ̂, 1/log10 S).
    """
    n_chains, n_draws = arr.shape
    if float(np.max(arr) - np.min(arr)) < np.finfo(float).resolution:
        return float(arr.size)  # a constant quantity: every draw is as good as independent
    acov = autocovariance(arr, axis=1)
    mean_acov = acov.mean(axis=0)  # mean over chains at every lag, once
    mean_var = float(mean_acov[0]) * n_draws / (n_draws - 1.0)
    var_plus = mean_var * (n_draws - 1.0) / n_draws
    if n_chains > 1:
        var_plus += float(np.var(arr.mean(axis=1), ddof=1))
    rho_all = (1.0 - (mean_var - mean_acov) / var_plus).tolist()

    rho = [0.0] * n_draws
    rho_even = 1.0
    rho[0] = rho_even
    rho_odd = rho_all[1]
    rho[1] = rho_odd
    # Geyer's initial positive sequence: keep pairs while their sum is positive.
    t = 1
    while t < n_draws - 3 and rho_even + rho_odd > 0.0:
        rho_even = rho_all[t + 1]
        rho_odd = rho_all[t + 2]
        if rho_even + rho_odd >= 0:
            rho[t + 1] = rho_even
            rho[t + 2] = rho_odd
        t += 2
    max_t = t - 2
    if rho_even > 0:
        rho[max_t + 1] = rho_even
    # Geyer's initial monotone sequence: pair sums must not increase.
    t = 1
    while t <= max_t - 2:
        if rho[t + 1] + rho[t + 2] > rho[t - 1] + rho[t]:
            rho[t + 1] = (rho[t - 1] + rho[t]) / 2.0
            rho[t + 2] = rho[t + 1]
        t += 2
    size = n_chains * n_draws
    tau = -1.0 + 2.0 * math.fsum(rho[: max_t + 1]) + math.fsum(rho[max_t + 1 : max_t + 2])
    tau = max(tau, 1.0 / math.log10(size))
    return size / tau


def rhat(chains: ArrayLike) -> float:
    """Rank-normalised split R-hat: the larger of the bulk and the folded (tail) R-hat.

    Parameters
    ----------
    chains : array_like
        Draws of one scalar, shaped (n_chains, n_draws); at least 2 chains of 4 draws.

    Returns
    -------
    float
        R-hat; values above 1.01 signal chains that have not mixed.

    Notes
    -----
    Each chain is split in half; the draws are replaced by z = Φ⁻¹((r − 3/8)/(S + 1/4)) of
    their pooled average ranks r; with n draws per split chain, W the mean within-chain
    variance and B = n·Var(chain means), R̂ = √(((n − 1)/n·W + B/n)/W). The folded
    version applies the same to |x − median(x)|. Vehtari et al. (2021), as ``az.rhat``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> round(rhat(rng.normal(size=(4, 500))), 3)
    1.001
    >>> rhat(np.vstack([rng.normal(size=500), rng.normal(3.0, size=500)])) > 1.5
    True
    """
    arr = _check_chains(chains, min_chains=2)
    split = _split_chains(arr)
    if float(np.ptp(split)) == 0.0:
        raise ValueError("`chains` must not be constant; R-hat is undefined for a constant quantity")
    bulk = _rhat_raw(_z_scale(split))
    tail = _rhat_raw(_z_scale(np.abs(split - np.median(split))))
    return max(bulk, tail)


def ess_bulk(chains: ArrayLike) -> float:
    """Bulk effective sample size: ESS of the rank-normalised split chains.

    Parameters
    ----------
    chains : array_like
        Draws of one scalar, shaped (n_chains, n_draws); at least 4 draws per chain.

    Returns
    -------
    float
        The bulk-ESS, at most S·log10(S) for S draws in all.

    Notes
    -----
    ESS = S/τ̂ with τ̂ = −1 + 2 Σ_t ρ̂_t over Geyer's initial monotone sequence of the
    multi-chain autocorrelations of the z-scaled split chains (see :func:`rhat`), as
    ``az.ess(method="bulk")``.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> 3500 < ess_bulk(rng.normal(size=(4, 1000))) < 4500
    True
    """
    arr = _check_chains(chains, min_chains=1)
    return _ess_raw(_z_scale(_split_chains(arr)))


def _type7_quantiles(arr: NDArray[np.float64], probs: tuple[float, ...]) -> list[float]:
    """R's type-7 sample quantiles of all draws, with the arithmetic of ArviZ's call.

    ArviZ uses ``scipy.stats.mstats.mquantiles(alphap=1, betap=1)``, which sorts all draws
    on every call; the same formula on a partial sort (np.partition) gives the same bits
    at a fraction of the cost.
    """
    flat = arr.ravel()
    n = flat.size
    p = np.asarray(probs, dtype=np.float64)
    aleph = n * p + (1.0 - p)  # n·p + m with m = α + p(1 − α − β) = 1 − p for α = β = 1
    k = np.floor(aleph.clip(1, n - 1)).astype(int)
    gamma = (aleph - k).clip(0, 1)
    part = np.partition(flat, np.unique(np.concatenate([k - 1, k])))
    return ((1.0 - gamma) * part[k - 1] + gamma * part[k]).tolist()


def _quantile_indicator_ess(arr: NDArray[np.float64], quantile: float) -> float:
    return _ess_raw(_split_chains((arr <= quantile).astype(np.float64)))


def ess_tail(chains: ArrayLike) -> float:
    """Tail effective sample size: the smaller ESS of the 5% and 95% quantile indicators.

    Parameters
    ----------
    chains : array_like
        Draws of one scalar, shaped (n_chains, n_draws); at least 4 draws per chain.

    Returns
    -------
    float
        min(ESS(I[x ≤ q̂₀.₀₅]), ESS(I[x ≤ q̂₀.₉₅])) over the split chains.

    Notes
    -----
    q̂ is R's type-7 sample quantile of all draws; each indicator's ESS is the split-chain
    ESS of :func:`ess_bulk` without rank normalisation, as ``az.ess(method="tail")``.

    Examples
    --------
    >>> rng = np.random.default_rng(2)
    >>> 3000 < ess_tail(rng.normal(size=(4, 1000))) < 5000
    True
    """
    arr = _check_chains(chains, min_chains=1)
    low, high = _type7_quantiles(arr, (0.05, 0.95))
    return min(_quantile_indicator_ess(arr, low), _quantile_indicator_ess(arr, high))


def ess_mean(chains: ArrayLike) -> float:
    """Effective sample size for the mean: split-chain ESS without rank normalisation.

    Parameters
    ----------
    chains : array_like
        Draws of one scalar, shaped (n_chains, n_draws).

    Returns
    -------
    float
        The ESS of the posterior-mean estimate, as ``az.ess(method="mean")``.

    Notes
    -----
    Same Geyer estimator as :func:`ess_bulk` on the raw split chains.

    Examples
    --------
    >>> rng = np.random.default_rng(3)
    >>> 3500 < ess_mean(rng.normal(size=(4, 1000))) < 4500
    True
    """
    arr = _check_chains(chains, min_chains=1)
    return _ess_raw(_split_chains(arr))


def mcse_mean(chains: ArrayLike) -> float:
    """Monte Carlo standard error of the posterior mean.

    Parameters
    ----------
    chains : array_like
        Draws of one scalar, shaped (n_chains, n_draws).

    Returns
    -------
    float
        MCSE = sd / √ESS_mean, as ``az.mcse(method="mean")``.

    Notes
    -----
    sd is the standard deviation of all draws (ddof = 1); ESS_mean is :func:`ess_mean`.

    Examples
    --------
    >>> rng = np.random.default_rng(4)
    >>> 0.014 < mcse_mean(rng.normal(size=(4, 1000))) < 0.018
    True
    """
    arr = _check_chains(chains, min_chains=1)
    return float(np.std(arr, ddof=1)) / math.sqrt(_ess_raw(_split_chains(arr)))


def ebfmi(energy: ArrayLike) -> NDArray[np.float64]:
    """Energy Bayesian fraction of missing information, one value per chain.

    Parameters
    ----------
    energy : array_like
        The Hamiltonian at each draw, shaped (n_chains, n_draws).

    Returns
    -------
    numpy.ndarray
        E-BFMI of each chain; below 0.3 means the momentum resampling explores the energy
        distribution poorly (Betancourt 2016), as ``az.bfmi``.

    Notes
    -----
    E-BFMI = mean_n (E_n − E_{n−1})² / Var(E) with the variance's ddof = 1.

    Examples
    --------
    >>> ebfmi([[1.0, 2.0, 1.0, 2.0]]).round(3)
    array([3.])
    """
    arr = _check_chains(energy, min_chains=1, name="energy")
    var = np.var(arr, axis=1, ddof=1)
    if np.any(var == 0):
        raise ValueError("`energy` must vary within every chain; E-BFMI divides by its variance")
    out: NDArray[Any] = np.mean(np.square(np.diff(arr, axis=1)), axis=1) / var
    return out.astype(np.float64)


def rank_histograms(
    chains: ArrayLike, *, n_bins: int | None = None
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Per-chain histograms of the draws' ranks among all draws: the data of a rank plot.

    Parameters
    ----------
    chains : array_like
        Draws of one scalar, shaped (n_chains, n_draws); at least 4 draws per chain.
    n_bins : int, optional
        Number of equal-width rank bins; default ⌈2 log₂ n_draws⌉ + 1, twice Sturges'
        formula, as ``az.plot_rank``.

    Returns
    -------
    edges : numpy.ndarray
        Bin edges over [0, S] for S draws in all, shape (n_bins + 1,).
    counts : numpy.ndarray
        Draws of each chain falling in each bin, shape (n_chains, n_bins).

    Notes
    -----
    Every draw gets its rank r among all S draws (ties share their average rank); chain
    c's histogram counts its own ranks. When the chains sample the same distribution the
    ranks are spread evenly over the chains, so each histogram is flat at about
    n_draws / n_bins (Vehtari et al. 2021, section 4.3); a chain stuck in one region
    piles its ranks at one end. Same binning as ArviZ's ``plot_rank``.

    Examples
    --------
    >>> edges, counts = rank_histograms([[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]], n_bins=2)
    >>> edges.tolist(), counts.tolist()  # rank 4 lies on an edge: numpy puts it in the upper bin
    ([0.0, 4.0, 8.0], [[3.0, 1.0], [0.0, 4.0]])
    """
    arr = _check_chains(chains, min_chains=1)
    if n_bins is None:
        bins = math.ceil(2 * math.log2(arr.shape[1])) + 1
    else:
        bins = check_int(n_bins, "n_bins", minimum=1)
    ranks = _average_ranks(arr)
    edges = np.histogram_bin_edges(ranks, bins=bins, range=(0, ranks.size))
    counts = np.array([np.histogram(row, bins=edges)[0] for row in ranks], dtype=np.float64)
    return edges.astype(np.float64), counts
