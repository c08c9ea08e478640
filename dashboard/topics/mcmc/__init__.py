"""The MCMC page: samplers from core.mcmc's registries run on a target, alone or side by side."""
