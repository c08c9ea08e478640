"""The token player's pure builders against numpy and scipy (no model, no streamlit).

References: softmax of logits / T with scipy, top-k by sorting, the nucleus as Hugging
Face's TopPLogitsWarper computes it (sort ascending, drop tokens whose cumulative mass is
<= 1 - p, keep at least one), inverse-CDF draws with numpy's searchsorted, entropies with
scipy.stats.entropy.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from scipy import special, stats

from dashboard.common.animation import KIND_KEYS
from dashboard.topics.language_model.motion import token_frames, token_step

V = 300


def logits_row(seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).normal(0.0, 2.5, V).astype(np.float32)


def hf_top_p_keep(logits: np.ndarray, top_p: float) -> np.ndarray:
    """Hugging Face's TopPLogitsWarper, written out: which tokens it keeps."""
    order = np.argsort(logits, kind="stable")  # ascending
    cumulative = np.cumsum(special.softmax(logits[order].astype(np.float64)))
    remove = cumulative <= 1 - top_p
    remove[-1] = False  # min_tokens_to_keep = 1
    keep = np.ones(len(logits), dtype=bool)
    keep[order[remove]] = False
    return keep


def reference(logits: np.ndarray, temperature: float, top_k: int | None, top_p: float | None):
    z = logits.astype(np.float64) / temperature
    keep = np.ones(len(z), dtype=bool)
    if top_k is not None:
        keep &= z >= np.sort(z)[::-1][top_k - 1]
    if top_p is not None:
        keep &= hf_top_p_keep(np.where(keep, z, -np.inf), top_p)
    final = np.where(keep, special.softmax(z), 0.0)
    return special.softmax(z), final / final.sum(), keep


@pytest.mark.parametrize(("temperature", "top_k", "top_p"), [(1.0, None, None), (0.7, 20, None), (1.3, None, 0.8),
                                                              (0.9, 50, 0.6)])
@pytest.mark.parametrize("u", [0.0, 0.37, 0.999])
def test_a_step_is_the_tempered_filtered_softmax_and_the_inverse_cdf_draw(temperature, top_k, top_p, u):
    z = logits_row(1)
    tempered, final, keep = reference(z, temperature, top_k, top_p)
    step = token_step(z, temperature=temperature, top_k=top_k, top_p=top_p, u=u, n=8)
    # The drawn token: the first whose cumulative (token-id order) exceeds u.
    expected = int(np.searchsorted(np.cumsum(final), u, side="right"))
    assert step.token == expected and keep[expected]
    top8 = np.argsort(-z.astype(np.float64), kind="stable")[:8]
    assert list(step.shown[:8]) == list(top8)
    assert len(step.shown) == 8 + (expected not in top8) and step.shown[step.drawn_index] == expected
    np.testing.assert_allclose(step.p_model, special.softmax(z.astype(np.float64))[step.shown], rtol=1e-5, atol=1e-9)
    np.testing.assert_allclose(step.p_tempered, tempered[step.shown], rtol=1e-5, atol=1e-9)
    np.testing.assert_allclose(step.p_final, final[step.shown], rtol=1e-5, atol=1e-9)
    assert list(step.kept) == list(keep[step.shown]) and step.n_kept == keep.sum()
    assert step.kept_mass == pytest.approx(tempered[keep].sum(), rel=1e-5)
    # u lies in the drawn token's interval of the cumulative sums.
    lo = np.cumsum(final)[expected] - final[expected]
    assert step.cdf_low[step.drawn_index] == pytest.approx(lo, abs=1e-6)
    assert lo - 1e-6 <= u < lo + final[expected] + 1e-6
    assert step.p_drawn == pytest.approx(final[expected], rel=1e-5)
    assert step.entropy_model == pytest.approx(stats.entropy(special.softmax(z.astype(np.float64))), rel=1e-5)
    assert step.entropy_final == pytest.approx(stats.entropy(final), rel=1e-5)


