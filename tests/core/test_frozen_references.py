"""core against ArviZ's and PyTorch's outputs, frozen in tests/data/reference_values.json.

Neither library is imported: the values were made by `python -m tests.data.make_reference_values`
with the versions recorded in the file, on the inputs of tests/reference_inputs.py.
tests/test_reference_values_live.py compares the file with the installed libraries.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from scipy import special

from core import information as info
from core import sampling as smp
from core.mcmc import diagnostics as dg
from tests.reference_inputs import (
    PPO_EPSILON,
    TOP_K_VALUES,
    TOP_P_VALUES,
    cross_entropy_case,
    diagnostic_chain_sets,
    fingerprint,
    kl_div_case,
    ppo_case,
    top_k_case,
    top_p_case,
    unpack_mask,
)

FROZEN: dict[str, Any] = json.loads(
    (Path(__file__).resolve().parents[1] / "data" / "reference_values.json").read_text(encoding="utf-8")
)
RTOL = 1e-8  # as in the live comparison, tests/core/mcmc/test_diagnostics.py
CASES = diagnostic_chain_sets()


def same_input(frozen: list[float], array: np.ndarray | list[float]) -> None:
    """Fail with a clear message if the inputs are not those the values were frozen on."""
    current = fingerprint(array) if isinstance(array, np.ndarray) else array
    np.testing.assert_allclose(
        current, frozen, rtol=1e-12,
        err_msg="the input arrays differ from those frozen (numpy's random streams changed?): "
        "run `python -m tests.data.make_reference_values` with ArviZ and torch installed",
    )


def test_the_file_records_the_versions_that_made_it() -> None:
    assert set(FROZEN["versions"]) == {"arviz", "torch", "numpy"}
    assert all(isinstance(v, str) and v[0].isdigit() for v in FROZEN["versions"].values())
    assert set(FROZEN["arviz"]) == {name for name, _ in CASES}


@pytest.mark.parametrize(("name", "chains"), CASES, ids=[name for name, _ in CASES])
def test_diagnostics_match_frozen_arviz(name: str, chains: np.ndarray) -> None:
    frozen = FROZEN["arviz"][name]
    same_input(frozen["input"], chains)
    assert dg.rhat(chains) == pytest.approx(frozen["rhat"], rel=RTOL)
    assert dg.ess_bulk(chains) == pytest.approx(frozen["ess_bulk"], rel=RTOL)
    assert dg.ess_tail(chains) == pytest.approx(frozen["ess_tail"], rel=RTOL)
    assert dg.ess_mean(chains) == pytest.approx(frozen["ess_mean"], rel=RTOL)
    assert dg.mcse_mean(chains) == pytest.approx(frozen["mcse_mean"], rel=RTOL)
    np.testing.assert_allclose(dg.ebfmi(chains), frozen["bfmi"], rtol=RTOL)


@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_cross_entropy_matches_frozen_torch(reduction: str, dtype: str) -> None:
    logits, targets = cross_entropy_case(dtype)
    frozen = FROZEN["torch"]["cross_entropy"][dtype]
    same_input(frozen["input"], fingerprint(logits) + fingerprint(targets))
    rtol = 1e-5 if dtype == "float32" else 1e-12  # torch computes float32 in float32
    ours = info.cross_entropy_from_logits(logits, targets, reduction=reduction)
    np.testing.assert_allclose(ours, frozen[reduction], rtol=rtol, atol=rtol)


@pytest.mark.parametrize("reduction", ["none", "sum", "mean", "batchmean"])
@pytest.mark.parametrize("log_target", [False, True])
def test_kl_div_matches_frozen_torch(reduction: str, log_target: bool) -> None:
    p, q = kl_div_case()
    frozen = FROZEN["torch"]["kl_div"]
    same_input(frozen["input"], fingerprint(p) + fingerprint(q))
    target = np.log(p) if log_target else p
    ours = smp.kl_div(np.log(q), target, reduction=reduction, log_target=log_target)
    np.testing.assert_allclose(ours, frozen[f"{reduction}, log_target={log_target}"], rtol=1e-12)


def test_the_raw_probabilities_trap_matches_frozen_torch() -> None:
    # The course's silent bug: torch returns a number for raw probabilities; core, with
    # its check off, returns the same number.
    p, q = kl_div_case()
    wrong = smp.kl_div(q, p, reduction="batchmean", check=False)
    assert wrong == pytest.approx(FROZEN["torch"]["kl_div"]["raw probabilities, batchmean"], rel=1e-12)


# --------------------- Hugging Face's warpers and TRL's PPO loss, transcribed to torch (test_sampling.py)


@pytest.mark.parametrize("top_p", TOP_P_VALUES)
def test_top_p_matches_frozen_hf_warper(top_p: float) -> None:
    logits = top_p_case()
    frozen = FROZEN["torch_sampling"]["top_p_logits"]
    same_input(frozen["input"], logits)
    kept = unpack_mask(frozen[str(top_p)], logits.shape[1])
    # the warper keeps a logit unchanged or sets it to -inf: its mask says all
    np.testing.assert_array_equal(smp.top_p_logits(logits, top_p), np.where(kept, logits, -np.inf))
    np.testing.assert_array_equal(smp.top_p_filter(special.softmax(logits, axis=-1), top_p) > 0, kept)


@pytest.mark.parametrize("top_k", TOP_K_VALUES)
def test_top_k_matches_frozen_hf_warper(top_k: int) -> None:
    logits = top_k_case()
    frozen = FROZEN["torch_sampling"]["top_k_logits"]
    same_input(frozen["input"], logits)
    kept = unpack_mask(frozen[str(top_k)], logits.shape[1])
    np.testing.assert_array_equal(smp.top_k_logits(logits, top_k), np.where(kept, logits, -np.inf))


def test_the_frozen_top_k_masks_hold_the_tie() -> None:
    # Row 0 ties five logits at 10 across the k = 3 boundary: the warper keeps all five.
    kept = unpack_mask(FROZEN["torch_sampling"]["top_k_logits"]["3"], 100)
    assert kept[0, :5].all() and kept[0].sum() == 5
    assert (kept[1:].sum(axis=1) == 3).all()


def test_ppo_matches_frozen_trl_formula() -> None:
    logp_new, logp_old, adv = ppo_case()
    frozen = FROZEN["torch_sampling"]["ppo_clip_trl"]
    same_input(frozen["input"], fingerprint(logp_new) + fingerprint(logp_old) + fingerprint(adv))
    assert frozen["epsilon"] == PPO_EPSILON
    res = smp.ppo_clip_objective(logp_new, logp_old, adv, epsilon=PPO_EPSILON)
    assert res.mean_objective == pytest.approx(-frozen["pg_loss"], rel=1e-12)  # TRL minimises the loss
    assert res.clip_fraction == pytest.approx(frozen["clipfrac"], rel=1e-12)
