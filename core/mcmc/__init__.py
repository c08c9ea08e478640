"""Markov chain Monte Carlo: targets with known truths, samplers, and convergence diagnostics.

- :mod:`core.mcmc.targets`: log densities with gradients (Gaussians, banana, mixture,
  funnel, Beta-Binomial in logit space, user callables).
- Samplers, each returning a :class:`~core.mcmc.trace.Trace`: :func:`metropolis`,
  :func:`hmc`, :func:`nuts`, :func:`gibbs_bivariate_gaussian`, :func:`gibbs_normal_gamma`.
- :mod:`core.mcmc.diagnostics`: split R-hat, bulk/tail ESS, MCSE, autocorrelation,
  E-BFMI, the same numbers as ArviZ.
- :mod:`core.mcmc.running`: :func:`running_diagnostics`, R-hat and bulk-ESS of each
  prefix of a run (as the draws arrive); :mod:`core.mcmc.moves`: what each transition did
  (samplers' ``keep_moves``).
- :mod:`core.mcmc.registry`: :data:`TARGETS` and :data:`SAMPLERS` by name (factories,
  labels, parameter specs), :func:`run_cost` (a run's gradient-evaluation bound) and
  :func:`run_sampler`, which refuses a run over :data:`MAX_RUN_GRADIENTS`.
"""

from core.mcmc.diagnostics import (
    autocorrelation,
    autocovariance,
    ebfmi,
    ess_bulk,
    ess_mean,
    ess_tail,
    mcse_mean,
    rank_histograms,
    rhat,
)
from core.mcmc.gibbs import (
    NormalGammaPosterior,
    gibbs_bivariate_gaussian,
    gibbs_normal_gamma,
    normal_gamma_posterior,
)
from core.mcmc.hmc import DIVERGENCE_THRESHOLD, hmc, leapfrog_step
from core.mcmc.metropolis import metropolis, mh_acceptance_probability
from core.mcmc.moves import STOP_REASONS, GibbsMoves, LeapfrogMoves, MetropolisMoves, NutsTree
from core.mcmc.nuts import nuts
from core.mcmc.registry import MAX_RUN_GRADIENTS, SAMPLERS, TARGETS, run_cost, run_sampler
from core.mcmc.running import RunningDiagnostics, even_checkpoints, running_diagnostics
from core.mcmc.targets import (
    Target,
    banana,
    beta_binomial_logit,
    correlated_gaussian,
    density_grid,
    from_log_density,
    funnel,
    gaussian,
    gaussian_mixture,
    marginal_density,
)
from core.mcmc.trace import STAT_NAMES, Trace

__all__ = [
    "DIVERGENCE_THRESHOLD",
    "MAX_RUN_GRADIENTS",
    "SAMPLERS",
    "STAT_NAMES",
    "STOP_REASONS",
    "TARGETS",
    "GibbsMoves",
    "LeapfrogMoves",
    "MetropolisMoves",
    "NormalGammaPosterior",
    "NutsTree",
    "RunningDiagnostics",
    "Target",
    "Trace",
    "autocorrelation",
    "autocovariance",
    "banana",
    "beta_binomial_logit",
    "correlated_gaussian",
    "density_grid",
    "ebfmi",
    "ess_bulk",
    "ess_mean",
    "ess_tail",
    "even_checkpoints",
    "from_log_density",
    "funnel",
    "gaussian",
    "gaussian_mixture",
    "gibbs_bivariate_gaussian",
    "gibbs_normal_gamma",
    "hmc",
    "leapfrog_step",
    "marginal_density",
    "mcse_mean",
    "metropolis",
    "mh_acceptance_probability",
    "normal_gamma_posterior",
    "nuts",
    "rank_histograms",
    "rhat",
    "run_cost",
    "run_sampler",
    "running_diagnostics",
]
