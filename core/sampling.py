"""Sampling: categorical draws, decoding filters, rejection and importance sampling, RLHF.

Four groups of functions, each batched along the last axis where that makes sense:

* Token sampling: :func:`sample_categorical` (inverse CDF), :func:`apply_temperature`,
  :func:`temper_probs`, :func:`top_k_filter` / :func:`top_k_logits`,
  :func:`top_p_filter` / :func:`top_p_logits` and :func:`sampling_probs` (the
  temperature → top-k → top-p pipeline of Hugging Face's ``generate``).
* :func:`rejection_sample` with a proposal and a bound ``M``.
* Importance sampling: :func:`importance_weights`, :func:`effective_sample_size`,
  :func:`importance_estimate` and :func:`importance_sample`.
* RLHF: :func:`policy_ratio`, :func:`ppo_clip_objective`, :func:`kl_estimators`, and
  :func:`kl_div` / :func:`check_kl_div_inputs` for the ``torch.nn.functional.kl_div`` trap.

Filtering probabilities sets removed entries to 0 and renormalises; filtering logits
sets removed entries to ``-inf`` (and leaves the others unchanged). Logits may hold
``-inf`` (already-masked tokens) but never ``+inf`` or nan, and every row needs at least
one finite entry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, Protocol

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special

from core.validation import (
    PROB_SUM_ATOL,
    as_float_array,
    check_choice,
    check_finite,
    check_int,
    check_positive,
    check_probability,
    check_probability_vector,
    check_same_shape,
    check_scalar,
)

__all__ = [
    "ImportanceResult",
    "KLEstimates",
    "PPOClipResult",
    "RejectionResult",
    "apply_temperature",
    "check_kl_div_inputs",
    "effective_sample_size",
    "importance_estimate",
    "importance_sample",
    "importance_weights",
    "kl_div",
    "kl_estimators",
    "policy_ratio",
    "ppo_clip_objective",
    "rejection_sample",
    "sample_categorical",
    "sampling_probs",
    "temper_probs",
    "top_k_filter",
    "top_k_logits",
    "top_p_filter",
    "top_p_logits",
]

FloatArray = NDArray[np.floating[Any]]


# --------------------------------------------------------------------------- helpers



def _check_scores(x: ArrayLike, name: str) -> FloatArray:
    """Logits or log-probabilities: ``-inf`` allowed (a masked token), ``+inf``/nan not.

    At least one dimension, a non-empty last axis, and a finite entry in every row.
    """
    arr = as_float_array(x, name)
    if arr.ndim == 0:
        raise ValueError(f"`{name}` must have a last axis of classes, got a scalar")
    if arr.shape[-1] == 0:
        raise ValueError(f"`{name}` must have at least one class along the last axis")
    _check_no_nan_or_posinf(arr, name)
    if arr.size and not np.isfinite(arr).any(axis=-1).all():
        raise ValueError(f"`{name}` has a row that is all -inf; every row needs a finite entry")
    return arr


def _check_no_nan_or_posinf(arr: FloatArray, name: str) -> None:
    bad = np.isnan(arr) | (arr == np.inf)
    if bad.any():
        idx = tuple(int(i) for i in np.argwhere(bad)[0])
        where = f" at index {idx[0] if len(idx) == 1 else idx}" if idx else ""
        raise ValueError(f"`{name}` must not hold nan or +inf; found {arr[bad].flat[0]}{where}")


def _check_top_p(p: Any) -> float:
    value = check_scalar(p, "p")
    if not 0.0 < value <= 1.0:
        raise ValueError(f"`p` must lie in (0, 1]; got {value}")
    return value


# --------------------------------------------------------------------- token sampling


def sample_categorical(
    probs: ArrayLike,
    *,
    rng: np.random.Generator | None = None,
    u: ArrayLike | None = None,
    size: int | tuple[int, ...] | None = None,
) -> NDArray[np.intp]:
    """Draw category indices by inverse CDF, batched over the leading axes of ``probs``.

    Parameters
    ----------
    probs : array_like, shape (..., K)
        Probability vectors along the last axis (checked, never normalised).
    rng : numpy.random.Generator, optional
        Source of the uniforms when ``u`` is not given (a fresh ``default_rng()`` if
        both are None).
    u : array_like, optional
        Uniforms in [0, 1) to transform instead of drawing; shape ``(*S, *batch)``
        where ``batch = probs.shape[:-1]``.
    size : int or tuple of int, optional
        Number of draws per distribution when drawing from ``rng``: the result has
        shape ``(*size, *batch)``. Not allowed together with ``u``.

    Returns
    -------
    numpy.ndarray of intp
        The drawn indices, shape ``u.shape`` (or ``(*size, *batch)``).

    Notes
    -----
    With the cumulative sums :math:`F_i = \\sum_{j \\le i} p_j`, the draw for a uniform
    :math:`u` is the smallest :math:`i` with :math:`u F_{K-1} < F_i`. Scaling ``u`` by
    the row total (1 within :data:`core.validation.PROB_SUM_ATOL`) keeps the last
    index reachable under rounding; a category with zero probability is never drawn.

    Examples
    --------
    >>> sample_categorical([0.2, 0.5, 0.3], u=[0.0, 0.19, 0.2, 0.69, 0.7, 0.99])
    array([0, 0, 1, 1, 2, 2])
    >>> sample_categorical([[1.0, 0.0], [0.0, 1.0]], u=[0.5, 0.5])
    array([0, 1])
    """
    p = check_probability_vector(probs, "probs")
    batch = p.shape[:-1]
    if u is not None:
        if size is not None:
            raise ValueError("pass either `u` or `size`, not both")
        uu = check_probability(u, "u", high_open=True).astype(np.float64, copy=False)
        if uu.ndim < len(batch) or uu.shape[uu.ndim - len(batch) :] != batch:
            raise ValueError(
                f"`u` must have shape (..., {', '.join(map(str, batch))}) to match the batch "
                f"shape {batch} of `probs`; got {uu.shape}"
            )
    else:
        gen = np.random.default_rng() if rng is None else rng
        sizes = () if size is None else ((size,) if isinstance(size, int | np.integer) else tuple(size))
        lead = tuple(check_int(s, "size", minimum=0) for s in sizes)
        uu = gen.random(lead + batch)
    k = p.shape[-1]
    cdf = np.cumsum(p.reshape(-1, k), axis=-1, dtype=np.float64)
    n_rows = cdf.shape[0]
    # One column of uniforms per distribution: (n_draws, n_rows).
    cols = uu.reshape(-1, n_rows)
    out = np.empty(cols.shape, dtype=np.intp)
    last_positive = k - 1 - np.argmax(p.reshape(-1, k)[:, ::-1] > 0, axis=-1)
    for row in range(n_rows):
        idx = np.searchsorted(cdf[row], cols[:, row] * cdf[row, -1], side="right")
        out[:, row] = np.minimum(idx, last_positive[row])  # u·total may round up to total
    return out.reshape(uu.shape)


def apply_temperature(logits: ArrayLike, temperature: float) -> FloatArray:
    """Divide logits by a temperature, as Hugging Face's ``TemperatureLogitsWarper``.

    Parameters
    ----------
    logits : array_like, shape (..., K)
        Logits (``-inf`` allowed for masked tokens).
    temperature : float
        Strictly positive; < 1 sharpens, > 1 flattens the softmax.

    Returns
    -------
    numpy.ndarray
        ``logits / temperature``, same shape and float dtype.

    Notes
    -----
    softmax(z / T)_i = exp(z_i / T) / Σ_j exp(z_j / T); T → 0 tends to greedy decoding
    and T → ∞ to the uniform distribution.

    Examples
    --------
    >>> apply_temperature([2.0, 1.0, 0.0], 0.5)
    array([4., 2., 0.])
    """
    z = _check_scores(logits, "logits")
    t = float(check_positive(check_scalar(temperature, "temperature"), "temperature"))
    return z / np.asarray(t, dtype=z.dtype)


def temper_probs(probs: ArrayLike, temperature: float) -> FloatArray:
    """Apply a temperature to probability vectors: p_i^(1/T) renormalised.

    Parameters
    ----------
    probs : array_like, shape (..., K)
        Probability vectors along the last axis.
    temperature : float
        Strictly positive.

    Returns
    -------
    numpy.ndarray
        The tempered distributions, same shape; zeros stay zero.

    Notes
    -----
    Equal to ``softmax(log(p) / T)``: the same as tempering the logits the
    probabilities came from.

    Examples
    --------
    >>> temper_probs([0.2, 0.8], 0.5)
    array([0.05882353, 0.94117647])
    """
    p = check_probability_vector(probs, "probs")
    t = float(check_positive(check_scalar(temperature, "temperature"), "temperature"))
    with np.errstate(divide="ignore"):  # log(0) = -inf is the intended masked value
        logp = np.log(p)
    return special.softmax(logp / np.asarray(t, dtype=p.dtype), axis=-1)


def _top_k_keep(scores: FloatArray, k: int) -> NDArray[np.bool_]:
    n = scores.shape[-1]
    k = min(k, n)
    kth_largest = np.partition(scores, n - k, axis=-1)[..., n - k : n - k + 1]
    return scores >= kth_largest


def top_k_filter(probs: ArrayLike, k: int) -> FloatArray:
    """Keep the ``k`` most probable tokens of each distribution, renormalised.

    Parameters
    ----------
    probs : array_like, shape (..., K)
        Probability vectors along the last axis.
    k : int
        At least 1. ``k >= K`` keeps every token.

    Returns
    -------
    numpy.ndarray
        Same shape and dtype; removed tokens are 0, kept ones renormalised.

    Notes
    -----
    Follows Hugging Face's ``TopKLogitsWarper``: a token is kept when its value is
    >= the k-th largest value, so every token tied with the k-th largest is kept and
    the kept set can hold more than ``k`` tokens.

    Examples
    --------
    >>> top_k_filter([0.1, 0.6, 0.3], 2)
    array([0.        , 0.66666667, 0.33333333])
    >>> top_k_filter([0.4, 0.2, 0.2, 0.2], 2)  # the tie at the boundary is all kept
    array([0.4, 0.2, 0.2, 0.2])
    """
    p = check_probability_vector(probs, "probs")
    k = check_int(k, "k", minimum=1)
    kept = np.where(_top_k_keep(p, k), p, 0)
    kept /= kept.sum(axis=-1, keepdims=True)
    return kept


def top_k_logits(logits: ArrayLike, k: int) -> FloatArray:
    """Set all but the ``k`` largest logits of each row to ``-inf``.

    Parameters
    ----------
    logits : array_like, shape (..., K)
        Logits (``-inf`` allowed).
    k : int
        At least 1. ``k >= K`` keeps every token.

    Returns
    -------
    numpy.ndarray
        Same shape; removed logits are ``-inf``, kept ones unchanged.

    Notes
    -----
    As Hugging Face's ``TopKLogitsWarper``: keep z_i >= (k-th largest z), so ties at
    the boundary are all kept.

    Examples
    --------
    >>> top_k_logits([1.0, 3.0, 2.0], 2)
    array([-inf,   3.,   2.])
    """
    z = _check_scores(logits, "logits")
    k = check_int(k, "k", minimum=1)
    return np.where(_top_k_keep(z, k), z, -np.inf).astype(z.dtype, copy=False)


def _top_p_keep(
    scores: FloatArray, p: float, *, from_logits: bool
) -> tuple[NDArray[np.bool_], NDArray[np.float64]]:
    """Mask of the nucleus of each row and the probability mass it holds.

    Sorting values (not indices) is enough: the nucleus is every token above the
    threshold value plus, among the tokens equal to it, the highest-indexed ones.
    """
    n = scores.shape[-1]
    ascending = np.sort(scores, axis=-1)
    probs_ascending = special.softmax(ascending, axis=-1) if from_logits else ascending
    # Mass of the j+1 most probable tokens, accumulated in float64 to keep the
    # boundary decision from drifting on long float32 rows.
    top_mass = np.cumsum(probs_ascending[..., ::-1], axis=-1, dtype=np.float64)
    # Keep token j (descending) while the mass before it is < p: at least one token.
    n_keep = np.minimum(np.count_nonzero(top_mass < p, axis=-1) + 1, n)
    threshold = np.take_along_axis(ascending, (n - n_keep)[..., None], axis=-1)
    keep = scores >= threshold
    excess = np.count_nonzero(keep, axis=-1) - n_keep
    if excess.any():
        _drop_excess_ties(keep, scores, threshold, excess)
    kept_mass = np.take_along_axis(top_mass, (n_keep - 1)[..., None], axis=-1)
    return keep, kept_mass


def _drop_excess_ties(
    keep: NDArray[np.bool_],
    scores: FloatArray,
    threshold: FloatArray,
    excess: NDArray[np.intp],
) -> None:
    """In rows where the tie at the threshold overfills the nucleus, keep the highest indices.

    Hugging Face sorts ascending (stably) and removes from the low end, so of tied
    tokens the earlier-listed go first.
    """
    n = scores.shape[-1]
    rows = np.flatnonzero(excess > 0)
    keep2 = keep.reshape(-1, n)
    scores2 = scores.reshape(-1, n)
    for row in rows:
        tied = np.flatnonzero(scores2[row] == threshold.reshape(-1)[row])
        keep2[row, tied[: excess.reshape(-1)[row]]] = False


def top_p_filter(probs: ArrayLike, p: float) -> FloatArray:
    """Nucleus (top-p) filtering: the smallest set of most probable tokens with mass >= p.

    Parameters
    ----------
    probs : array_like, shape (..., V)
        Probability vectors along the last axis (float32 stays float32).
    p : float
        The nucleus mass, in (0, 1].

    Returns
    -------
    numpy.ndarray
        Same shape and dtype: tokens outside the nucleus are 0, the nucleus is
        renormalised to sum to 1.

    Notes
    -----
    Sort each row by descending probability, :math:`p_{(1)} \\ge p_{(2)} \\ge \\dots`;
    keep token :math:`(j)` while :math:`\\sum_{i<j} p_{(i)} < p`. The first token is
    always kept. This is Hugging Face's ``TopPLogitsWarper`` (sort ascending, remove
    tokens whose cumulative mass is <= 1 - p, keep ``min_tokens_to_keep=1``) read from
    the other end.

    Ties follow Hugging Face: it sorts ascending and removes tokens from the low end,
    so among tokens of equal probability at the boundary the later-listed (higher
    index) are kept and the earlier-listed dropped (checked against the real
    ``TopPLogitsWarper``).

    Masses are accumulated in float64; when the cumulative mass equals ``p`` up to
    rounding, the decision at the boundary follows the computed sum.

    Examples
    --------
    >>> top_p_filter([0.1, 0.5, 0.15, 0.25], 0.7)
    array([0.        , 0.66666667, 0.        , 0.33333333])
    >>> top_p_filter([0.25, 0.25, 0.25, 0.25], 0.5)  # tie: the later-listed are kept
    array([0. , 0. , 0.5, 0.5])
    """
    probs_arr = check_probability_vector(probs, "probs")
    p_value = _check_top_p(p)
    keep, kept_mass = _top_p_keep(probs_arr, p_value, from_logits=False)
    out = np.where(keep, probs_arr, 0)
    out /= kept_mass.astype(out.dtype)
    return out


def top_p_logits(logits: ArrayLike, p: float) -> FloatArray:
    """Nucleus filtering of logits: tokens outside the nucleus of softmax(logits) → -inf.

    Parameters
    ----------
    logits : array_like, shape (..., V)
        Logits (``-inf`` allowed for already-masked tokens).
    p : float
        The nucleus mass, in (0, 1].

    Returns
    -------
    numpy.ndarray
        Same shape; removed logits are ``-inf``, kept ones unchanged.

    Notes
    -----
    The kept set is that of :func:`top_p_filter` on ``softmax(logits)``, with ties
    decided on the logits (higher index kept first among equal logits, as in Hugging Face).

    Examples
    --------
    >>> top_p_logits([0.0, 2.0, 1.0], 0.6)
    array([-inf,   2., -inf])
    >>> top_p_logits([0.0, 2.0, 1.0], 0.8)
    array([-inf,   2.,   1.])
    """
    z = _check_scores(logits, "logits")
    p_value = _check_top_p(p)
    keep, _ = _top_p_keep(z, p_value, from_logits=True)
    return np.where(keep, z, -np.inf).astype(z.dtype, copy=False)


def sampling_probs(
    logits: ArrayLike,
    *,
    temperature: float = 1.0,
    top_k: int | None = None,
    top_p: float | None = None,
) -> FloatArray:
    """The distribution a sampler draws from: temperature, then top-k, then top-p.

    Parameters
    ----------
    logits : array_like, shape (..., V)
        Logits (``-inf`` allowed).
    temperature : float, optional
        Strictly positive.
    top_k : int, optional
        Keep the ``top_k`` largest logits (ties at the boundary kept).
    top_p : float, optional
        Keep the nucleus of mass ``top_p`` in (0, 1].

    Returns
    -------
    numpy.ndarray
        Probabilities, same shape, zeros outside the kept set.

    Notes
    -----
    The order is that of Hugging Face's ``generate``: ``TemperatureLogitsWarper``,
    ``TopKLogitsWarper``, ``TopPLogitsWarper``, then softmax.

    Examples
    --------
    >>> sampling_probs([0.0, 2.0, 1.0], temperature=1.0, top_k=2)
    array([0.        , 0.73105858, 0.26894142])
    """
    z = apply_temperature(logits, temperature)
    if top_k is not None:
        z = top_k_logits(z, top_k)
    if top_p is not None:
        z = top_p_logits(z, top_p)
    return special.softmax(z, axis=-1)


# ------------------------------------------------------------------ rejection sampling


class Proposal(Protocol):
    """A frozen scipy distribution, or anything with ``rvs`` and ``pdf`` (or ``pmf``)."""

    def rvs(self, size: Any = ..., random_state: Any = ...) -> Any: ...


def _proposal_density(proposal: Any, name: str = "proposal") -> Callable[[Any], Any]:
    for attr in ("pdf", "pmf"):
        fn = getattr(proposal, attr, None)
        if callable(fn):
            return fn
    raise TypeError(f"`{name}` must have a `pdf` or `pmf` method (a frozen scipy distribution)")


def _proposal_log_density(proposal: Any, name: str = "proposal") -> Callable[[Any], Any]:
    for attr in ("logpdf", "logpmf"):
        fn = getattr(proposal, attr, None)
        if callable(fn):
            return fn
    raise TypeError(f"`{name}` must have a `logpdf` or `logpmf` method (a frozen scipy distribution)")


@dataclass(frozen=True)
class RejectionResult:
    """Outcome of :func:`rejection_sample`.

    Attributes
    ----------
    samples : numpy.ndarray
        The accepted draws, in the order they were proposed.
    n_proposals, n_accepted : int
        Proposals drawn and accepted.
    acceptance_rate : float
        ``n_accepted / n_proposals``.
    expected_rate : float
        ``1 / M``: the acceptance probability when ``target_pdf`` is normalised.
    rate_stderr : float
        Standard error of the acceptance rate if the true rate is ``1 / M``:
        sqrt((1/M)(1 − 1/M) / n_proposals).
    max_ratio : float
        The largest p(x)/q(x) over the proposals: how tight ``M`` is.
    proposals : numpy.ndarray or None
        Every proposal x drawn, accepted or not, in order (for drawing the picture).
    accepted : numpy.ndarray of bool or None
        Whether each proposal was accepted.
    heights : numpy.ndarray or None
        u · M · q(x) for each proposal: its height under the envelope M q. A proposal
        is accepted exactly when its height falls below the target density p(x).
    """

    samples: NDArray[Any]
    n_proposals: int
    n_accepted: int
    acceptance_rate: float
    expected_rate: float
    rate_stderr: float
    max_ratio: float
    proposals: NDArray[Any] | None = None
    accepted: NDArray[np.bool_] | None = None
    heights: FloatArray | None = None


def rejection_sample(
    target_pdf: Callable[[NDArray[Any]], ArrayLike],
    proposal: Proposal,
    *,
    M: float,
    n_proposals: int,
    rng: np.random.Generator,
) -> RejectionResult:
    """Rejection sampling: accept a proposal x ~ q with probability p(x) / (M q(x)).

    Parameters
    ----------
    target_pdf : callable
        Vectorised density (or pmf) p of the target, evaluated on an array of draws.
    proposal : frozen scipy distribution
        Anything with ``rvs(size=, random_state=)`` and ``pdf`` (or ``pmf``).
    M : float
        The bound, M >= sup p/q. Checked on every proposal drawn.
    n_proposals : int
        Number of proposals to draw (the number accepted is random).
    rng : numpy.random.Generator
        Source of the proposals and of the uniforms.

    Returns
    -------
    RejectionResult
        Accepted samples, the acceptance rate, and 1/M with its standard error.

    Raises
    ------
    ValueError
        If p(x)/q(x) > M at some proposal (M is not a bound), if q(x) = 0 at a draw,
        or if p(x) is negative or not finite.

    Notes
    -----
    P(accept) = E_q[p(X) / (M q(X))] = (1/M) ∫ p = 1/M for a normalised p, and the
    accepted draws are distributed as p. A relative slack of 1e-12 on the bound
    absorbs rounding when M is exactly sup p/q.

    Examples
    --------
    >>> from scipy import stats
    >>> res = rejection_sample(stats.beta(2, 2).pdf, stats.uniform(), M=1.5,
    ...                        n_proposals=3000, rng=np.random.default_rng(0))
    >>> bool(abs(res.acceptance_rate - 1 / 1.5) < 4 * res.rate_stderr)
    True
    """
    bound = float(check_positive(check_scalar(M, "M"), "M"))
    n = check_int(n_proposals, "n_proposals", minimum=1)
    q_density = _proposal_density(proposal)
    x = np.asarray(proposal.rvs(size=n, random_state=rng))
    q = check_finite(np.asarray(q_density(x), dtype=np.float64), "proposal density")
    p = check_finite(np.asarray(target_pdf(x), dtype=np.float64), "target_pdf(x)")
    if p.shape != q.shape:
        raise ValueError(f"`target_pdf` must return one value per draw: shape {q.shape}, got {p.shape}")
    if (p < 0).any():
        raise ValueError(f"`target_pdf` must be >= 0; got {p[p < 0][0]} at x = {x[p < 0][0]}")
    if (q <= 0).any():
        raise ValueError(f"`proposal` density is 0 at its own draw x = {x[q <= 0][0]}")
    ratio = p / q
    worst = int(np.argmax(ratio))
    if ratio[worst] > bound * (1 + 1e-12):
        raise ValueError(
            f"`M` = {bound:g} does not bound p/q on the proposal's draws: "
            f"p(x)/q(x) = {ratio[worst]:.6g} at x = {x[worst]}; need M >= {ratio[worst]:.6g}"
        )
    uniforms = rng.random(n)
    accepted = uniforms * bound < ratio
    n_acc = int(accepted.sum())
    expected = 1.0 / bound
    return RejectionResult(
        samples=x[accepted],
        n_proposals=n,
        n_accepted=n_acc,
        acceptance_rate=n_acc / n,
        expected_rate=expected,
        rate_stderr=float(np.sqrt(expected * (1.0 - expected) / n)),
        max_ratio=float(ratio[worst]),
        proposals=x,
        accepted=accepted,
        heights=uniforms * bound * q,  # u·M·q(x) < p(x)  <=>  u·M < p/q
    )


# ----------------------------------------------------------------- importance sampling


@dataclass(frozen=True)
class ImportanceResult:
    """Outcome of :func:`importance_estimate`.

    Attributes
    ----------
    estimate : float
        Plain estimate (1/n) Σ w_i f_i (unbiased when p and q are normalised).
    variance : float
        Estimated variance of ``estimate``: sample variance of w_i f_i over n.
    self_normalised : float
        Σ w_i f_i / Σ w_i (consistent; needs p only up to a constant).
    self_normalised_variance : float
        Delta-method variance of ``self_normalised``: Σ w̄_i² (f_i − estimate)² with
        w̄ = w / Σw (Owen, *Monte Carlo theory, methods and examples*, §9.2).
    weights : numpy.ndarray
        w_i = p(x_i) / q(x_i).
    ess : float
        Effective sample size (Σw)² / Σw², between 1 and n.
    n : int
        Number of draws.
    """

    estimate: float
    variance: float
    self_normalised: float
    self_normalised_variance: float
    weights: FloatArray
    ess: float
    n: int


def _check_log_weights_inputs(
    log_p: ArrayLike, log_q: ArrayLike
) -> tuple[FloatArray, FloatArray]:
    lp = as_float_array(log_p, "log_p")
    _check_no_nan_or_posinf(lp, "log_p")
    lq = check_finite(log_q, "log_q")  # a draw from q has q(x) > 0
    check_same_shape(lp, lq, "log_p", "log_q")
    if lp.ndim != 1 or lp.size == 0:
        raise ValueError(f"`log_p` and `log_q` must be non-empty 1-D arrays; got shape {lp.shape}")
    return lp, lq


def importance_weights(log_p: ArrayLike, log_q: ArrayLike) -> FloatArray:
    """Importance weights w = p(x)/q(x) from log-densities at draws x ~ q.

    Parameters
    ----------
    log_p : array_like, shape (n,)
        Log target density at the draws (``-inf`` allowed: weight 0).
    log_q : array_like, shape (n,)
        Log proposal density at the same draws (finite).

    Returns
    -------
    numpy.ndarray
        w = exp(log_p − log_q).

    Examples
    --------
    >>> importance_weights([0.0, -np.inf], [np.log(2.0), 0.0])
    array([0.5, 0. ])
    """
    lp, lq = _check_log_weights_inputs(log_p, log_q)
    return _weights(lp, lq)


def _weights(lp: FloatArray, lq: FloatArray) -> NDArray[np.float64]:
    log_w = np.subtract(lp, lq, dtype=np.float64)
    if log_w.max() > np.log(np.finfo(np.float64).max):
        raise ValueError(
            f"importance weights overflow float64 (log w up to {log_w.max():.4g}); "
            "`log_q` is far too small where `log_p` is not"
        )
    return np.exp(log_w, out=log_w)


def effective_sample_size(weights: ArrayLike) -> float:
    """Kish's effective sample size (Σw)² / Σw² of importance weights.

    Parameters
    ----------
    weights : array_like, shape (n,)
        Non-negative weights, not all zero.

    Returns
    -------
    float
        Between 1 (one weight dominates) and n (all equal).

    Examples
    --------
    >>> effective_sample_size([1.0, 1.0, 2.0])
    2.6666666666666665
    """
    w = check_finite(weights, "weights")
    if w.ndim != 1 or w.size == 0:
        raise ValueError(f"`weights` must be a non-empty 1-D array; got shape {w.shape}")
    if (w < 0).any():
        raise ValueError(f"`weights` must be >= 0; found {w[w < 0][0]}")
    if not (w > 0).any():
        raise ValueError("`weights` are all zero; the effective sample size is undefined")
    scaled = w / w.max()  # scale-free, and keeps the squares from overflowing
    return float(scaled.sum() ** 2 / np.sum(scaled**2))


def importance_estimate(f_values: ArrayLike, log_p: ArrayLike, log_q: ArrayLike) -> ImportanceResult:
    """Importance-sampling estimates of E_p[f] from draws x_i ~ q.

    Parameters
    ----------
    f_values : array_like, shape (n,)
        f(x_i), finite.
    log_p, log_q : array_like, shape (n,)
        Log target and proposal densities at the draws (see :func:`importance_weights`).

    Returns
    -------
    ImportanceResult
        Plain and self-normalised estimates with their variances, the weights, ESS.

    Notes
    -----
    E_p[f] = E_q[f w] with w = p/q. Plain: μ̂ = (1/n) Σ w_i f_i, Var ≈ s²(w f)/n.
    Self-normalised: μ̃ = Σ w_i f_i / Σ w_i, Var ≈ Σ w̄_i² (f_i − μ̃)², w̄ = w/Σw.
    ESS = (Σw)²/Σw² ≈ n / E_q[w²] shrinks, and the variances grow, as q moves away
    from p.

    Examples
    --------
    >>> res = importance_estimate([1.0, 3.0], np.log([0.5, 0.5]), np.log([0.25, 0.75]))
    >>> res.estimate, res.self_normalised, res.ess
    (2.0, 1.5, 1.6)
    """
    lp, lq = _check_log_weights_inputs(log_p, log_q)
    f = check_finite(f_values, "f_values").astype(np.float64, copy=False)
    check_same_shape(f, lp, "f_values", "log_p")
    w = _weights(lp, lq)
    w_max = float(w.max())
    if w_max == 0:
        raise ValueError("every importance weight is 0 (`log_p` is -inf at every draw)")
    n = f.size
    wf = w * f
    variance = float(np.var(wf, ddof=1) / n) if n > 1 else float("inf")
    # Self-normalised quantities are scale-free: work with w / max(w) so that no
    # square overflows, and use dot products for the sums.
    scaled = w / w_max
    total = float(scaled.sum())
    sn = float(np.dot(scaled, f)) / total
    dev = np.subtract(f, sn)
    dev *= scaled
    return ImportanceResult(
        estimate=float(wf.mean()),
        variance=variance,
        self_normalised=sn,
        self_normalised_variance=float(np.dot(dev, dev)) / total**2,
        weights=w,
        ess=total**2 / float(np.dot(scaled, scaled)),
        n=n,
    )


def importance_sample(
    f: Callable[[NDArray[Any]], ArrayLike],
    target_logpdf: Callable[[NDArray[Any]], ArrayLike],
    proposal: Proposal,
    *,
    n: int,
    rng: np.random.Generator,
) -> ImportanceResult:
    """Draw ``n`` points from ``proposal`` and estimate E_p[f] by importance sampling.

    Parameters
    ----------
    f : callable
        Vectorised function of the draws.
    target_logpdf : callable
        Vectorised log-density of the target p.
    proposal : frozen scipy distribution
        With ``rvs(size=, random_state=)`` and ``logpdf`` (or ``logpmf``).
    n : int
        Number of draws.
    rng : numpy.random.Generator
        Source of the draws.

    Returns
    -------
    ImportanceResult
        See :func:`importance_estimate`.

    Examples
    --------
    >>> from scipy import stats
    >>> res = importance_sample(lambda x: x**2, stats.norm(0, 1).logpdf, stats.norm(0, 1.5),
    ...                         n=20000, rng=np.random.default_rng(1))
    >>> bool(abs(res.estimate - 1.0) < 4 * np.sqrt(res.variance))
    True
    """
    count = check_int(n, "n", minimum=2)
    log_q_fn = _proposal_log_density(proposal)
    x = np.asarray(proposal.rvs(size=count, random_state=rng))
    return importance_estimate(
        np.asarray(f(x), dtype=np.float64),
        np.asarray(target_logpdf(x), dtype=np.float64),
        np.asarray(log_q_fn(x), dtype=np.float64),
    )


# ------------------------------------------------------------------------------- RLHF


def _check_logps(logp: ArrayLike, name: str) -> FloatArray:
    arr = as_float_array(logp, name)
    _check_no_nan_or_posinf(arr, name)
    return check_finite(arr, name)  # -inf: a token its own policy could not have sampled


def policy_ratio(logp_new: ArrayLike, logp_old: ArrayLike) -> FloatArray:
    """Per-token importance ratio r = π_new(a|s) / π_old(a|s) = exp(logp_new − logp_old).

    Parameters
    ----------
    logp_new, logp_old : array_like
        Log-probabilities of the sampled tokens under the new and old policies; same
        shape, finite.

    Returns
    -------
    numpy.ndarray
        The ratios.

    Examples
    --------
    >>> policy_ratio(np.log([0.3, 0.1]), np.log([0.2, 0.2]))
    array([1.5, 0.5])
    """
    new = _check_logps(logp_new, "logp_new")
    old = _check_logps(logp_old, "logp_old")
    check_same_shape(new, old, "logp_new", "logp_old")
    return np.exp(new - old)


@dataclass(frozen=True)
class PPOClipResult:
    """Outcome of :func:`ppo_clip_objective`.

    Attributes
    ----------
    ratio : numpy.ndarray
        r = exp(logp_new − logp_old) per token.
    objective : numpy.ndarray
        min(r A, clip(r, 1 − ε, 1 + ε) A) per token (to be maximised).
    mean_objective : float
        The mean of ``objective`` (PPO's L^CLIP).
    clip_fraction : float
        Fraction of tokens where clipping changed the objective (the clipped term is
        strictly smaller): TRL's ``clipfrac``.
    ratio_outside_fraction : float
        Fraction of tokens with |r − 1| > ε, whatever the sign of A: stable-baselines3's
        ``clip_fraction``.
    """

    ratio: FloatArray
    objective: FloatArray
    mean_objective: float
    clip_fraction: float
    ratio_outside_fraction: float


def ppo_clip_objective(
    logp_new: ArrayLike,
    logp_old: ArrayLike,
    advantages: ArrayLike,
    *,
    epsilon: float = 0.2,
) -> PPOClipResult:
    """PPO's clipped surrogate objective (Schulman et al. 2017, eq. 7).

    Parameters
    ----------
    logp_new, logp_old : array_like
        Log-probabilities of the sampled tokens under the current and the behaviour
        (old) policy; same shape, finite.
    advantages : array_like
        Advantage estimates A per token, same shape, finite.
    epsilon : float, optional
        Clip range, in (0, 1). The course's typical value is 0.2.

    Returns
    -------
    PPOClipResult
        Ratios, per-token objective, its mean and the clipped fractions.

    Notes
    -----
    L^CLIP = E[min(r A, clip(r, 1 − ε, 1 + ε) A)], r = π_θ/π_old. For A > 0 the
    objective stops growing once r > 1 + ε; for A < 0 once r < 1 − ε.

    Examples
    --------
    >>> res = ppo_clip_objective(np.log([0.5, 1.0, 1.5]), [0.0, 0.0, 0.0], [1.0, -1.0, 1.0])
    >>> res.objective
    array([ 0.5, -1. ,  1.2])
    >>> res.clip_fraction
    0.3333333333333333
    """
    ratio = policy_ratio(logp_new, logp_old)
    adv = check_finite(advantages, "advantages")
    check_same_shape(ratio, adv, "logp_new", "advantages")
    eps = check_scalar(epsilon, "epsilon")
    if not 0.0 < eps < 1.0:
        raise ValueError(f"`epsilon` must lie in (0, 1); got {eps}")
    if ratio.size == 0:
        raise ValueError("`logp_new` must hold at least one token")
    unclipped = ratio * adv
    clipped = np.clip(ratio, 1.0 - eps, 1.0 + eps) * adv
    objective = np.minimum(unclipped, clipped)
    return PPOClipResult(
        ratio=ratio,
        objective=objective,
        mean_objective=float(objective.mean()),
        clip_fraction=float(np.mean(clipped < unclipped)),
        ratio_outside_fraction=float(np.mean(np.abs(ratio - 1.0) > eps)),
    )


@dataclass(frozen=True)
class KLEstimates:
    """Per-sample Monte Carlo estimators of KL(π‖π_ref) and their means (see :func:`kl_estimators`).

    Attributes
    ----------
    k1, k2, k3 : numpy.ndarray
        −log r, ½ (log r)², (r − 1) − log r per sample, r = π_ref/π.
    k1_mean, k2_mean, k3_mean : float
        Their means (the estimates).
    k1_stderr, k2_stderr, k3_stderr : float
        Standard errors of the means (sample std / sqrt(n); nan for n = 1).
    """

    k1: FloatArray
    k2: FloatArray
    k3: FloatArray
    k1_mean: float
    k2_mean: float
    k3_mean: float
    k1_stderr: float
    k2_stderr: float
    k3_stderr: float


def kl_estimators(logp: ArrayLike, logp_ref: ArrayLike) -> KLEstimates:
    """The three Monte Carlo estimators of KL(π‖π_ref) from log-probs of draws x ~ π.

    Parameters
    ----------
    logp : array_like
        log π(x_i) of samples drawn from π (the policy being trained), finite.
    logp_ref : array_like
        log π_ref(x_i) of the same samples under the reference policy, finite.

    Returns
    -------
    KLEstimates
        Per-sample k1, k2, k3 with their means and standard errors.

    Notes
    -----
    With r = π_ref(x)/π(x) (Schulman, "Approximating KL divergence", 2020):

    * k1 = −log r: unbiased, high variance, can be negative per sample;
    * k2 = ½ (log r)²: biased (its mean is an f-divergence equal to KL to second
      order), low variance, >= 0;
    * k3 = (r − 1) − log r: unbiased (E_π[r] = 1), >= 0 per sample, low variance
      when π ≈ π_ref. TRL's ``kl_penalty="k1"/"mse"/"low_var_kl"`` use these.

    Examples
    --------
    >>> est = kl_estimators(np.log([0.5, 0.25]), np.log([0.25, 0.5]))
    >>> est.k1
    array([ 0.69314718, -0.69314718])
    >>> est.k3
    array([0.19314718, 0.30685282])
    """
    lp = _check_logps(logp, "logp")
    lref = _check_logps(logp_ref, "logp_ref")
    check_same_shape(lp, lref, "logp", "logp_ref")
    if lp.size == 0:
        raise ValueError("`logp` must hold at least one sample")
    log_r = lref - lp
    k1 = -log_r
    k2 = 0.5 * log_r**2
    with np.errstate(over="ignore"):  # r beyond float64 gives k3 = inf, the honest value
        k3 = np.expm1(log_r) - log_r  # expm1 keeps k3 accurate (and >= 0) when r ≈ 1
    n = lp.size

    def stderr(x: FloatArray) -> float:
        return float(np.std(x, ddof=1) / np.sqrt(n)) if n > 1 else float("nan")

    return KLEstimates(
        k1=k1,
        k2=k2,
        k3=k3,
        k1_mean=float(k1.mean()),
        k2_mean=float(k2.mean()),
        k3_mean=float(k3.mean()),
        k1_stderr=stderr(k1),
        k2_stderr=stderr(k2),
        k3_stderr=stderr(k3),
    )


# ----------------------------------------------------------------- the F.kl_div trap

KLDivReduction = Literal["none", "sum", "mean", "batchmean"]
_REDUCTIONS = ("none", "sum", "mean", "batchmean")


def check_kl_div_inputs(input: ArrayLike, target: ArrayLike, *, log_target: bool = False) -> list[str]:
    """Flag the usual mistakes in arguments meant for ``torch.nn.functional.kl_div``.

    Parameters
    ----------
    input : array_like, shape (N, K) or (K,)
        Should be log q (log-probabilities along the last axis).
    target : array_like
        Should be p (or log p with ``log_target=True``), same shape.
    log_target : bool, optional
        Whether ``target`` is meant to be in log-space.

    Returns
    -------
    list of str
        One message per problem found; empty when the arguments look right.

    Notes
    -----
    Log-probabilities are <= 0 and exp of a row sums to 1. A positive entry in
    ``input`` means raw probabilities were passed where log q belongs: torch then
    computes Σ p (log p − q), which is not a KL divergence and raises no error.

    Examples
    --------
    >>> check_kl_div_inputs(np.log([[0.5, 0.5]]), [[0.9, 0.1]])
    []
    >>> check_kl_div_inputs([[0.5, 0.5]], [[0.9, 0.1]])[0]
    '`input` has entries > 0 (max 0.5), so it is not log-probabilities: pass log q (e.g. np.log(q)), not q'
    """
    inp = as_float_array(input, "input")
    tgt = as_float_array(target, "target")
    problems: list[str] = []
    with np.errstate(over="ignore"):
        if (inp > 0).any():
            problems.append(
                f"`input` has entries > 0 (max {inp.max():.4g}), so it is not log-probabilities: "
                "pass log q (e.g. np.log(q)), not q"
            )
        elif inp.ndim >= 1 and inp.size and not _rows_sum_to_one(np.exp(inp)):
            problems.append("`input` is not normalised log-probabilities: exp(input) does not sum to 1 along the last axis")
        if log_target:
            if (tgt > 0).any():
                problems.append(
                    f"`target` has entries > 0 (max {tgt.max():.4g}) with log_target=True: "
                    "pass log p, or raw p with log_target=False"
                )
            elif tgt.ndim >= 1 and tgt.size and not _rows_sum_to_one(np.exp(tgt)):
                problems.append("`target` (log_target=True) does not exponentiate to rows summing to 1")
        else:
            if (tgt < 0).any():
                problems.append(
                    f"`target` has negative entries (min {tgt.min():.4g}): if it holds "
                    "log-probabilities pass log_target=True"
                )
            elif tgt.ndim >= 1 and tgt.size and not _rows_sum_to_one(tgt):
                problems.append("`target` rows do not sum to 1 along the last axis")
    return problems


def _rows_sum_to_one(x: FloatArray) -> bool:
    return bool(np.all(np.abs(x.sum(axis=-1, dtype=np.float64) - 1.0) <= PROB_SUM_ATOL))


def kl_div(
    input: ArrayLike,
    target: ArrayLike,
    *,
    reduction: KLDivReduction = "mean",
    log_target: bool = False,
    check: bool = True,
) -> FloatArray | float:
    """KL divergence with ``torch.nn.functional.kl_div``'s argument convention.

    ``kl_div(log q, p)`` is KL(p‖q): the *first* argument is log q, the second p.

    Parameters
    ----------
    input : array_like
        log q, log-probabilities (``-inf`` allowed where q = 0).
    target : array_like
        p, probabilities (or log p when ``log_target=True``); same shape as ``input``.
    reduction : {"mean", "batchmean", "sum", "none"}, optional
        As torch: "none" pointwise terms, "sum" their sum, "mean" their mean over
        *all* elements (torch's default, which is not KL: it divides by N·K),
        "batchmean" the sum divided by ``input.shape[0]`` (the mean KL per row).
    log_target : bool, optional
        ``target`` holds log p.
    check : bool, optional
        Run :func:`check_kl_div_inputs` and raise ``ValueError`` on any problem.
        ``check=False`` reproduces torch's silent result on wrong inputs.

    Returns
    -------
    float or numpy.ndarray
        A float for the reductions, an array of pointwise terms for "none".

    Notes
    -----
    Pointwise term: p (log p − input), taken as 0 where p = 0; with ``log_target``,
    exp(t) (t − input). Torch returns nan where p = 0 and input = -inf; here that
    term is 0, the limit p log(p/q) → 0.

    Examples
    --------
    >>> p, q = np.array([[0.9, 0.1]]), np.array([[0.5, 0.5]])
    >>> round(kl_div(np.log(q), p, reduction="batchmean"), 6)  # KL(p‖q)
    0.368064
    >>> kl_div(q, p, reduction="batchmean")
    Traceback (most recent call last):
    ...
    ValueError: `input` has entries > 0 (max 0.5), so it is not log-probabilities: pass log q (e.g. np.log(q)), not q
    """
    inp = as_float_array(input, "input")
    _check_no_nan_or_posinf(inp, "input")
    tgt = as_float_array(target, "target")
    if log_target:
        _check_no_nan_or_posinf(tgt, "target")
    else:
        tgt = check_finite(tgt, "target")
        negative = tgt < 0
        if negative.any():  # torch would return nan here, which we never do
            raise ValueError(
                f"`target` must be >= 0 (probabilities); found {tgt[negative].flat[0]:.4g}: "
                "if it holds log-probabilities pass log_target=True"
            )
    check_same_shape(inp, tgt, "input", "target")
    check_choice(reduction, "reduction", _REDUCTIONS)
    if reduction == "batchmean" and (inp.ndim == 0 or inp.shape[0] == 0):
        raise ValueError("`reduction='batchmean'` needs a non-empty first (batch) axis")
    if check:
        problems = check_kl_div_inputs(inp, tgt, log_target=log_target)
        if problems:
            raise ValueError("; ".join(problems))
    log_q = inp.astype(np.float64, copy=False)
    t = tgt.astype(np.float64, copy=False)
    terms = np.zeros(t.shape, dtype=np.float64)
    # Terms with p = 0 stay 0 (the limit of p log p); `where` keeps -inf − -inf out.
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):  # inf as torch gives
        if log_target:
            live = t > -np.inf
            np.multiply(np.exp(t), t - log_q, where=live, out=terms)
        else:
            live = t > 0
            np.multiply(t, np.log(t) - log_q, where=live, out=terms)
    if reduction == "none":
        return terms
    total = float(terms.sum())
    if reduction == "sum":
        return total
    if reduction == "mean":
        return total / terms.size if terms.size else float("nan")
    return total / inp.shape[0]
