"""Freeze the reference libraries' outputs into tests/data/reference_values.json.

Run from the repository root with ArviZ and PyTorch installed (requirements-dev.txt)::

    python -m tests.data.make_reference_values

Besides core's diagnostics and losses, it freezes ArviZ's R-hat and ESS of the MCMC
exercises' variants (``arviz_exercises``) and torch's top-p / top-k warpers, TRL's PPO loss
and the ``F.kl_div`` trap (``torch_sampling``).

The file records the versions of the libraries (and numpy, which draws the inputs) that
made it. The tests compare core with these values without importing either library;
``tests/test_reference_values_live.py`` recomputes them with the installed libraries,
when present, and fails if they moved (then run this script again and review the diff).
"""

from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from tests.reference_inputs import (
    PPO_EPSILON,
    TOP_K_VALUES,
    TOP_P_VALUES,
    cross_entropy_case,
    diagnostic_chain_sets,
    exercise_variants,
    fingerprint,
    kl_div_case,
    pack_mask,
    ppo_case,
    top_k_case,
    top_p_case,
)

OUT = Path(__file__).resolve().parent / "reference_values.json"
KL_REDUCTIONS = ("none", "sum", "mean", "batchmean")


def arviz_values() -> dict[str, dict[str, Any]]:
    """R-hat, ESS (bulk, tail, mean), MCSE of the mean and BFMI of every chain set."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # arviz announces its 1.0 refactor
        import arviz as az
    values = {}
    for name, chains in diagnostic_chain_sets():
        values[name] = {
            "input": fingerprint(chains),
            "rhat": float(az.rhat(chains)),
            "ess_bulk": float(az.ess(chains, method="bulk")),
            "ess_tail": float(az.ess(chains, method="tail")),
            "ess_mean": float(az.ess(chains, method="mean")),
            "mcse_mean": float(np.ravel(az.mcse(chains, method="mean"))[0]),
            "bfmi": [float(v) for v in az.bfmi(chains)],
        }
    return values


def torch_values() -> dict[str, Any]:
    """cross_entropy (three reductions, two dtypes) and kl_div (four reductions, both targets)."""
    import torch
    import torch.nn.functional as F

    cross_entropy = {}
    for dtype in ("float32", "float64"):
        logits, targets = cross_entropy_case(dtype)
        entry: dict[str, Any] = {"input": fingerprint(logits) + fingerprint(targets)}
        for reduction in ("none", "mean", "sum"):
            out = F.cross_entropy(torch.from_numpy(logits), torch.from_numpy(targets), reduction=reduction)
            entry[reduction] = out.double().numpy().tolist()
        cross_entropy[dtype] = entry
    p, q = kl_div_case()
    kl_div: dict[str, Any] = {"input": fingerprint(p) + fingerprint(q)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # reduction='mean' divides by all entries
        for log_target in (False, True):
            target = np.log(p) if log_target else p
            for reduction in KL_REDUCTIONS:
                out = F.kl_div(torch.from_numpy(np.log(q)), torch.from_numpy(target), reduction=reduction,
                               log_target=log_target)
                kl_div[f"{reduction}, log_target={log_target}"] = out.numpy().tolist()
    # The course's silent bug: raw probabilities where log q belongs.
    kl_div["raw probabilities, batchmean"] = F.kl_div(
        torch.from_numpy(q), torch.from_numpy(p), reduction="batchmean"
    ).item()
    return {"cross_entropy": cross_entropy, "kl_div": kl_div}


def arviz_exercise_values() -> dict[str, dict[str, Any]]:
    """ArviZ's rank R-hat and bulk-ESS of the chains of the MCMC exercises' frozen variants."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        import arviz as az
    values: dict[str, dict[str, Any]] = {}
    for exercise_id in ("mcmc.rhat_ess", "mcmc.converged"):
        values[exercise_id] = {}
        for student, params in exercise_variants(exercise_id):
            chains = np.array(params["chains"])
            values[exercise_id][student] = {
                "input": fingerprint(chains),
                "rhat": float(az.rhat(chains, method="rank")),
                "ess_bulk": float(az.ess(chains, method="bulk")),
            }
    return values


def torch_sampling_values() -> dict[str, Any]:
    """HF's top-p and top-k warpers (kept masks, packed), TRL's PPO loss and the kl_div trap."""
    import torch
    import torch.nn.functional as F

    # The torch transcriptions the live tests use, so both compare core with one reference.
    from tests.core.test_sampling import hf_top_k_reference, hf_top_p_reference

    logits = top_p_case()
    top_p: dict[str, Any] = {"input": fingerprint(logits)}
    for p in TOP_P_VALUES:
        top_p[str(p)] = pack_mask(np.isfinite(hf_top_p_reference(logits, p)))
    logits = top_k_case()
    top_k: dict[str, Any] = {"input": fingerprint(logits)}
    for k in TOP_K_VALUES:
        top_k[str(k)] = pack_mask(np.isfinite(hf_top_k_reference(logits, k)))

    # TRL PPOTrainer: pg_losses = -A r, pg_losses2 = -A clamp(r), loss = mean max(...)
    logp_new, logp_old, adv = ppo_case()
    ratio = torch.exp(torch.from_numpy(logp_new) - torch.from_numpy(logp_old))
    a = torch.from_numpy(adv)
    pg_losses = -a * ratio
    pg_losses2 = -a * torch.clamp(ratio, 1.0 - PPO_EPSILON, 1.0 + PPO_EPSILON)
    ppo = {
        "input": fingerprint(logp_new) + fingerprint(logp_old) + fingerprint(adv),
        "epsilon": PPO_EPSILON,
        "pg_loss": torch.max(pg_losses, pg_losses2).mean().item(),
        "clipfrac": torch.gt(pg_losses2, pg_losses).double().mean().item(),
    }

    trap: dict[str, Any] = {}
    for student, params in exercise_variants("sampling.kl_div_trap"):
        target = torch.tensor([params["p"]], dtype=torch.float64)
        model = torch.tensor([params["q"]], dtype=torch.float64)
        trap[student] = {
            "input": params["p"] + params["q"],
            "printed": F.kl_div(model, target, reduction="batchmean").item(),  # the bug, run
            "kl": F.kl_div(model.log(), target, reduction="batchmean").item(),
        }
    return {"top_p_logits": top_p, "top_k_logits": top_k, "ppo_clip_trl": ppo, "sampling.kl_div_trap": trap}


def main() -> int:
    import arviz
    import torch

    data = {
        "about": "Outputs of ArviZ and PyTorch on the inputs of tests/reference_inputs.py, "
        "made by `python -m tests.data.make_reference_values`.",
        "versions": {"arviz": arviz.__version__, "torch": torch.__version__, "numpy": np.__version__},
        "arviz": arviz_values(),
        "torch": torch_values(),
        "arviz_exercises": arviz_exercise_values(),
        "torch_sampling": torch_sampling_values(),
    }
    OUT.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
