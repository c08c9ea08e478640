"""The MCMC page's URL state, declared once from core.mcmc's registries (no streamlit, no grader).

Choices are written to the URL as their labels (``target=Funnel``); each registry name
is an accepted alias of its label, so a hand-typed ``?target=funnel`` works too. A
target's parameters and a sampler's options keep the page's historical URL keys
(:data:`TARGET_KEYS`, :data:`OPTION_KEYS`); the second sampler of the side-by-side view
uses the same keys with :data:`SECOND` appended.
"""

from __future__ import annotations

from collections.abc import Mapping

from core.mcmc.hmc import ADAPTATIONS
from core.mcmc.registry import SAMPLERS, TARGETS, ParamSpec
from dashboard.common.page_params import PageParams, Param

__all__ = [
    "ADAPTATION_KEY",
    "CUSTOM_DEFAULT",
    "CUSTOM_KEYS",
    "MOTION_MODES",
    "OPTION_KEYS",
    "PARAMS",
    "SAMPLER_DEFAULTS",
    "SECOND",
    "TARGET_KEYS",
    "TARGET_LABELS",
    "option_key",
    "sampler_name",
    "stan_vs_fisher",
    "target_name",
]

#: The typed log density's default (a ring of radius 2), and its URL keys.
CUSTOM_DEFAULT = "-8*(sqrt(x**2 + y**2) - 2)**2"
CUSTOM_KEYS = {"x0": "custom_x0", "y0": "custom_y0"}
#: Target name -> label, in menu order (the typed density last).
TARGET_LABELS = {**{name: spec.label for name, spec in TARGETS.items()}, "custom": "Your own log density"}
#: Target name -> {factory parameter: URL key}.
TARGET_KEYS: dict[str, dict[str, str]] = {
    "correlated_gaussian": {"rho": "rho"},
    "gaussian": {"dim": "gauss_dim"},
    "banana": {"b": "banana_b"},
    "mixture": {"separation": "mix_sep", "weight": "mix_weight"},
    "funnel": {"dim": "funnel_dim", "scale": "funnel_scale"},
    "beta_binomial": {"alpha0": "bb_alpha0", "beta0": "bb_beta0", "heads": "bb_heads", "tails": "bb_tails"},
    "custom": CUSTOM_KEYS,
}
#: Sampler name -> {option: URL key} (the first sampler's; see :func:`option_key`).
OPTION_KEYS: dict[str, dict[str, str]] = {
    "metropolis": {"target_accept": "mh_accept", "proposal_scale": "mh_scale"},
    "gibbs": {},
    "hmc": {"target_accept": "accept", "step_size": "step_size", "n_leapfrog": "n_leapfrog"},
    "nuts": {"target_accept": "accept", "step_size": "step_size", "max_tree_depth": "max_depth"},
}
#: Suffix of the second sampler's keys, and each side's default sampler (NUTS on the left:
#: the default view converges, R-hat < 1.01).
SECOND = "_b"
SAMPLER_DEFAULTS = ("nuts", "metropolis")
#: URL key of the warm-up's mass-matrix adaptation (HMC and NUTS, a choice, not a number).
ADAPTATION_KEY = "adaptation"
#: The "Watch it move" animation's two modes (URL key ``motion_mode``).
MOTION_MODES = ("All chains, one iteration per frame", "One chain, one step per frame")


def option_key(sampler: str, option: str, side: int) -> str:
    """The URL key of ``option`` of ``sampler`` on side 0 (left) or 1 (right)."""
    key = ADAPTATION_KEY if option == "adaptation" else OPTION_KEYS[sampler][option]
    return key + (SECOND if side else "")


def stan_vs_fisher(values: Mapping[str, object]) -> dict[str, object]:
    """The values that set up "same sampler, stan vs fisher adaptation" side by side.

    ``values`` are the page's current values by URL key (missing keys: their defaults).
    The left sampler is kept if it adapts a mass matrix (HMC, NUTS), NUTS otherwise; the
    right one becomes the same sampler with the left one's options, so only the
    adaptation differs: ``stan`` on the left, ``fisher`` on the right.

    Examples
    --------
    >>> v = stan_vs_fisher({"sampler": "HMC", "n_leapfrog": 12})
    >>> v["compare"], v["sampler_b"], v["adaptation"], v["adaptation_b"], v["n_leapfrog_b"]
    (True, 'HMC', 'stan', 'fisher', 12)
    """
    current = {**PARAMS.defaults(), **values}
    name = sampler_name(str(current["sampler"]))
    if not SAMPLERS[name].adaptations:
        name = "nuts"
    out: dict[str, object] = {"compare": True, "sampler": SAMPLERS[name].label, "sampler_b": SAMPLERS[name].label,
                              "adapt_b": current["adapt"], ADAPTATION_KEY: ADAPTATIONS[0],
                              ADAPTATION_KEY + SECOND: "fisher"}
    for key in OPTION_KEYS[name].values():
        out[key + SECOND] = current[key]
    return out


