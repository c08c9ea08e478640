"""Targets and samplers by name: factories, labels, parameter specs, and a run's cost bound.

A user interface (the dashboard's MCMC page) reads these tables instead of spelling
each target and sampler out: :data:`TARGETS` maps a name to a :class:`TargetSpec`
(factory, label, the factory's parameters with bounds and defaults, coordinate names)
and :data:`SAMPLERS` a name to a :class:`SamplerSpec` (the core sampler, which options
apply with warm-up tuning on or off). :func:`run_cost` bounds the gradient evaluations
a run can make before it starts; :func:`run_sampler` refuses a run whose bound is above
:data:`MAX_RUN_GRADIENTS`, so no choice of in-range inputs can start an hours-long run.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from core.mcmc import targets as _targets
from core.mcmc._common import ProgressCallback, RngLike
from core.mcmc.gibbs import gibbs_bivariate_gaussian
from core.mcmc.hmc import ADAPTATIONS, MAX_PATH_STEPS, hmc
from core.mcmc.metropolis import metropolis
from core.mcmc.nuts import nuts
from core.mcmc.targets import Target
from core.mcmc.trace import Trace
from core.validation import check_bool, check_choice, check_int

__all__ = [
    "MAX_RUN_GRADIENTS",
    "SAMPLERS",
    "STEP_SEARCH_GRADIENTS",
    "TARGETS",
    "ParamSpec",
    "SamplerSpec",
    "TargetSpec",
    "run_cost",
    "run_sampler",
    "sampler_options",
]

#: The largest gradient-evaluation bound :func:`run_sampler` accepts. Measured on the
#: project's 2-core machine, one evaluation inside NUTS costs about 8 µs on the built-in
#: 2-D Gaussian and about 20 µs on a typed density with finite-difference gradients, so
#: a run at the limit takes at most about 40 s (built-in) or 100 s (typed).
MAX_RUN_GRADIENTS = 5_000_000
#: Gradient evaluations a chain can spend before its first iteration when the step size
#: is tuned: the start point's gradient, the first leapfrog step, and Stan's step-size
#: search, which halves ε = 1 at most 1075 times (to the smallest double, then fails)
#: or doubles it at most 24 times (past 1e7, then fails).
STEP_SEARCH_GRADIENTS = 1 + 1 + 1075


@dataclass(frozen=True)
class ParamSpec:
    """One numeric parameter of a target factory or option of a sampler.

    Attributes
    ----------
    name : str
        The factory's or sampler's keyword argument.
    label : str
        What a widget shows.
    kind : {"float", "int"}
        Type of the value.
    default : float
        The value a page starts with.
    lo, hi : float
        Inclusive bounds a page offers (the core function may refuse part of the range
        itself, e.g. a step size of 0, with its own ValueError).
    step : float
        Widget increment.
    help : str
        One sentence: what the parameter does.
    mode : {"always", "tuned", "fixed"}
        For a sampler option: shown always, only with warm-up tuning on, or only off.
    """

    name: str
    label: str
    kind: Literal["float", "int"]
    default: float
    lo: float
    hi: float
    step: float
    help: str = ""
    mode: Literal["always", "tuned", "fixed"] = "always"

    def check(self, value: Any) -> float | int:
        """``value`` as this parameter's type, or a ValueError naming it and its bounds.

        Examples
        --------
        >>> TARGETS["funnel"].param("dim").check(4)
        4
        >>> TARGETS["funnel"].param("dim").check(99)
        Traceback (most recent call last):
        ...
        ValueError: `dim` must lie in [2, 20]; got 99
        """
        if self.kind == "int":
            number: float | int = check_int(value, self.name)
        else:
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise TypeError(f"`{self.name}` must be a number; got {value!r}")
            number = float(value)
            if not math.isfinite(number):
                raise ValueError(f"`{self.name}` must be finite; got {number}")
        if not self.lo <= number <= self.hi:
            raise ValueError(f"`{self.name}` must lie in [{self.lo:g}, {self.hi:g}]; got {number:g}")
        return number


def _numbered(dim: int) -> tuple[str, ...]:
    return tuple(f"x{i}" for i in range(1, dim + 1))


@dataclass(frozen=True)
class TargetSpec:
    """A target family: its factory, label, parameters and coordinate names.

    ``dim_param`` names the parameter that sets the dimension (if any): the joint law of
    the first two coordinates is then the same family with it set to 2 (see
    :meth:`shown`).
    """

    name: str
    label: str
    factory: Callable[..., Target]
    params: tuple[ParamSpec, ...]
    description: str
    names: Callable[[int], tuple[str, ...]] = _numbered
    dim_param: str | None = None

    def param(self, name: str) -> ParamSpec:
        """The parameter called ``name``; a ValueError lists the valid ones."""
        for spec in self.params:
            if spec.name == name:
                return spec
        raise ValueError(f"target {self.name!r} has no parameter {name!r}; it has "
                         f"{[p.name for p in self.params]}")

    def defaults(self) -> dict[str, float]:
        """Every parameter at its default."""
        return {p.name: p.default for p in self.params}

    def check(self, values: Mapping[str, Any]) -> dict[str, float | int]:
        """Exactly this target's parameters, each within its bounds (ValueError otherwise)."""
        unknown = sorted(set(values) - {p.name for p in self.params})
        missing = [p.name for p in self.params if p.name not in values]
        if unknown or missing:
            raise ValueError(f"target {self.name!r} takes parameters {[p.name for p in self.params]}; "
                             f"unknown {unknown}, missing {missing}")
        return {p.name: p.check(values[p.name]) for p in self.params}

    def build(self, values: Mapping[str, Any]) -> Target:
        """The core target with these parameter values.

        Examples
        --------
        >>> TARGETS["banana"].build({"b": 0.05}).name
        'banana(b=0.05, dim=2)'
        """
        return self.factory(**self.check(values))

    def shown(self, values: Mapping[str, Any]) -> Target:
        """The joint distribution of the first two coordinates (a 1-D target: itself).

        Examples
        --------
        >>> TARGETS["gaussian"].shown({"dim": 10}).dim
        2
        """
        checked = self.check(values)
        if self.dim_param is not None:
            checked[self.dim_param] = 2
        return self.factory(**checked)


