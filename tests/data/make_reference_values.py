"""Freeze the reference libraries' outputs into tests/data/reference_values.json.

Run from the repository root with ArviZ and PyTorch installed (requirements-dev.txt)::

    python -m tests.data.make_reference_values

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
    cross_entropy_case,
    diagnostic_chain_sets,
    fingerprint,
    kl_div_case,
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


def main() -> int:
    import arviz
    import torch

    data = {
        "about": "Outputs of ArviZ and PyTorch on the inputs of tests/reference_inputs.py, "
        "made by `python -m tests.data.make_reference_values`.",
        "versions": {"arviz": arviz.__version__, "torch": torch.__version__, "numpy": np.__version__},
        "arviz": arviz_values(),
        "torch": torch_values(),
    }
    OUT.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
