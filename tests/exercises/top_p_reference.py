"""Hugging Face's ``TopPLogitsWarper`` on fixed cases: the reference for top-p ties.

``data/top_p_transformers.json`` holds its kept tokens for every case below, with the
``transformers`` and ``torch`` versions that computed them; the frozen test reads it
without either library, the live test recomputes it. Regenerate with
``python -m tests.exercises.top_p_reference --write``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

FROZEN = Path(__file__).parent / "data" / "top_p_transformers.json"

#: Hand-made ties (equal probabilities straddling the cut-off) and tie-free cases.
HAND_MADE: list[tuple[list[float], float]] = [
    ([0.25, 0.25, 0.25, 0.25], 0.5),
    ([0.4, 0.2, 0.2, 0.2], 0.5),
    ([0.3, 0.3, 0.2, 0.2], 0.55),
    ([0.29, 0.21, 0.18, 0.16, 0.16], 0.8),
    ([0.1, 0.5, 0.15, 0.25], 0.7),
    ([0.16, 0.29, 0.16, 0.18, 0.21], 0.8),
]


def cases() -> list[tuple[list[float], float]]:
    """The hand-made cases and 60 drawn as ``sampling.top_p_filter`` draws them (ties kept).

    Only cases with p at least 0.005 from every cumulative sum of the sorted
    probabilities, so float rounding never decides the cut-off: only the tie rule does.
    """
    rng = np.random.default_rng(20261201)
    drawn: list[tuple[list[float], float]] = []
    while len(drawn) < 60:
        cents = np.sort(rng.multinomial(90, np.full(5, 0.2)) + 2)[::-1]
        cents = rng.permutation(cents) if len(drawn) % 2 else cents  # listed order varies too
        p = float(rng.choice([0.5, 0.6, 0.7, 0.8, 0.9]))
        if np.abs(np.cumsum(np.sort(cents)[::-1]) / 100 - p).min() >= 0.005:
            drawn.append(((cents / 100).round(2).tolist(), p))
    return HAND_MADE + drawn


def tied_at_cut(probs: list[float], kept: list[int]) -> bool:
    """True when a kept token and a dropped one have the same probability."""
    dropped = [i for i in range(len(probs)) if i not in kept]
    return bool({probs[i] for i in kept} & {probs[i] for i in dropped})


def hf_kept(probs: list[float], p: float) -> list[int]:
    """Indices ``TopPLogitsWarper(p)`` keeps for these probabilities (as float64 log-probs)."""
    import torch
    from transformers.generation.logits_process import TopPLogitsWarper

    scores = torch.tensor(np.log(probs)[None, :], dtype=torch.float64)
    out = TopPLogitsWarper(top_p=p)(None, scores)  # type: ignore[arg-type]
    return [int(i) for i in torch.nonzero(torch.isfinite(out[0])).flatten()]


def reference() -> dict[str, Any]:
    import torch
    import transformers

    return {
        "source": "transformers.generation.logits_process.TopPLogitsWarper, float64 log-probabilities",
        "transformers": transformers.__version__,
        "torch": torch.__version__,
        "cases": [{"probs": probs, "p": p, "kept": hf_kept(probs, p)} for probs, p in cases()],
    }


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        sys.exit("usage: python -m tests.exercises.top_p_reference --write")
    FROZEN.parent.mkdir(exist_ok=True)
    FROZEN.write_text(json.dumps(reference(), indent=1) + "\n", encoding="utf-8")
