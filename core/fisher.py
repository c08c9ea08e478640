"""Fisher information: closed forms, Monte Carlo checks, Cramér–Rao, natural gradient, K-FAC.

F(θ) = E[∇ log p(x|θ) ∇ log p(x|θ)ᵀ] = −E[∇² log p(x|θ)].

Families, their parameters (the matrix rows follow this order) and F:

* ``"bernoulli"``, ``p`` in (0, 1): 1 / (p (1 − p)).
* ``"bernoulli_logit"``, ``logit`` θ: p (1 − p) with p = sigmoid(θ).
* ``"gaussian"``, ``mu``, ``sigma`` > 0 and ``parameterization``: diag(1/σ², 2/σ²) in
  (μ, σ) ("std", the default); diag(1/σ², 1/(2σ⁴)) in (μ, σ²) ("variance");
  diag(1/σ², 2) in (μ, log σ) ("log_std").
* ``"categorical"``, ``probs`` (K,) all > 0: diag(1/p_i) + 11ᵀ/p_K over the K − 1 free
  parameters p_1 … p_{K−1}.
* ``"softmax"``, ``logits`` (K,): diag(p) − ppᵀ with p = softmax(logits) (K × K, rank
  K − 1).

One-parameter families return a Python ``float``; the others a 2-D ``numpy.ndarray``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import linalg, special

from core.validation import (
    check_choice,
    check_finite,
    check_int,
    check_logits,
    check_positive,
    check_probability,
    check_probability_vector,
    check_scalar,
)

__all__ = [
    "FAMILIES",
    "CramerRaoResult",
    "FisherMonteCarlo",
    "GaussianFitPaths",
    "KFACResult",
    "LogLikelihoodCurve",
    "LogisticFisher",
    "cramer_rao_simulation",
    "fisher_information",
    "fisher_monte_carlo",
    "gaussian_average_nll",
    "gaussian_fit_paths",
    "hessian_log_prob",
    "kfac_linear_softmax",
    "kfac_random_layer",
    "log_likelihood_curve",
    "logistic_fisher",
    "natural_gradient_step",
    "reparameterisation_gap",
    "score",
]

FloatArray = NDArray[np.float64]

#: Family names accepted by :func:`fisher_information` and friends.
FAMILIES = ("bernoulli", "bernoulli_logit", "gaussian", "categorical", "softmax")

GaussianParameterization = Literal["std", "variance", "log_std"]
_GAUSSIAN_PARAMETERIZATIONS = ("std", "variance", "log_std")

_REQUIRED = {
    "bernoulli": ("p",),
    "bernoulli_logit": ("logit",),
    "gaussian": ("mu", "sigma"),
    "categorical": ("probs",),
    "softmax": ("logits",),
}
_OPTIONAL = {"gaussian": ("parameterization",)}



def _parse(family: str, params: dict[str, Any]) -> dict[str, Any]:
    """Validate the family name and its parameters; return them checked."""
    check_choice(family, "family", FAMILIES)
    required = _REQUIRED[family]
    allowed = set(required) | set(_OPTIONAL.get(family, ()))
    missing = [name for name in required if name not in params]
    if missing:
        raise ValueError(f"family {family!r} needs parameter(s) {', '.join(f'`{m}`' for m in missing)}")
    extra = sorted(set(params) - allowed)
    if extra:
        raise ValueError(
            f"family {family!r} takes {', '.join(f'`{a}`' for a in sorted(allowed))}; "
            f"got unexpected {', '.join(f'`{e}`' for e in extra)}"
        )
    out: dict[str, Any] = {}
    if family == "bernoulli":
        out["p"] = float(check_probability(check_scalar(params["p"], "p"), "p", low_open=True, high_open=True))
    elif family == "bernoulli_logit":
        out["logit"] = check_scalar(params["logit"], "logit")
    elif family == "gaussian":
        out["mu"] = check_scalar(params["mu"], "mu")
        out["sigma"] = float(check_positive(check_scalar(params["sigma"], "sigma"), "sigma"))
        out["parameterization"] = check_choice(
            params.get("parameterization", "std"), "parameterization", _GAUSSIAN_PARAMETERIZATIONS
        )
    elif family == "categorical":
        probs = check_probability_vector(params["probs"], "probs").astype(np.float64)
        if probs.ndim != 1 or probs.size < 2:
            raise ValueError(f"`probs` must be one vector of at least 2 categories; got shape {probs.shape}")
        if (probs == 0).any():
            raise ValueError(
                "`probs` must be > 0 in every category: the Fisher information is infinite "
                f"at a zero probability (index {int(np.argmax(probs == 0))})"
            )
        out["probs"] = probs
    else:  # softmax
        logits = check_logits(params["logits"], "logits", ndim=1).astype(np.float64)
        out["logits"] = logits
    return out


def fisher_information(family: str, **params: Any) -> float | FloatArray:
    """Closed-form Fisher information of one observation.

    Parameters
    ----------
    family : {"bernoulli", "bernoulli_logit", "gaussian", "categorical", "softmax"}
        The model; see the module docstring for each family's parameters.
    **params
        ``p``; ``logit``; ``mu``, ``sigma`` and optionally ``parameterization`` in
        {"std", "variance", "log_std"}; ``probs``; ``logits``.

    Returns
    -------
    float or numpy.ndarray
        A float for the one-parameter Bernoulli families; otherwise the (d, d) matrix
        with rows in the parameter order of the module table.

    Notes
    -----
    Bernoulli: F(p) = 1/(p(1−p)); in the logit θ, F(θ) = p(1−p) = F(p) (dp/dθ)².
    Gaussian in (μ, σ): diag(1/σ², 2/σ²); reparameterising by J = ∂(old)/∂(new)
    gives Jᵀ F J: (μ, σ²) → diag(1/σ², 1/(2σ⁴)), (μ, log σ) → diag(1/σ², 2).
    Categorical with p_K = 1 − Σ_{i<K} p_i: F = diag(1/p_1..1/p_{K−1}) + 11ᵀ/p_K.
    Softmax logits z: F = diag(p) − ppᵀ (singular: adding a constant to z changes
    nothing).

    Examples
    --------
    >>> fisher_information("bernoulli", p=0.2)
    6.25
    >>> fisher_information("gaussian", mu=0.0, sigma=2.0)
    array([[0.25, 0.  ],
           [0.  , 0.5 ]])
    >>> fisher_information("categorical", probs=[0.5, 0.25, 0.25])
    array([[6., 4.],
           [4., 8.]])
    """
    prm = _parse(family, params)
    if family == "bernoulli":
        p = prm["p"]
        return 1.0 / (p * (1.0 - p))
    if family == "bernoulli_logit":
        p = float(special.expit(prm["logit"]))
        return p * (1.0 - p)
    if family == "gaussian":
        s2 = prm["sigma"] ** 2
        second = {"std": 2.0 / s2, "variance": 1.0 / (2.0 * s2**2), "log_std": 2.0}
        return np.diag([1.0 / s2, second[prm["parameterization"]]])
    if family == "categorical":
        probs = prm["probs"]
        free = probs[:-1]
        return np.diag(1.0 / free) + 1.0 / probs[-1]
    p = special.softmax(prm["logits"])
    return np.diag(p) - np.outer(p, p)


# -------------------------------------------------------------- scores and Hessians


def _draw(family: str, prm: dict[str, Any], n: int, rng: np.random.Generator) -> NDArray[Any]:
    if family == "bernoulli":
        return (rng.random(n) < prm["p"]).astype(np.float64)
    if family == "bernoulli_logit":
        return (rng.random(n) < special.expit(prm["logit"])).astype(np.float64)
    if family == "gaussian":
        return rng.normal(prm["mu"], prm["sigma"], size=n)
    probs = prm["probs"] if family == "categorical" else special.softmax(prm["logits"])
    return rng.choice(probs.size, size=n, p=probs)


def _check_x(family: str, prm: dict[str, Any], x: ArrayLike) -> NDArray[Any]:
    arr = check_finite(x, "x")
    if arr.ndim != 1:
        raise ValueError(f"`x` must be a 1-D array of observations; got shape {arr.shape}")
    if family in ("bernoulli", "bernoulli_logit"):
        bad = (arr != 0) & (arr != 1)
        if bad.any():
            raise ValueError(f"`x` must be 0 or 1 for a Bernoulli; found {arr[bad][0]}")
    if family in ("categorical", "softmax"):
        k = (prm["probs"] if family == "categorical" else prm["logits"]).size
        bad = (arr != np.round(arr)) | (arr < 0) | (arr >= k)
        if bad.any():
            raise ValueError(f"`x` must be category indices in [0, {k}); found {arr[bad][0]}")
        return arr.astype(np.intp)
    return arr


def score(family: str, x: ArrayLike, **params: Any) -> FloatArray:
    """Score ∇_θ log p(x|θ) of each observation, in the parameters of :func:`fisher_information`.

    Parameters
    ----------
    family : str
        One of :data:`FAMILIES`.
    x : array_like, shape (n,)
        Observations: 0/1 (Bernoulli), reals (Gaussian), category indices.
    **params
        As for :func:`fisher_information`.

    Returns
    -------
    numpy.ndarray, shape (n, d)
        One score vector per observation.

    Notes
    -----
    Bernoulli: x/p − (1−x)/(1−p); logit: x − p. Gaussian (μ, σ):
    ((x−μ)/σ², −1/σ + (x−μ)²/σ³); (μ, σ²): second entry −1/(2σ²) + (x−μ)²/(2σ⁴);
    (μ, log σ): −1 + (x−μ)²/σ². Categorical: e_x/p_x for x < K−1, −1/p_K for the
    last category. Softmax: e_x − p.

    Examples
    --------
    >>> score("bernoulli", [1.0, 0.0], p=0.25)
    array([[ 4.        ],
           [-1.33333333]])
    """
    prm = _parse(family, params)
    xs = _check_x(family, prm, x)
    n = xs.size
    if family == "bernoulli":
        p = prm["p"]
        return (xs / p - (1 - xs) / (1 - p))[:, None]
    if family == "bernoulli_logit":
        return (xs - special.expit(prm["logit"]))[:, None]
    if family == "gaussian":
        mu, sigma, kind = prm["mu"], prm["sigma"], prm["parameterization"]
        d = xs - mu
        s2 = sigma**2
        second = {
            "std": -1.0 / sigma + d**2 / sigma**3,
            "variance": -0.5 / s2 + d**2 / (2 * s2**2),
            "log_std": -1.0 + d**2 / s2,
        }[kind]
        return np.column_stack([d / s2, second])
    if family == "categorical":
        probs = prm["probs"]
        k = probs.size
        out = np.zeros((n, k - 1))
        free = xs < k - 1
        out[np.flatnonzero(free), xs[free]] = 1.0 / probs[xs[free]]
        out[~free] = -1.0 / probs[-1]
        return out
    p = special.softmax(prm["logits"])
    return np.eye(p.size)[xs] - p


def hessian_log_prob(family: str, x: ArrayLike, **params: Any) -> FloatArray:
    """Hessian ∇²_θ log p(x|θ) of each observation.

    Parameters
    ----------
    family : str
        One of :data:`FAMILIES`.
    x : array_like, shape (n,)
        Observations.
    **params
        As for :func:`fisher_information`.

    Returns
    -------
    numpy.ndarray, shape (n, d, d)
        One Hessian per observation.

    Notes
    -----
    Bernoulli: −x/p² − (1−x)/(1−p)²; logit: −p(1−p). Gaussian (μ, σ), d = x − μ:
    [[−1/σ², −2d/σ³], [−2d/σ³, 1/σ² − 3d²/σ⁴]]; (μ, v = σ²): [[−1/v, −d/v²],
    [−d/v², 1/(2v²) − d²/v³]]; (μ, log σ): [[−1/σ², −2d/σ²], [−2d/σ², −2d²/σ²]].
    Categorical: −e_x e_xᵀ/p_x² (x < K−1) or −11ᵀ/p_K². Softmax: −(diag(p) − ppᵀ)
    whatever x.

    Examples
    --------
    >>> hessian_log_prob("bernoulli_logit", [1.0], logit=0.0)
    array([[[-0.25]]])
    """
    prm = _parse(family, params)
    xs = _check_x(family, prm, x)
    n = xs.size
    if family == "bernoulli":
        p = prm["p"]
        return (-xs / p**2 - (1 - xs) / (1 - p) ** 2)[:, None, None]
    if family == "bernoulli_logit":
        p = float(special.expit(prm["logit"]))
        return np.full((n, 1, 1), -p * (1 - p))
    if family == "gaussian":
        mu, sigma, kind = prm["mu"], prm["sigma"], prm["parameterization"]
        d = xs - mu
        s2 = sigma**2
        h = np.empty((n, 2, 2))
        h[:, 0, 0] = -1.0 / s2
        if kind == "std":
            h[:, 0, 1] = -2 * d / sigma**3
            h[:, 1, 1] = 1.0 / s2 - 3 * d**2 / s2**2
        elif kind == "variance":
            h[:, 0, 1] = -d / s2**2
            h[:, 1, 1] = 0.5 / s2**2 - d**2 / s2**3
        else:
            h[:, 0, 1] = -2 * d / s2
            h[:, 1, 1] = -2 * d**2 / s2
        h[:, 1, 0] = h[:, 0, 1]
        return h
    if family == "categorical":
        probs = prm["probs"]
        k = probs.size
        h = np.zeros((n, k - 1, k - 1))
        free = np.flatnonzero(xs < k - 1)
        h[free, xs[free], xs[free]] = -1.0 / probs[xs[free]] ** 2
        h[xs == k - 1] = -1.0 / probs[-1] ** 2
        return h
    p = special.softmax(prm["logits"])
    return np.broadcast_to(-(np.diag(p) - np.outer(p, p)), (n, p.size, p.size)).copy()


@dataclass(frozen=True)
class FisherMonteCarlo:
    """Monte Carlo estimates of the Fisher information (see :func:`fisher_monte_carlo`).

    Attributes
    ----------
    score_outer, neg_hessian : numpy.ndarray, shape (d, d)
        Means of s sᵀ and of −∇² log p over the draws.
    score_outer_stderr, neg_hessian_stderr : numpy.ndarray, shape (d, d)
        Their elementwise standard errors (sample std / sqrt(n)).
    exact : numpy.ndarray, shape (d, d)
        The closed form from :func:`fisher_information` (as a matrix).
    n_samples : int
        Number of draws.
    """

    score_outer: FloatArray
    neg_hessian: FloatArray
    score_outer_stderr: FloatArray
    neg_hessian_stderr: FloatArray
    exact: FloatArray
    n_samples: int


def fisher_monte_carlo(
    family: str, *, n_samples: int, rng: np.random.Generator, **params: Any
) -> FisherMonteCarlo:
    """Estimate F both as E[score scoreᵀ] and as −E[Hessian] from draws of the model.

    Parameters
    ----------
    family : str
        One of :data:`FAMILIES`.
    n_samples : int
        Number of draws x ~ p(·|θ), at least 2.
    rng : numpy.random.Generator
        Source of the draws.
    **params
        As for :func:`fisher_information`.

    Returns
    -------
    FisherMonteCarlo
        Both estimates with standard errors, and the closed form beside them.

    Notes
    -----
    The two expectations agree because E[score] = 0 (differentiate ∫ p = 1 twice).

    Examples
    --------
    >>> mc = fisher_monte_carlo("bernoulli", n_samples=4000, rng=np.random.default_rng(0), p=0.3)
    >>> bool(abs(mc.score_outer[0, 0] - mc.exact[0, 0]) < 4 * mc.score_outer_stderr[0, 0])
    True
    """
    n = check_int(n_samples, "n_samples", minimum=2)
    prm = _parse(family, params)
    x = _draw(family, prm, n, rng)
    s = score(family, x, **params)
    outer = s[:, :, None] * s[:, None, :]
    neg_h = -hessian_log_prob(family, x, **params)
    root_n = np.sqrt(n)
    return FisherMonteCarlo(
        score_outer=outer.mean(axis=0),
        neg_hessian=neg_h.mean(axis=0),
        score_outer_stderr=outer.std(axis=0, ddof=1) / root_n,
        neg_hessian_stderr=neg_h.std(axis=0, ddof=1) / root_n,
        exact=np.atleast_2d(np.asarray(fisher_information(family, **params), dtype=np.float64)),
        n_samples=n,
    )


# ------------------------------------------------------- empirical vs true Fisher


@dataclass(frozen=True)
class LogisticFisher:
    """True and empirical Fisher of a logistic model (see :func:`logistic_fisher`)."""

    true: FloatArray
    empirical: FloatArray


def logistic_fisher(X: ArrayLike, weights: ArrayLike, y: ArrayLike) -> LogisticFisher:
    """True and empirical Fisher of logistic regression p(y=1|x) = sigmoid(wᵀx).

    Parameters
    ----------
    X : array_like, shape (n, d)
        Inputs (add a column of ones for an intercept).
    weights : array_like, shape (d,)
        Where to evaluate the Fisher.
    y : array_like, shape (n,)
        Observed labels in {0, 1} (used only by the empirical Fisher).

    Returns
    -------
    LogisticFisher
        ``true`` = (1/n) Σ s_i(1−s_i) x_i x_iᵀ (labels drawn from the model);
        ``empirical`` = (1/n) Σ (y_i − s_i)² x_i x_iᵀ (observed labels), s = sigmoid(Xw).

    Notes
    -----
    The score of one example is (y − s) x. The true Fisher averages its outer
    product over y ~ model, E[(y − s)²] = s(1 − s); the empirical Fisher plugs in the
    observed y. They agree in expectation only when the labels come from the model at
    ``weights``; elsewhere E[(y − s)²] = s*(1 − s*) + (s* − s)² with s* the true
    probability (Kunstner et al. 2019, "Limitations of the empirical Fisher").

    Examples
    --------
    >>> res = logistic_fisher([[1.0], [1.0]], [0.0], [1, 0])
    >>> res.true, res.empirical
    (array([[0.25]]), array([[0.25]]))
    """
    x = check_finite(X, "X").astype(np.float64)
    if x.ndim != 2 or 0 in x.shape:
        raise ValueError(f"`X` must be a non-empty 2-D array (n, d); got shape {x.shape}")
    w = check_finite(weights, "weights").astype(np.float64)
    if w.shape != (x.shape[1],):
        raise ValueError(f"`weights` must have shape ({x.shape[1]},) to match `X`; got {w.shape}")
    labels = check_finite(y, "y")
    if labels.shape != (x.shape[0],):
        raise ValueError(f"`y` must have shape ({x.shape[0]},) to match `X`; got {labels.shape}")
    bad = (labels != 0) & (labels != 1)
    if bad.any():
        raise ValueError(f"`y` must hold labels 0 or 1; found {labels[bad][0]}")
    s = special.expit(x @ w)
    n = x.shape[0]
    true = (x * (s * (1 - s))[:, None]).T @ x / n
    empirical = (x * ((labels - s) ** 2)[:, None]).T @ x / n
    return LogisticFisher(true=true, empirical=empirical)


# --------------------------------------------------------------------- Cramér–Rao


@dataclass(frozen=True)
class CramerRaoResult:
    """Simulated MLE variance beside the Cramér–Rao bound (see :func:`cramer_rao_simulation`).

    Attributes
    ----------
    parameters : tuple of str
        Parameter names, in column order.
    estimates : numpy.ndarray, shape (n_datasets, d)
        The MLE on each simulated dataset.
    mle_variance : numpy.ndarray, shape (d,)
        Sample variance (ddof=1) of the estimates over datasets.
    bound : numpy.ndarray, shape (d,)
        diag(F⁻¹)/n: the Cramér–Rao bound for an unbiased estimator from n draws.
    """

    parameters: tuple[str, ...]
    estimates: FloatArray
    mle_variance: FloatArray
    bound: FloatArray


def cramer_rao_simulation(
    family: Literal["bernoulli", "gaussian"],
    *,
    n: int,
    n_datasets: int,
    rng: np.random.Generator,
    **params: Any,
) -> CramerRaoResult:
    """Simulate the MLE over many datasets of size n and set its variance beside 1/(n F).

    Parameters
    ----------
    family : {"bernoulli", "gaussian"}
        Bernoulli(p) with MLE p̂ = mean, or Gaussian(mu, sigma) with MLE
        (mean, standard deviation with ddof=0).
    n : int
        Observations per dataset.
    n_datasets : int
        Number of simulated datasets (at least 2).
    rng : numpy.random.Generator
        Source of the data.
    **params
        ``p``, or ``mu`` and ``sigma``.

    Returns
    -------
    CramerRaoResult
        The estimates, their variance and the bound.

    Notes
    -----
    Var(θ̂) >= 1/(n F(θ)) for unbiased θ̂. p̂ attains it exactly: p(1−p)/n. For the
    Gaussian, μ̂ attains σ²/n; σ̂ (biased) approaches σ²/(2n) as n grows.

    Examples
    --------
    >>> res = cramer_rao_simulation("bernoulli", n=50, n_datasets=2000,
    ...                             rng=np.random.default_rng(0), p=0.3)
    >>> res.bound
    array([0.0042])
    """
    check_choice(family, "family", ("bernoulli", "gaussian"))
    size = check_int(n, "n", minimum=1)
    reps = check_int(n_datasets, "n_datasets", minimum=2)
    prm = _parse(family, params)
    if family == "bernoulli":
        if "parameterization" in params:
            raise ValueError("`parameterization` is not a Bernoulli parameter")
        estimates = (rng.binomial(size, prm["p"], size=reps) / size)[:, None]
        names: tuple[str, ...] = ("p",)
        f_diag = np.array([fisher_information("bernoulli", p=prm["p"])], dtype=np.float64)
    else:
        if prm["parameterization"] != "std":
            raise ValueError("`parameterization` must be 'std' for the Cramér–Rao simulation")
        data = rng.normal(prm["mu"], prm["sigma"], size=(reps, size))
        estimates = np.column_stack([data.mean(axis=1), data.std(axis=1)])
        names = ("mu", "sigma")
        fisher = np.asarray(fisher_information("gaussian", mu=prm["mu"], sigma=prm["sigma"]))
        f_diag = 1.0 / np.diag(np.linalg.inv(fisher))
    return CramerRaoResult(
        parameters=names,
        estimates=estimates,
        mle_variance=estimates.var(axis=0, ddof=1),
        bound=1.0 / (size * f_diag),
    )


# ----------------------------------------------------------------- natural gradient


def natural_gradient_step(
    theta: ArrayLike, grad: ArrayLike, fisher: ArrayLike, *, lr: float
) -> FloatArray:
    """One natural-gradient descent step θ − lr F⁻¹ ∇L.

    Parameters
    ----------
    theta : array_like, shape (d,)
        Current parameters.
    grad : array_like, shape (d,)
        Gradient of the loss at ``theta``.
    fisher : array_like, shape (d, d)
        Fisher information at ``theta``: symmetric positive-definite.
    lr : float
        Step size, > 0.

    Returns
    -------
    numpy.ndarray, shape (d,)
        The new parameters.

    Raises
    ------
    ValueError
        If ``fisher`` is not symmetric positive-definite (Cholesky fails).

    Notes
    -----
    F⁻¹∇L is the steepest-descent direction when distance is measured by the KL
    divergence between the models (KL ≈ ½ δᵀ F δ) rather than by ‖δ‖; it is the
    same step whatever the parameterisation, to first order in ``lr``.

    Examples
    --------
    >>> natural_gradient_step([0.0, 1.0], [1.0, 2.0], [[1.0, 0.0], [0.0, 2.0]], lr=0.5)
    array([-0.5,  0.5])
    """
    th = check_finite(theta, "theta").astype(np.float64)
    g = check_finite(grad, "grad").astype(np.float64)
    f = check_finite(fisher, "fisher").astype(np.float64)
    step = float(check_positive(check_scalar(lr, "lr"), "lr"))
    if th.ndim != 1 or g.shape != th.shape:
        raise ValueError(f"`theta` and `grad` must be 1-D of the same length; got {th.shape} and {g.shape}")
    if f.shape != (th.size, th.size):
        raise ValueError(f"`fisher` must have shape ({th.size}, {th.size}); got {f.shape}")
    if not np.allclose(f, f.T, rtol=1e-10, atol=1e-12):
        raise ValueError("`fisher` must be symmetric")
    try:
        factor = linalg.cho_factor(f)
    except linalg.LinAlgError:
        eig = np.linalg.eigvalsh(f).min()
        raise ValueError(
            f"`fisher` must be positive-definite; its smallest eigenvalue is {eig:.4g}"
        ) from None
    return th - step * linalg.cho_solve(factor, g)


def _gaussian_nll(mu: float, sigma: float, mean: float, var: float) -> float:
    """Average NLL of data with sample mean/variance (mean, var) under N(mu, sigma²)."""
    return float(np.log(sigma) + 0.5 * np.log(2 * np.pi) + ((mean - mu) ** 2 + var) / (2 * sigma**2))


@dataclass(frozen=True)
class GaussianFitPaths:
    """Optimisation paths of a Gaussian fit (see :func:`gaussian_fit_paths`).

    Attributes
    ----------
    natural, plain : numpy.ndarray, shape (n_steps + 1, 2)
        (mu, sigma) after each step, starting point first, always reported in σ
        whatever the parameterisation used for the steps.
    natural_loss, plain_loss : numpy.ndarray, shape (n_steps + 1,)
        Average negative log-likelihood along each path.
    parameterization : str
        "std" (steps in (μ, σ)) or "log_std" (steps in (μ, log σ)).
    """

    natural: FloatArray
    plain: FloatArray
    natural_loss: FloatArray
    plain_loss: FloatArray
    parameterization: str


def _gaussian_grad(mu: float, sigma: float, mean: float, var: float, kind: str) -> FloatArray:
    resid2 = (mean - mu) ** 2 + var
    d_mu = -(mean - mu) / sigma**2
    d_sigma = 1.0 / sigma - resid2 / sigma**3
    return np.array([d_mu, d_sigma if kind == "std" else sigma * d_sigma])


def gaussian_fit_paths(
    data: ArrayLike,
    *,
    mu0: float,
    sigma0: float,
    lr: float,
    n_steps: int,
    parameterization: Literal["std", "log_std"] = "std",
) -> GaussianFitPaths:
    """Fit N(μ, σ²) to data by natural-gradient and by plain gradient descent.

    Parameters
    ----------
    data : array_like, shape (n,)
        Observations (at least 2, finite, not all equal).
    mu0, sigma0 : float
        Starting point, sigma0 > 0.
    lr : float
        Step size for both methods, > 0.
    n_steps : int
        Number of steps.
    parameterization : {"std", "log_std"}, optional
        Take the steps in (μ, σ) or in (μ, log σ).

    Returns
    -------
    GaussianFitPaths
        Both paths in (μ, σ) and the loss along them.

    Raises
    ------
    ValueError
        If a plain-gradient step in σ leaves σ <= 0 (lower ``lr``).

    Notes
    -----
    Loss L = log σ + ((m − μ)² + v)/(2σ²) + ½ log 2π with the data's mean m and
    variance v. Natural step: θ ← θ − lr F(θ)⁻¹ ∇L(θ) with F from
    :func:`fisher_information` ("std" or "log_std"). As lr → 0 both natural paths
    follow the same curve in (μ, σ); plain gradient paths do not (the gradient in log σ
    is σ times the gradient in σ). See :func:`reparameterisation_gap`.

    Examples
    --------
    >>> paths = gaussian_fit_paths([1.0, 3.0], mu0=0.0, sigma0=1.0, lr=0.5, n_steps=40)
    >>> np.round(paths.natural[-1], 4)
    array([2., 1.])
    """
    x = check_finite(data, "data").astype(np.float64)
    if x.ndim != 1 or x.size < 2:
        raise ValueError(f"`data` must be a 1-D array of at least 2 observations; got shape {x.shape}")
    mean, var = float(x.mean()), float(x.var())
    if var == 0:
        raise ValueError("`data` must not be all equal (the MLE of sigma would be 0)")
    mu = check_scalar(mu0, "mu0")
    sigma = float(check_positive(check_scalar(sigma0, "sigma0"), "sigma0"))
    step = float(check_positive(check_scalar(lr, "lr"), "lr"))
    steps = check_int(n_steps, "n_steps", minimum=0)
    kind = check_choice(parameterization, "parameterization", ("std", "log_std"))

    def to_theta(m: float, s: float) -> FloatArray:
        return np.array([m, s if kind == "std" else np.log(s)])

    def to_sigma(theta: FloatArray) -> tuple[float, float]:
        return float(theta[0]), float(theta[1] if kind == "std" else np.exp(theta[1]))

    paths = {}
    for method in ("natural", "plain"):
        m, s = mu, sigma
        points = [(m, s)]
        for i in range(steps):
            theta = to_theta(m, s)
            # an overflowing step is caught just below as a clear error
            with np.errstate(over="ignore", invalid="ignore"):
                grad = _gaussian_grad(m, s, mean, var, kind)
                if method == "natural":
                    fisher = fisher_information("gaussian", mu=m, sigma=s, parameterization=kind)
                    theta = natural_gradient_step(theta, grad, np.asarray(fisher), lr=step)
                else:
                    theta = theta - step * grad
            if not np.all(np.isfinite(theta)) or (kind == "std" and theta[1] <= 0):
                raise ValueError(
                    f"{method} gradient step {i + 1} made sigma <= 0 or non-finite "
                    f"(theta = {theta[0]:.4g}, {theta[1]:.4g}); "
                    f"lower `lr` (now {step:g})"
                )
            m, s = to_sigma(theta)
            points.append((m, s))
        paths[method] = np.array(points)
    return GaussianFitPaths(
        natural=paths["natural"],
        plain=paths["plain"],
        natural_loss=np.array([_gaussian_nll(m, s, mean, var) for m, s in paths["natural"]]),
        plain_loss=np.array([_gaussian_nll(m, s, mean, var) for m, s in paths["plain"]]),
        parameterization=kind,
    )


def reparameterisation_gap(
    data: ArrayLike, *, mu0: float, sigma0: float, lr: float, n_steps: int
) -> tuple[float, float]:
    """How far the (μ, σ) and (μ, log σ) paths of each method end up apart.

    Parameters
    ----------
    data : array_like
        Observations.
    mu0, sigma0, lr, n_steps
        As for :func:`gaussian_fit_paths`.

    Returns
    -------
    (natural_gap, plain_gap) : tuple of float
        max over steps of the Euclidean distance in (μ, σ) between the two
        parameterisations' paths, for natural and for plain gradient descent.

    Notes
    -----
    Natural gradient is invariant to reparameterisation as lr → 0: its gap shrinks
    in proportion to lr at a fixed lr·n_steps. The plain gradient's gap does not.

    Examples
    --------
    >>> nat, plain = reparameterisation_gap([1.0, 3.0], mu0=0.0, sigma0=3.0, lr=0.01, n_steps=100)
    >>> bool(nat < plain / 10)
    True
    """
    a = gaussian_fit_paths(data, mu0=mu0, sigma0=sigma0, lr=lr, n_steps=n_steps, parameterization="std")
    b = gaussian_fit_paths(data, mu0=mu0, sigma0=sigma0, lr=lr, n_steps=n_steps, parameterization="log_std")
    natural_gap = float(np.max(np.linalg.norm(a.natural - b.natural, axis=1)))
    plain_gap = float(np.max(np.linalg.norm(a.plain - b.plain, axis=1)))
    return natural_gap, plain_gap


# -------------------------------------------------------------------------- K-FAC

_KFAC_MAX_PARAMS = 4096  # the exact Fisher is (C·D)² floats


@dataclass(frozen=True)
class KFACResult:
    """K-FAC factors against the exact Fisher of one linear+softmax layer.

    Attributes
    ----------
    A : numpy.ndarray, shape (D, D)
        E[a aᵀ] over the inputs.
    G : numpy.ndarray, shape (C, C)
        E[g gᵀ], g = ∂ log p(y|a)/∂(Wa) = e_y − p, averaged over inputs and y ~ model:
        the mean of diag(p) − ppᵀ.
    fisher_exact : numpy.ndarray, shape (C·D, C·D)
        E[vec(∇_W log p) vec(∇_W log p)ᵀ] = mean_i (diag(p_i) − p_i p_iᵀ) ⊗ a_i a_iᵀ.
    fisher_kfac : numpy.ndarray, shape (C·D, C·D)
        G ⊗ A.
    relative_error : float
        ‖F_exact − G ⊗ A‖_F / ‖F_exact‖_F.
    """

    A: FloatArray
    G: FloatArray
    fisher_exact: FloatArray
    fisher_kfac: FloatArray
    relative_error: float


def kfac_linear_softmax(inputs: ArrayLike, weights: ArrayLike) -> KFACResult:
    """K-FAC on one linear layer z = W a followed by a softmax over C classes.

    Parameters
    ----------
    inputs : array_like, shape (n, D)
        The layer's inputs a_i.
    weights : array_like, shape (C, D)
        The weight matrix W (no bias: append a constant 1 to ``inputs`` for one).

    Returns
    -------
    KFACResult
        A, G, the exact Fisher, its Kronecker approximation and the relative error.

    Notes
    -----
    Parameters are ordered as ``W.ravel()`` (row-major: index c·D + d). The gradient
    of log p(y|a) is (e_y − p) aᵀ, so the exact Fisher is
    F = mean_i H_i ⊗ a_i a_iᵀ with H_i = diag(p_i) − p_i p_iᵀ; K-FAC assumes the
    gradient factor and the input are independent: F ≈ E[H] ⊗ E[a aᵀ] = G ⊗ A
    (Martens & Grosse 2015). It is exact when every input is the same, or when p
    does not depend on the input. Memory grows as (C·D)²: at most 4096 parameters.

    Examples
    --------
    >>> res = kfac_linear_softmax([[1.0, 0.0], [1.0, 0.0]], np.zeros((2, 2)))
    >>> round(res.relative_error, 12)
    0.0
    """
    a = check_finite(inputs, "inputs").astype(np.float64)
    w = check_finite(weights, "weights").astype(np.float64)
    if a.ndim != 2 or 0 in a.shape:
        raise ValueError(f"`inputs` must be a non-empty 2-D array (n, D); got shape {a.shape}")
    if w.ndim != 2 or w.shape[1] != a.shape[1] or w.shape[0] < 2:
        raise ValueError(
            f"`weights` must have shape (C, {a.shape[1]}) with C >= 2 classes; got {w.shape}"
        )
    n_classes, dim = w.shape
    if n_classes * dim > _KFAC_MAX_PARAMS:
        raise ValueError(
            f"`weights` has {n_classes * dim} parameters; the exact Fisher is kept only up to "
            f"{_KFAC_MAX_PARAMS}"
        )
    p = special.softmax(a @ w.T, axis=-1)  # (n, C)
    h = np.einsum("nc,ce->nce", p, np.eye(n_classes)) - p[:, :, None] * p[:, None, :]
    n = a.shape[0]
    exact = np.einsum("nce,nd,nf->cdef", h, a, a).reshape(n_classes * dim, n_classes * dim) / n
    a_factor = a.T @ a / n
    g_factor = h.mean(axis=0)
    kfac = np.kron(g_factor, a_factor)
    norm = np.linalg.norm(exact)
    rel = float(np.linalg.norm(exact - kfac) / norm) if norm > 0 else 0.0
    return KFACResult(A=a_factor, G=g_factor, fisher_exact=exact, fisher_kfac=kfac, relative_error=rel)



# ------------------------------------------------- log-likelihood curves, for display


@dataclass(frozen=True)
class LogLikelihoodCurve:
    """A one-parameter log-likelihood around its maximum (see :func:`log_likelihood_curve`).

    Attributes
    ----------
    grid : numpy.ndarray
        Parameter values θ.
    relative_log_likelihood : numpy.ndarray
        ℓ(θ) − ℓ(θ̂) at each grid value (<= 0, and 0 at the MLE).
    quadratic : numpy.ndarray
        −½ J (θ − θ̂)²: the second-order Taylor expansion of the same curve at θ̂.
    mle : float
        θ̂.
    n : int
        Number of observations.
    fisher : float
        Fisher information of one observation at θ̂.
    curvature : float
        J = −ℓ''(θ̂), the observed information; equal to n · ``fisher`` for these models.
    standard_error : float
        1 / sqrt(J): the asymptotic standard error of θ̂.
    """

    grid: FloatArray
    relative_log_likelihood: FloatArray
    quadratic: FloatArray
    mle: float
    n: int
    fisher: float
    curvature: float
    standard_error: float


def log_likelihood_curve(
    family: Literal["bernoulli", "gaussian"],
    grid: ArrayLike,
    *,
    mle: float,
    n: int,
    sigma: float | None = None,
) -> LogLikelihoodCurve:
    """The log-likelihood of n observations, relative to its maximum, and its curvature there.

    Parameters
    ----------
    family : {"bernoulli", "gaussian"}
        Bernoulli(p), or the mean μ of a Gaussian whose ``sigma`` is known.
    grid : array_like, shape (m,)
        Parameter values at which to evaluate the curve (inside (0, 1) for a Bernoulli).
    mle : float
        The data's maximum-likelihood estimate: the fraction of successes p̂ in (0, 1)
        (strictly inside: at 0 or 1 the curvature is infinite), or the sample mean x̄.
    n : int
        Number of observations, at least 1.
    sigma : float, optional
        The Gaussian's known standard deviation (> 0); not allowed for a Bernoulli.

    Returns
    -------
    LogLikelihoodCurve
        The curve, its quadratic approximation, and J = n F(θ̂).

    Notes
    -----
    The data enter only through (n, θ̂). Bernoulli with n p̂ successes:
    ℓ(p) − ℓ(p̂) = n [p̂ log(p/p̂) + (1 − p̂) log((1 − p)/(1 − p̂))] = −n KL(Ber(p̂) ‖ Ber(p)),
    and −ℓ''(p̂) = n / (p̂ (1 − p̂)) = n F(p̂). Gaussian mean:
    ℓ(μ) − ℓ(x̄) = −n (μ − x̄)² / (2σ²), exactly quadratic with J = n / σ². The curve
    sharpens as n grows: its width at a fixed drop is proportional to 1 / sqrt(n).

    Examples
    --------
    >>> curve = log_likelihood_curve("bernoulli", [0.3, 0.5], mle=0.5, n=10)
    >>> curve.curvature, curve.fisher
    (40.0, 4.0)
    >>> np.round(curve.relative_log_likelihood, 4)
    array([-0.8718,  0.    ])
    >>> log_likelihood_curve("gaussian", [0.0, 1.0], mle=1.0, n=4, sigma=2.0).relative_log_likelihood
    array([-0.5,  0. ])
    """
    check_choice(family, "family", ("bernoulli", "gaussian"))
    size = check_int(n, "n", minimum=1)
    theta = check_finite(grid, "grid").astype(np.float64)
    if theta.ndim != 1 or theta.size == 0:
        raise ValueError(f"`grid` must be a non-empty 1-D array; got shape {theta.shape}")
    if family == "bernoulli":
        if sigma is not None:
            raise ValueError("`sigma` is only for the Gaussian family")
        p_hat = float(check_probability(check_scalar(mle, "mle"), "mle", low_open=True, high_open=True))
        check_probability(theta, "grid", low_open=True, high_open=True)
        # 0.0 − x rather than −x: the MLE itself gets +0.0, not −0.0
        relative = 0.0 - size * (special.rel_entr(p_hat, theta) + special.rel_entr(1.0 - p_hat, 1.0 - theta))
        fisher = float(fisher_information("bernoulli", p=p_hat))
        centre = p_hat
    else:
        if sigma is None:
            raise ValueError("`sigma` (the known standard deviation) is required for the Gaussian family")
        centre = check_scalar(mle, "mle")
        s = float(check_positive(check_scalar(sigma, "sigma"), "sigma"))
        fisher = float(np.asarray(fisher_information("gaussian", mu=centre, sigma=s))[0, 0])
        relative = 0.0 - size * (theta - centre) ** 2 / (2.0 * s**2)
    curvature = size * fisher
    return LogLikelihoodCurve(
        grid=theta,
        relative_log_likelihood=np.asarray(relative, dtype=np.float64),
        quadratic=-0.5 * curvature * (theta - centre) ** 2,
        mle=centre,
        n=size,
        fisher=fisher,
        curvature=curvature,
        standard_error=1.0 / float(np.sqrt(curvature)),
    )


def gaussian_average_nll(
    mu: ArrayLike, sigma: ArrayLike, *, data_mean: float, data_var: float
) -> FloatArray:
    """Average negative log-likelihood of data under N(μ, σ²), broadcast over μ and σ.

    Parameters
    ----------
    mu, sigma : array_like
        Means and standard deviations (σ > 0), broadcast together (e.g. a mesh).
    data_mean : float
        The data's sample mean m.
    data_var : float
        The data's variance v (ddof = 0), >= 0.

    Returns
    -------
    numpy.ndarray
        L(μ, σ) = log σ + ½ log 2π + ((m − μ)² + v) / (2σ²): the loss that
        :func:`gaussian_fit_paths` descends, so its contours are the landscape of those paths.

    Examples
    --------
    >>> round(float(gaussian_average_nll(2.0, 1.0, data_mean=2.0, data_var=1.0)), 6)  # ½ log 2π + ½
    1.418939
    """
    m = check_scalar(data_mean, "data_mean")
    v = check_scalar(data_var, "data_var")
    if v < 0:
        raise ValueError(f"`data_var` must be >= 0; got {v}")
    mus = check_finite(mu, "mu").astype(np.float64)
    sigmas = check_positive(sigma, "sigma").astype(np.float64)
    return np.log(sigmas) + 0.5 * np.log(2 * np.pi) + ((m - mus) ** 2 + v) / (2.0 * sigmas**2)


def kfac_random_layer(
    *,
    n_inputs: int,
    input_dim: int,
    n_classes: int,
    weight_scale: float,
    rng: np.random.Generator,
) -> KFACResult:
    """:func:`kfac_linear_softmax` on a random layer: how good is K-FAC as weights grow?

    Parameters
    ----------
    n_inputs : int
        Number of inputs a_i, at least 1.
    input_dim : int
        D, at least 1.
    n_classes : int
        C, at least 2 (C·D at most 4096).
    weight_scale : float
        >= 0; the weights are ``weight_scale`` times standard normals.
    rng : numpy.random.Generator
        Source of the draws: first the inputs ``rng.standard_normal((n_inputs, input_dim))``,
        then ``rng.standard_normal((n_classes, input_dim))`` for the weights, so one seed
        gives the same inputs and weight directions at every ``weight_scale``.

    Returns
    -------
    KFACResult
        See :func:`kfac_linear_softmax`.

    Notes
    -----
    At ``weight_scale = 0`` every input gets the uniform prediction, the gradient factor
    does not depend on the input and K-FAC is exact; as the scale grows the prediction,
    hence diag(p) − ppᵀ, varies with a and the Kronecker factorisation degrades.

    Examples
    --------
    >>> res = kfac_random_layer(n_inputs=50, input_dim=3, n_classes=4, weight_scale=0.0,
    ...                         rng=np.random.default_rng(0))
    >>> round(res.relative_error, 12)
    0.0
    """
    n = check_int(n_inputs, "n_inputs", minimum=1)
    dim = check_int(input_dim, "input_dim", minimum=1)
    classes = check_int(n_classes, "n_classes", minimum=2)
    scale = check_scalar(weight_scale, "weight_scale")
    if scale < 0:
        raise ValueError(f"`weight_scale` must be >= 0; got {scale}")
    if classes * dim > _KFAC_MAX_PARAMS:
        raise ValueError(
            f"`n_classes` × `input_dim` = {classes * dim} parameters; the exact Fisher is kept "
            f"only up to {_KFAC_MAX_PARAMS}"
        )
    inputs = rng.standard_normal((n, dim))
    weights = scale * rng.standard_normal((classes, dim))
    return kfac_linear_softmax(inputs, weights)
