"""Sampling rows: nucleus filtering against torch's sort+cumsum, importance sampling at 10^6 draws."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
from scipy import special, stats

from benchmarks.timing import Row, side_by_side
from core import sampling as smp

BATCH, VOCAB = 256, 50_257  # GPT-2's vocabulary
TOP_P = 0.9
N_DRAWS = 1_000_000


def rows() -> Iterator[Row]:
    rng = np.random.default_rng(0)
    logits = rng.normal(scale=3.0, size=(BATCH, VOCAB)).astype(np.float32)
    probs = special.softmax(logits, axis=-1).astype(np.float32)
    yield from _top_p_rows(logits, probs)
    yield from _importance_rows(rng)


def _numpy_argsort_top_p(probs: np.ndarray, p: float) -> np.ndarray:
    """The textbook numpy version: argsort, cumsum in sorted order, scatter back."""
    order = np.argsort(-probs, axis=-1, kind="stable")
    sorted_probs = np.take_along_axis(probs, order, axis=-1)
    before = np.cumsum(sorted_probs, axis=-1) - sorted_probs
    keep_sorted = before < p
    keep = np.empty_like(keep_sorted)
    np.put_along_axis(keep, order, keep_sorted, axis=-1)
    out = np.where(keep, probs, 0)
    return out / out.sum(axis=-1, keepdims=True)


def _top_p_rows(logits: np.ndarray, probs: np.ndarray) -> Iterator[Row]:
    case = f"top_p_filter p={TOP_P}, {BATCH}×{VOCAB:,} float32 probs"
    ours, ref = side_by_side(lambda: smp.top_p_filter(probs, TOP_P), lambda: _numpy_argsort_top_p(probs, TOP_P))
    yield Row(case, ours, ref, "numpy argsort+cumsum+scatter")
    try:
        import torch
    except ImportError:
        yield Row(case, None, None, "torch sort+cumsum", note="torch not installed: pip install torch==2.13.0")
        return
    t_probs, t_logits = torch.from_numpy(probs), torch.from_numpy(logits)

    def torch_top_p_probs() -> Any:
        # Hugging Face's TopPLogitsWarper steps on probabilities, then renormalise
        sorted_probs, sorted_idx = torch.sort(t_probs, descending=False, dim=-1)
        remove = sorted_probs.cumsum(dim=-1) <= (1 - TOP_P)
        remove[..., -1:] = False
        remove = remove.scatter(1, sorted_idx, remove)
        out = t_probs.masked_fill(remove, 0.0)
        return out / out.sum(dim=-1, keepdim=True)

    def torch_top_p_logits() -> Any:
        # Hugging Face's TopPLogitsWarper.__call__ verbatim (min_tokens_to_keep=1)
        sorted_logits, sorted_idx = torch.sort(t_logits, descending=False)
        cumulative = sorted_logits.softmax(dim=-1).cumsum(dim=-1)
        remove = cumulative <= (1 - TOP_P)
        remove[..., -1:] = 0
        remove = remove.scatter(1, sorted_idx, remove)
        return t_logits.masked_fill(remove, -float("inf"))

    threads = f"torch on {torch.get_num_threads()} thread(s), numpy on 1"
    ours, ref = side_by_side(lambda: smp.top_p_filter(probs, TOP_P), torch_top_p_probs)
    yield Row(case, ours, ref, "torch sort+cumsum", note=threads)
    ours, ref = side_by_side(lambda: smp.top_p_logits(logits, TOP_P), torch_top_p_logits)
    yield Row(f"top_p_logits p={TOP_P}, {BATCH}×{VOCAB:,} float32 logits", ours, ref,
              "HF TopPLogitsWarper (torch)", note=threads)


def _importance_rows(rng: np.random.Generator) -> Iterator[Row]:
    x = rng.normal(0.5, 1.0, size=N_DRAWS)  # draws from q = N(0.5, 1); target p = N(0, 1)
    log_q = stats.norm(0.5, 1.0).logpdf(x)
    log_p = stats.norm(0.0, 1.0).logpdf(x)
    f = x**2

    def inline_numpy() -> tuple[float, float, float]:
        w = np.exp(log_p - log_q)
        wf = w * f
        return float(wf.mean()), float(wf.sum() / w.sum()), float(w.sum() ** 2 / (w * w).sum())

    ours, ref = side_by_side(lambda: smp.importance_estimate(f, log_p, log_q), inline_numpy)
    yield Row("importance_estimate, 10^6 draws", ours, ref, "inline numpy",
              note="ours also validates and returns both variances")

    def draw_and_estimate(fn: Any) -> Any:
        return fn(lambda v: v**2, stats.norm(0.0, 1.0).logpdf, stats.norm(0.5, 1.0),
                  n=N_DRAWS, rng=np.random.default_rng(1))

    def scipy_draw_and_mean() -> float:
        draws = stats.norm(0.5, 1.0).rvs(size=N_DRAWS, random_state=np.random.default_rng(1))
        w = np.exp(stats.norm(0.0, 1.0).logpdf(draws) - stats.norm(0.5, 1.0).logpdf(draws))
        return float(np.mean(w * draws**2))

    ours, ref = side_by_side(lambda: draw_and_estimate(smp.importance_sample), scipy_draw_and_mean)
    yield Row("importance_sample (draw + estimate), 10^6 draws", ours, ref, "scipy rvs+logpdf, inline")
