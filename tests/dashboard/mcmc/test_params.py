"""The MCMC page's params contract: built from core's registries, aliases, exercise links."""

from __future__ import annotations

import numpy as np
import pytest

from core.mcmc.registry import SAMPLERS, TARGETS
from dashboard.topics.mcmc import params
from dashboard.topics.mcmc.params import PARAMS
from grader import load_exercises


def test_every_registry_name_is_an_alias_of_its_label():
    target, sampler = PARAMS["target"], PARAMS["sampler_b"]
    for name, spec in TARGETS.items():
        assert target.parse(name) == spec.label and target.parse(spec.label.upper()) == spec.label
        assert params.target_name(spec.label) == name
    for name, spec in SAMPLERS.items():
        assert sampler.parse(name) == spec.label and params.sampler_name(spec.label) == name
    assert target.parse("custom") == "Your own log density"
    with pytest.raises(ValueError, match=r"param `target`: 'donut' is not one of"):
        target.parse("donut")


def test_target_and_sampler_bounds_are_the_registrys():
    for name, keys in params.TARGET_KEYS.items():
        for arg, key in keys.items():
            if name == "custom":
                continue
            spec = TARGETS[name].param(arg)
            assert (PARAMS[key].lo, PARAMS[key].hi, PARAMS[key].default) == (spec.lo, spec.hi, spec.default)
    for sampler, keys in params.OPTION_KEYS.items():
        for option in keys:
            spec = SAMPLERS[sampler].option(option)
            for side in (0, 1):
                p = PARAMS[params.option_key(sampler, option, side)]
                assert (p.lo, p.hi, p.default) == (spec.lo, spec.hi, spec.default)


def test_links_are_checked_against_the_bounds():
    assert PARAMS.link({"target": "funnel", "funnel_dim": 4}) == "mcmc?target=Funnel&funnel_dim=4"
    with pytest.raises(ValueError, match=r"page `mcmc`: param `n_chains`: 9 is above the maximum 8"):
        PARAMS.link({"n_chains": 9})
    with pytest.raises(ValueError, match=r"page `mcmc`: unknown keys \['chains'\]"):
        PARAMS.link({"chains": 4})


def test_every_mcmc_exercise_link_is_valid_for_many_variants():
    linked = [e for e in load_exercises().exercises.values()
              if e.dashboard is not None and e.dashboard.page == "mcmc"]
    assert len(linked) >= 5
    for exercise in linked:
        for seed in range(30):
            variant = exercise.generate(np.random.default_rng(seed))
            values = {} if exercise.dashboard.params is None else exercise.dashboard.params(variant)
            assert PARAMS.link(values).startswith("mcmc")