def _float(name: str, label: str, default: float, lo: float, hi: float, step: float,
           help: str = "", mode: Literal["always", "tuned", "fixed"] = "always") -> ParamSpec:
    return ParamSpec(name, label, "float", default, lo, hi, step, help, mode)


def _int(name: str, label: str, default: int, lo: int, hi: int, help: str = "",
         mode: Literal["always", "tuned", "fixed"] = "always") -> ParamSpec:
    return ParamSpec(name, label, "int", default, lo, hi, 1, help, mode)


def _funnel_names(dim: int) -> tuple[str, ...]:
    return ("v", *(f"x{i}" for i in range(1, dim)))


def _beta_binomial(alpha0: float, beta0: float, heads: int, tails: int) -> Target:
    return _targets.beta_binomial_logit(alpha0, beta0, heads, tails)


#: The built-in targets by name (a typed log density is the caller's: see
#: ``core.mcmc.from_log_density``).
TARGETS: dict[str, TargetSpec] = {spec.name: spec for spec in (
    TargetSpec(
        "correlated_gaussian", "Correlated Gaussian", _targets.correlated_gaussian,
        (_float("rho", "ρ: correlation of the two coordinates", 0.9, -0.999, 0.999, 0.01),),
        "Near ±1 the density is a thin ridge that small or axis-aligned steps cross slowly.",
    ),
    TargetSpec(
        "gaussian", "Gaussian in d dimensions", lambda dim: _targets.gaussian(dim),
        (_int("dim", "d: dimensions", 10, 2, 50),),
        "Independent N(0, 1) coordinates: a random walk's steps must shrink as d grows.",
        dim_param="dim",
    ),
    TargetSpec(
        "banana", "Banana", lambda b: _targets.banana(b),
        (_float("b", "b: curvature", 0.03, 0.0, 0.2, 0.01),),
        "x₁ ~ N(0, 10²) and x₂ bends along b(x₁² − 100): the long thin arms are hard to reach.",
    ),
    TargetSpec(
        "mixture", "Mixture", _targets.gaussian_mixture,
        (_float("separation", "Distance between the two means", 4.0, 0.5, 10.0, 0.5),
         _float("weight", "Weight of the right-hand bump", 0.5, 0.05, 0.95, 0.05)),
        "Two bumps: a chain has to cross the low-density valley between them.",
    ),
    TargetSpec(
        "funnel", "Funnel", _targets.funnel,
        (_int("dim", "Dimensions (v and d − 1 xs)", 10, 2, 20),
         _float("scale", "Standard deviation of v", 3.0, 0.5, 5.0, 0.5)),
        "xᵢ ~ N(0, eᵛ): a wide mouth and a narrow neck. One step size cannot fit both; "
        "HMC and NUTS report divergences in the neck.",
        names=_funnel_names, dim_param="dim",
    ),
    TargetSpec(
        "beta_binomial", "Beta-Binomial", _beta_binomial,
        (_float("alpha0", "α₀ (prior)", 2.0, 0.1, 100.0, 0.5),
         _float("beta0", "β₀ (prior)", 2.0, 0.1, 100.0, 0.5),
         _int("heads", "heads", 4, 0, 1000),
         _int("tails", "tails", 1, 0, 1000)),
        "The coin's posterior Beta(α₀ + heads, β₀ + tails), sampled as θ = log(p/(1 − p)) "
        "so the sampler moves on the whole real line. One dimension: no contour plot.",
        names=lambda dim: ("θ",),
    ),
)}