def _choice(key: str, label: str, names: dict[str, str], default: str, help: str) -> Param:
    return Param(key, label, "choice", names[default], choices=tuple(names.values()),
                 aliases={name: lab for name, lab in names.items() if name != lab}, help=help)


def target_name(label: str) -> str:
    """The registry name of a target label (the value a choice widget returns)."""
    return next(name for name, lab in TARGET_LABELS.items() if lab == label)


def sampler_name(label: str) -> str:
    """The registry name of a sampler label."""
    return next(name for name, spec in SAMPLERS.items() if spec.label == label)


def _number(key: str, spec: ParamSpec) -> Param:
    kind = "int" if spec.kind == "int" else "float"
    default = int(spec.default) if kind == "int" else float(spec.default)
    return Param(key, spec.label, kind, default, lo=spec.lo, hi=spec.hi, step=spec.step,
                 help=spec.help or f"`{spec.name}` of the target")


def _declared() -> tuple[Param, ...]:
    samplers = {name: spec.label for name, spec in SAMPLERS.items()}
    params = [_choice("target", "Distribution", TARGET_LABELS, "correlated_gaussian",
                      "The distribution the samplers explore.")]
    for name, keys in TARGET_KEYS.items():
        if name == "custom":
            params.append(Param("logp", "log p(x, y), up to a constant", "text", CUSTOM_DEFAULT,
                                max_chars=300, help="A log density typed in x and y."))
            params += [Param(k, lab, "float", 0.0, lo=-50.0, hi=50.0, step=0.5,
                             help="Where the chains start (within ±2).")
                       for k, lab in ((keys["x0"], "Start near x"), (keys["y0"], "Start near y"))]
            continue
        params += [_number(key, TARGETS[name].param(arg)) for arg, key in keys.items()]
    params.append(Param("compare", "Side by side: run a second sampler on the same target",
                        "bool", False, help="Run two samplers on the same target, side by side."))
    for side, suffix in enumerate(("", SECOND)):
        params.append(_choice(f"sampler{suffix}", "Sampler", samplers, SAMPLER_DEFAULTS[side],
                              "The sampler" + (" on the right" if side else "") + "."))
        params.append(Param(f"adapt{suffix}", "Tune in warm-up", "bool", True,
                            help="Tune the step toward the target acceptance rate in warm-up."))
        params.append(Param(f"{ADAPTATION_KEY}{suffix}", "Mass-matrix adaptation", "choice",
                            ADAPTATIONS[0], choices=ADAPTATIONS,
                            help="How warm-up learns each coordinate's scale (HMC, NUTS): stan, "
                            "the draws' variance over doubling windows; fisher, nutpie's "
                            "√(var of the draws / var of the gradients)."))
        seen: set[str] = set()
        for sampler, keys in OPTION_KEYS.items():
            for option, key in keys.items():
                if key + suffix not in seen:
                    seen.add(key + suffix)
                    params.append(_number(key + suffix, SAMPLERS[sampler].option(option)))
    params += [
        Param("n_chains", "Chains", "int", 4, lo=2, hi=8, step=1, help="Independent chains."),
        Param("n_warmup", "Warm-up iterations per chain", "int", 500, lo=0, hi=5000, step=100,
              help="Iterations spent tuning, then discarded."),
        Param("n_draws", "Kept draws per chain", "int", 500, lo=20, hi=5000, step=100,
              help="Iterations kept after warm-up."),
        Param("seed", "Seed", "int", 0, lo=0, hi=10_000, step=1, help="Seed of the run."),
        Param("path_chain", "Path of chain", "int", 1, lo=1, hi=8, step=1,
              help="The chain whose leapfrog path is drawn (HMC, NUTS)."),
        Param("path_iter", "…at kept iteration", "int", 1, lo=1, hi=5000, step=1,
              help="The kept iteration whose leapfrog path is drawn."),
        Param("motion_mode", "Animate", "choice", MOTION_MODES[0], choices=MOTION_MODES,
              aliases={"overview": MOTION_MODES[0], "detail": MOTION_MODES[1]},
              help="All chains at once, or one chain step by step (each leapfrog point, "
              "each proposal and verdict)."),
        Param("motion_chain", "Chain", "int", 1, lo=1, hi=8, step=1,
              help="The chain stepped through."),
        Param("motion_iter", "From iteration", "int", 1, lo=1, hi=1000, step=1,
              help="The first kept iteration stepped through (of the first 1,000)."),
    ]
    return tuple(params)


#: The MCMC page's URL parameters.
PARAMS = PageParams("mcmc", "MCMC samplers", _declared())
