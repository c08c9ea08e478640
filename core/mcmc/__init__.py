"""Markov chain Monte Carlo: targets with known truths, samplers, and convergence diagnostics.

- :mod:`core.mcmc.targets`: log densities with gradients (Gaussians, banana, mixture,
  funnel, Beta-Binomial in logit space, user callables).
- Samplers, each returning a :class:`~core.mcmc.trace.Trace`: :func:`metropolis`,
  :func:`hmc`, :func:`nuts`, :func:`gibbs_bivariate_gaussian`, :func:`gibbs_normal_gamma`.
- :mod:`core.mcmc.diagnostics`: split R-hat, bulk/tail ESS, MCSE, autocorrelation,
  E-BFMI, the same numbers as ArviZ.
"""

from core.mcmc.diagnostics import (
    autocorrelation,
    autocovariance,
    ebfmi,
    ess_bulk,
    ess_mean,
    ess_tail,
    mcse_mean,
    rhat,
)
from core.mcmc.gibbs import (
    NormalGammaPosterior,
    gibbs_bivariate_gaussian,
    gibbs_normal_gamma,
    normal_gamma_posterior,
)
from core.mcmc.hmc import DIVERGENCE_THRESHOLD, hmc
from core.mcmc.metropolis import metropolis
from core.mcmc.nuts import nuts
from core.mcmc.targets import (
    Target,
    banana,
    beta_binomial_logit,
    correlated_gaussian,
    from_log_density,
    funnel,
    gaussian,
    gaussian_mixture,
)
from core.mcmc.trace import STAT_NAMES, Trace

__all__ = [
    "DIVERGENCE_THRESHOLD",
    "STAT_NAMES",
    "NormalGammaPosterior",
    "Target",
    "Trace",
    "autocorrelation",
    "autocovariance",
    "banana",
    "beta_binomial_logit",
    "correlated_gaussian",
    "ebfmi",
    "ess_bulk",
    "ess_mean",
    "ess_tail",
    "from_log_density",
    "funnel",
    "gaussian",
    "gaussian_mixture",
    "gibbs_bivariate_gaussian",
    "gibbs_normal_gamma",
    "hmc",
    "mcse_mean",
    "metropolis",
    "normal_gamma_posterior",
    "nuts",
    "rhat",
]