@dataclass(frozen=True)
class SamplerSpec:
    """A sampler: the core function, its label and the options that apply to it.

    ``tunable``: warm-up can tune its step (switched off, the step is the user's).
    ``uses_gradient``: it makes gradient evaluations (and may keep leapfrog paths).
    ``targets``: the registry targets it can sample (None: any Target).
    ``adaptations``: the warm-up mass-matrix adaptations it offers (its ``adaptation``
    option, a choice; the first is the default), none for the others.
    """

    name: str
    label: str
    call: Callable[..., Trace]
    options: tuple[ParamSpec, ...] = ()
    tunable: bool = True
    uses_gradient: bool = False
    targets: tuple[str, ...] | None = None
    description: str = ""
    fixed: Mapping[str, Any] = field(default_factory=dict)
    adaptations: tuple[str, ...] = ()

    def option(self, name: str) -> ParamSpec:
        """The option called ``name``; a ValueError lists this sampler's options."""
        for spec in self.options:
            if spec.name == name:
                return spec
        raise ValueError(f"sampler {self.name!r} has no option {name!r}; it has "
                         f"{[p.name for p in self.options]}")

    def applies(self, tune: bool) -> tuple[ParamSpec, ...]:
        """The options that matter with warm-up tuning on (``tune``) or off."""
        mode = "tuned" if tune else "fixed"
        return tuple(p for p in self.options if p.mode in ("always", mode))

    def leapfrog_cap(self, options: Mapping[str, Any]) -> int:
        """The most leapfrog steps (gradient evaluations) one iteration can take."""
        if not self.uses_gradient:
            return 0
        if "max_tree_depth" in options:
            return 2 ** int(options["max_tree_depth"]) - 1
        if "n_leapfrog" in options:
            return int(options["n_leapfrog"])
        return MAX_PATH_STEPS


def _gibbs(target: Target, **kwargs: Any) -> Trace:
    # The correlated Gaussian's covariance is [[1, ρ], [ρ, 1]] exactly.
    assert target.cov is not None
    return gibbs_bivariate_gaussian(float(target.cov[0, 1]), **kwargs)


#: The options HMC and NUTS share.
_ACCEPT = _float("target_accept", "Target acceptance rate", 0.8, 0.05, 0.99, 0.01, mode="tuned",
                 help="Higher means smaller steps: fewer divergences, more gradient evaluations.")
_STEP = _float("step_size", "Step size ε (> 0)", 0.2, 0.0, 5.0, 0.01, mode="fixed",
               help="The leapfrog step, fixed for the whole run.")

