"""core.lm against transformers loading the same GGUF file: logits, token ids, weights."""

from __future__ import annotations

import numpy as np
import pytest

from tests.core.lm.conftest import PROMPTS

pytestmark = [pytest.mark.xdist_group("lm"), pytest.mark.slow]  # slow: transformers' load


def _hf_logits(model, ids: np.ndarray) -> np.ndarray:
    import torch

    with torch.no_grad():
        return model(torch.as_tensor(ids[None, :])).logits[0].numpy()


@pytest.mark.parametrize("prompt", PROMPTS)
def test_logits_equal_transformers(lm, hf, prompt):
    ids = lm.encode(prompt)
    ours, theirs = lm.logits(ids), _hf_logits(hf[0], ids)
    assert ours.shape == theirs.shape == (len(ids), lm.vocab_size)
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-3)


@pytest.mark.parametrize(
    "text",
    [*PROMPTS, "", " ", "  two  spaces\n\n\ttab", "x2 2nd 1000000 3.14159", "<|endoftext|>end", "I'm we'll they've"],
)
def test_token_ids_equal_transformers(lm, hf, text):
    theirs = hf[1](text).input_ids  # with its default special tokens: no BOS is added
    assert lm.encode(text).tolist() == theirs
    assert lm.decode(lm.encode(text)) == text


def test_no_bos_and_special_ids_agree(lm, hf):
    tokenizer = hf[1]
    assert tokenizer.add_bos_token is False
    assert lm.eos_id == tokenizer.eos_token_id == lm.encode("<|im_end|>")[0]


def test_weights_match_transformers_after_undoing_the_rope_permutation(lm, hf):
    """llama.cpp interleaves each head's rotary halves; transformers un-permutes them.

    Our query/key rows, with features (2i, 2i+1) of a head sent back to (i, i + d/2),
    are exactly transformers' rows; values and the tied embedding need no reordering.
    """
    c, block, attn = lm.config, lm.params.layers[3], hf[0].model.layers[3].self_attn
    q_end, k_end = c.n_heads * c.head_dim, (c.n_heads + c.n_kv_heads) * c.head_dim
    rows = block.qkv.T  # (out, in), as the file stores them

    def to_hf(w, heads):
        return w.reshape(heads, c.head_dim // 2, 2, c.d_model).transpose(0, 2, 1, 3).reshape(-1, c.d_model)

    np.testing.assert_allclose(to_hf(rows[:q_end], c.n_heads), attn.q_proj.weight.detach().numpy(), rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(to_hf(rows[q_end:k_end], c.n_kv_heads), attn.k_proj.weight.detach().numpy(), rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(rows[k_end:], attn.v_proj.weight.detach().numpy(), rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(lm.params.embedding, hf[0].model.embed_tokens.weight.detach().numpy(), rtol=1e-6, atol=1e-7)
    assert not np.allclose(rows[:q_end], attn.q_proj.weight.detach().numpy(), atol=1e-3)  # the permutation is real


def test_cached_generation_equals_transformers_greedy(lm, hf):
    prompt = lm.encode(PROMPTS[0])
    session = lm.session(prompt)
    for _ in range(6):
        session.append([int(session.next_logits.argmax())])
    import torch

    with torch.no_grad():
        theirs = hf[0].generate(torch.as_tensor(prompt[None, :]), max_new_tokens=6, do_sample=False)[0]
    assert session.ids.tolist() == theirs.tolist()