def test_a_draw_outside_the_shown_tokens_is_added_to_them():
    z = np.zeros(10, dtype=np.float32)
    z[:3] = 5.0  # tokens 0..2 likeliest; u = 0.9999 falls in the last token's share
    step = token_step(z, temperature=1.0, top_k=None, top_p=None, u=0.9999, n=3)
    assert step.token == 9 and list(step.shown) == [0, 1, 2, 9] and step.drawn_index == 3


def test_bad_step_arguments_are_named():
    z = logits_row()
    with pytest.raises(ValueError, match="`n` must be an int of at least 1"):
        token_step(z, temperature=1.0, top_k=None, top_p=None, u=0.5, n=0)
    with pytest.raises(ValueError, match="`logits` must be one row"):
        token_step(np.stack([z, z]), temperature=1.0, top_k=None, top_p=None, u=0.5, n=3)
    with pytest.raises(ValueError, match=r"`u` must lie in \[0, 1\)"):
        token_step(z, temperature=1.0, top_k=None, top_p=None, u=1.0, n=3)
    with pytest.raises(ValueError, match="`temperature` must be > 0"):
        token_step(z, temperature=0.0, top_k=None, top_p=None, u=0.5, n=3)
    with pytest.raises(ValueError, match="`steps` must hold at least one"):
        token_frames("a", [], str)


def test_frames_hold_one_step_per_token_and_a_running_perplexity():
    rng = np.random.default_rng(5)
    rows = [logits_row(s) for s in range(6)]
    us = rng.random(6)
    steps = [token_step(z, temperature=0.8, top_k=30, top_p=None, u=float(u), n=5) for z, u in zip(rows, us, strict=True)]
    frames = token_frames("Once", steps, lambda i: f"t{i}", unit="bits")
    assert set(KIND_KEYS["tokens"]) <= set(frames)
    assert frames["tokens"] == [f"t{s.token}" for s in steps]
    assert len(frames["labels"]) == 7 and frames["prompt"] == "Once" and frames["unit"] == "bits"
    p_model = np.array([special.softmax(z.astype(np.float64))[s.token] for z, s in zip(rows, steps, strict=True)])
    perplexity = np.exp(np.cumsum(-np.log(p_model)) / np.arange(1, 7))
    np.testing.assert_allclose(frames["perplexity"], perplexity, rtol=1e-3)
    _, final, _ = reference(rows[2], 0.8, 30, None)
    assert frames["surprisal"][2] == pytest.approx(-math.log2(final[steps[2].token]), abs=1e-3)
    assert frames["entropy"][2] == pytest.approx(stats.entropy(final, base=2), abs=1e-3)
    np.testing.assert_allclose(frames["u"], us, atol=1e-6)
    for k, s in enumerate(steps):
        assert frames["shown"][k][frames["drawn"][k]] == f"t{s.token}"
    assert len(json.dumps(frames)) < 10_000  # compact: a few hundred numbers


def test_bars_cut_each_step_to_its_likeliest_and_keep_the_draw():
    z = np.zeros(10, dtype=np.float32)
    z[:3] = 5.0
    outside = token_step(z, temperature=1.0, top_k=None, top_p=None, u=0.9999, n=5)  # draws token 9
    inside = token_step(z, temperature=1.0, top_k=None, top_p=None, u=0.0, n=5)  # draws token 0
    frames = token_frames("x", [outside, inside], str, bars=2)
    assert frames["shown"] == [["0", "1", "9"], ["0", "1"]] and frames["drawn"] == [2, 0]
    p = special.softmax(z.astype(np.float64))
    np.testing.assert_allclose(frames["p_final"][0], p[[0, 1, 9]], atol=1e-4)
    np.testing.assert_allclose(frames["cdf_low"][0], np.cumsum(p)[[0, 1, 9]] - p[[0, 1, 9]], atol=1e-6)
    assert token_frames("x", [outside], str)["shown"] == [["0", "1", "2", "3", "4", "9"]]
    with pytest.raises(ValueError, match="`bars` must be an int of at least 1"):
        token_frames("x", [outside], str, bars=0)