#: The samplers by name.
SAMPLERS: dict[str, SamplerSpec] = {spec.name: spec for spec in (
    SamplerSpec(
        "metropolis", "Metropolis", metropolis,
        (_float("target_accept", "Target acceptance rate", 0.234, 0.05, 0.95, 0.001, mode="tuned",
                help="0.234 is optimal for Gaussian-like targets in many dimensions."),
         _float("proposal_scale", "Proposal scale s (> 0)", 0.5, 0.0, 50.0, 0.05, mode="fixed",
                help="Each proposal is the current point plus s times a standard normal.")),
        description="A random walk: propose a nearby point, accept it with probability "
        "min(1, p(new)/p(old)).",
    ),
    SamplerSpec(
        "gibbs", "Gibbs", _gibbs, tunable=False, targets=("correlated_gaussian",),
        description="Gibbs has no knobs: each coordinate is redrawn from its exact conditional.",
    ),
    SamplerSpec(
        "hmc", "HMC", hmc,
        (_ACCEPT, _STEP,
         _int("n_leapfrog", "Leapfrog steps L per iteration (≥ 1)", 10, 0, 200,
              help="HMC follows L steps of size ε; NUTS chooses the length itself.")),
        uses_gradient=True, adaptations=ADAPTATIONS,
        description="L leapfrog steps along the slope of log p, then one accept/reject.",
    ),
    SamplerSpec(
        "nuts", "NUTS", nuts,
        (_ACCEPT, _STEP,
         _int("max_tree_depth", "Max tree depth", 8, 1, 10,
              help="At most 2^depth − 1 leapfrog steps per iteration.")),
        uses_gradient=True, adaptations=ADAPTATIONS,
        description="HMC that doubles its trajectory until it turns back on itself.",
    ),
)}


def sampler_options(sampler: str, *, tune: bool, options: Mapping[str, Any]) -> dict[str, Any]:
    """The options of ``sampler`` that apply in this mode, checked; the others dropped.

    Missing options take their defaults. With ``tune`` off a tunable sampler's step
    (``proposal_scale`` or ``step_size``) is fixed and ``target_accept`` unused; the
    mass-matrix ``adaptation`` of HMC and NUTS applies in both modes.

    Examples
    --------
    >>> sampler_options("hmc", tune=False, options={"step_size": 0.1, "target_accept": 0.9})
    {'step_size': 0.1, 'n_leapfrog': 10, 'adaptation': 'stan'}
    >>> sampler_options("nuts", tune=True, options={"adaptation": "fisher"})["adaptation"]
    'fisher'
    """
    spec = SAMPLERS[check_choice(sampler, "sampler", tuple(SAMPLERS))]
    known = {p.name for p in spec.options} | ({"adaptation"} if spec.adaptations else set())
    unknown = sorted(set(options) - known)
    if unknown:
        raise ValueError(f"sampler {sampler!r} has no option(s) {unknown}; it has {sorted(known)}")
    chosen: dict[str, Any] = {p.name: p.check(options.get(p.name, p.default)) for p in spec.applies(tune)}
    if spec.adaptations:
        chosen["adaptation"] = check_choice(options.get("adaptation", spec.adaptations[0]),
                                            "adaptation", spec.adaptations)
    return chosen


def run_cost(sampler: str, n_chains: int, n_draws: int, n_tune: int,
             options: Mapping[str, Any]) -> int:
    """An upper bound on the gradient evaluations of a run (0 for gradient-free samplers).

    Parameters
    ----------
    sampler : str
        A name in :data:`SAMPLERS`.
    n_chains, n_draws, n_tune : int
        Chains, kept draws and warm-up iterations per chain.
    options : mapping
        The sampler's options as :func:`sampler_options` returns them; a ``step_size``
        (or ``proposal_scale``) among them means the step is fixed, not tuned.

    Returns
    -------
    int
        chains × (warm-up + draws) × leapfrog cap, plus per chain the start point's
        gradient and, when the step is tuned, :data:`STEP_SEARCH_GRADIENTS`.

    Notes
    -----
    The cap is 2^max_tree_depth − 1 for NUTS, L for HMC with ``n_leapfrog`` (1024, the
    path-length cap, without it). A step size of 1e-6 makes NUTS hit its cap on every
    iteration, so the bound is also what such a run really costs.

    Examples
    --------
    >>> run_cost("nuts", 8, 10_000, 0, {"step_size": 1e-6, "max_tree_depth": 10})
    81840008
    >>> run_cost("metropolis", 4, 500, 500, {})
    0
    """
    spec = SAMPLERS[check_choice(sampler, "sampler", tuple(SAMPLERS))]
    chains = check_int(n_chains, "n_chains", minimum=1)
    iterations = check_int(n_draws, "n_draws", minimum=1) + check_int(n_tune, "n_tune", minimum=0)
    if not spec.uses_gradient:
        return 0
    tuned = "step_size" not in options
    per_chain = 1 + (STEP_SEARCH_GRADIENTS if tuned else 0)
    return chains * (iterations * spec.leapfrog_cap(options) + per_chain)


def run_sampler(
    sampler: str,
    target: Target,
    *,
    target_name: str,
    tune: bool,
    options: Mapping[str, Any],
    n_chains: int,
    n_warmup: int,
    n_draws: int,
    rng: RngLike,
    progress: ProgressCallback | None = None,
    keep_trajectories: bool = False,
    max_cost: int = MAX_RUN_GRADIENTS,
    keep_moves: bool = False,
) -> Trace:
    """Run ``sampler`` on ``target`` with the options that apply, within a cost limit.

    Parameters
    ----------
    sampler : str
        A name in :data:`SAMPLERS`.
    target : Target
        What to sample; ``target_name`` is its registry name (or the caller's name for a
        target of its own), checked against the sampler's ``targets``.
    tune : bool
        Tune the step in warm-up (ignored by samplers that are not tunable).
    options : mapping
        Sampler options (see :func:`sampler_options`).
    n_chains, n_warmup, n_draws : int
        Run sizes.
    rng : numpy.random.Generator or int
        Randomness; a seed reproduces the run.
    progress : callable, optional
        ``progress(fraction)`` as the run goes.
    keep_trajectories : bool, optional
        Keep leapfrog paths (gradient samplers only).
    max_cost : int, optional
        Refuse (ValueError) a run whose :func:`run_cost` bound is above this.
    keep_moves : bool, optional
        Record what every kept transition did (``Trace.moves``, see core.mcmc.moves).

    Returns
    -------
    Trace

    Examples
    --------
    >>> tr = run_sampler("gibbs", TARGETS["correlated_gaussian"].build({"rho": 0.5}),
    ...                  target_name="correlated_gaussian", tune=True, options={},
    ...                  n_chains=2, n_warmup=10, n_draws=20, rng=0)
    >>> tr.draws.shape
    (2, 20, 2)
    """
    spec = SAMPLERS[check_choice(sampler, "sampler", tuple(SAMPLERS))]
    if spec.targets is not None and target_name not in spec.targets:
        labels = ", ".join(TARGETS[t].label for t in spec.targets)
        raise ValueError(f"`sampler` {spec.label} needs the full conditionals of its target; "
                         f"here they are implemented for the {labels} only")
    chosen = sampler_options(sampler, tune=tune or not spec.tunable, options=options)
    cost = run_cost(sampler, n_chains, n_draws, n_warmup, chosen)
    if cost > max_cost:
        raise ValueError(
            f"this run could take up to {cost:,} gradient evaluations, more than the limit of "
            f"{max_cost:,}: use fewer chains or iterations, fewer leapfrog steps or a lower "
            "tree depth, or let warm-up tune the step size"
        )
    kwargs: dict[str, Any] = dict(chosen, n_chains=n_chains, n_warmup=n_warmup,
                                  n_draws=n_draws, rng=rng, progress=progress,
                                  keep_moves=check_bool(keep_moves, "keep_moves"))
    if spec.uses_gradient:
        kwargs["keep_trajectories"] = keep_trajectories
    return spec.call(target, **kwargs)
