"""The numpy forward pass on a tiny random Llama, against transformers' LlamaForCausalLM
with the same weights, and a guard that every operation stays float32."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pytest

from core.lm.config import LlamaConfig
from core.lm.forward import KVCache, RopeTables, apply_rope, forward, rms_norm
from core.lm.params import LayerParams, LlamaParams

TINY = LlamaConfig(
    n_layers=2, d_model=32, n_heads=4, n_kv_heads=2, head_dim=8, d_ffn=48,
    vocab_size=50, context_length=64, rope_base=10_000.0, norm_eps=np.float32(1e-5),
)


def _interleave(w: np.ndarray, heads: int) -> np.ndarray:
    """Hugging Face rows -> llama.cpp's: each head's halves (i, i + d/2) become (2i, 2i + 1)."""
    return w.reshape(heads, 2, -1, w.shape[1]).transpose(0, 2, 1, 3).reshape(w.shape)


def _tiny_pair(seed: int = 0) -> tuple[Any, LlamaParams]:
    """A random transformers Llama and the same weights as LlamaParams."""
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    c = TINY
    config = transformers.LlamaConfig(
        vocab_size=c.vocab_size, hidden_size=c.d_model, intermediate_size=c.d_ffn,
        num_hidden_layers=c.n_layers, num_attention_heads=c.n_heads, num_key_value_heads=c.n_kv_heads,
        max_position_embeddings=c.context_length, rms_norm_eps=float(c.norm_eps),
        rope_parameters={"rope_type": "default", "rope_theta": c.rope_base}, tie_word_embeddings=False,
    )
    torch.manual_seed(seed)
    model = transformers.LlamaForCausalLM(config).eval()
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("norm.weight"):  # not all ones, so a missing gain shows
                p.copy_(1 + 0.3 * torch.randn_like(p))
    w = {k: v.detach().numpy().astype(np.float32) for k, v in model.state_dict().items()}
    layers = []
    for i in range(c.n_layers):
        b = f"model.layers.{i}."
        qkv = np.concatenate([
            _interleave(w[b + "self_attn.q_proj.weight"], c.n_heads),
            _interleave(w[b + "self_attn.k_proj.weight"], c.n_kv_heads),
            w[b + "self_attn.v_proj.weight"],
        ])
        gate_up = np.concatenate([w[b + "mlp.gate_proj.weight"], w[b + "mlp.up_proj.weight"]])
        layers.append(LayerParams(
            attn_norm=w[b + "input_layernorm.weight"], qkv=qkv.T, out=w[b + "self_attn.o_proj.weight"].T,
            ffn_norm=w[b + "post_attention_layernorm.weight"], gate_up=gate_up.T,
            down=w[b + "mlp.down_proj.weight"].T,
        ))
    params = LlamaParams(
        config=c, embedding=w["model.embed_tokens.weight"], layers=tuple(layers),
        output_norm=w["model.norm.weight"], output=w["lm_head.weight"],
    )
    return model, params


def _ours(params: LlamaParams, ids: np.ndarray) -> np.ndarray:
    rope = RopeTables.build(TINY.head_dim, TINY.rope_base, TINY.context_length)
    return forward(params, ids, KVCache(TINY), rope) @ params.output.T


def test_tiny_llama_equals_transformers():
    import torch

    model, params = _tiny_pair()
    ids = np.array([3, 17, 17, 0, 42, 8, 49, 5, 21])
    with torch.no_grad():
        theirs = model(torch.as_tensor(ids[None, :])).logits[0].numpy()
    ours = _ours(params, ids)
    assert ours.dtype == np.float32
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=2e-5)


def test_tiny_llama_cached_steps_equal_transformers_full_pass():
    import torch

    model, params = _tiny_pair(seed=1)
    ids = np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
    with torch.no_grad():
        theirs = model(torch.as_tensor(ids[None, :])).logits[0].numpy()
    rope = RopeTables.build(TINY.head_dim, TINY.rope_base, TINY.context_length)
    cache = KVCache(TINY, capacity=2)  # grows twice on the way
    rows = [forward(params, ids[:4], cache, rope)]
    rows += [forward(params, ids[i : i + 1], cache, rope) for i in range(4, len(ids))]
    ours = np.concatenate(rows) @ params.output.T
    assert cache.length == len(ids) and cache.capacity >= len(ids)
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=2e-5)


def test_rope_equals_transformers_rotary_embedding():
    torch = pytest.importorskip("torch")
    llama = pytest.importorskip("transformers.models.llama.modeling_llama")
    rng = np.random.default_rng(0)
    heads, head_dim, base, positions = 3, 16, 100_000.0, np.array([0, 1, 7, 500, 4000])
    x_hf = rng.standard_normal((len(positions), heads, head_dim)).astype(np.float32)
    half = head_dim // 2
    inv_freq = 1.0 / base ** (torch.arange(0, head_dim, 2, dtype=torch.float64) / head_dim)
    angles = torch.as_tensor(positions, dtype=torch.float64)[:, None] * inv_freq[None, :]
    emb = torch.cat([angles, angles], dim=-1)
    q = torch.as_tensor(x_hf).transpose(0, 1)[None]  # (1, heads, T, d), transformers' layout
    theirs, _ = llama.apply_rotary_pos_emb(q, q, emb.cos()[None], emb.sin()[None])
    theirs = theirs[0].transpose(0, 1).numpy()
    # ours works on llama.cpp's interleaved layout: feature (i, i + d/2) -> (2i, 2i + 1)
    x_ours = x_hf.reshape(len(positions), heads, 2, half).transpose(0, 1, 3, 2).reshape(x_hf.shape)
    tables = RopeTables.build(head_dim, base, 4001)
    ours = apply_rope(x_ours, tables.cos[positions], tables.sin[positions])
    back = ours.reshape(len(positions), heads, half, 2).transpose(0, 1, 3, 2).reshape(x_hf.shape)
    np.testing.assert_allclose(back, theirs, rtol=0, atol=1e-5)


def test_rms_norm_equals_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(1)
    x = rng.standard_normal((5, 32)).astype(np.float32) * 3
    w = rng.standard_normal(32).astype(np.float32)
    theirs = torch.nn.functional.rms_norm(torch.as_tensor(x), (32,), torch.as_tensor(w), eps=1e-5).numpy()
    np.testing.assert_allclose(rms_norm(x, w, np.float32(1e-5)), theirs, rtol=1e-6, atol=1e-6)


def test_context_length_is_enforced():
    params = _random_params()
    rope = RopeTables.build(TINY.head_dim, TINY.rope_base, TINY.context_length)
    cache = KVCache(TINY)
    forward(params, np.zeros(60, dtype=np.intp), cache, rope)
    with pytest.raises(ValueError, match="context is 64"):
        forward(params, np.zeros(5, dtype=np.intp), cache, rope)
    assert cache.length == 60  # a refused feed leaves the cache as it was


class Float32Only(np.ndarray):
    """An ndarray whose every ufunc (matmul, exp, expit, reductions ...) must be float32.

    Results are Float32Only again, so the check follows the activations through the
    whole forward pass: one float64 scalar or array anywhere is an AssertionError.
    """

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        outs = kwargs.pop("out", ())
        for x in (*inputs, *outs):
            kind = np.asarray(x).dtype if isinstance(x, np.ndarray | np.generic) else None
            assert kind is None or kind.kind != "f" or kind == np.float32, f"{ufunc.__name__} got {kind}"
        plain = [x.view(np.ndarray) if isinstance(x, Float32Only) else x for x in inputs]
        if outs:
            kwargs["out"] = tuple(o.view(np.ndarray) if isinstance(o, Float32Only) else o for o in outs)
        result = getattr(ufunc, method)(*plain, **kwargs)
        if isinstance(result, np.ndarray) and result.dtype.kind == "f":
            assert result.dtype == np.float32, f"{ufunc.__name__} returned {result.dtype}"
            return result.view(Float32Only)
        return result


def _guarded(params: LlamaParams) -> LlamaParams:
    def g(a: np.ndarray) -> np.ndarray:
        return a.view(Float32Only)

    layers = tuple(LayerParams(*(g(getattr(p, f)) for f in LayerParams.__dataclass_fields__)) for p in params.layers)
    return replace(params, embedding=g(params.embedding), layers=layers,
                   output_norm=g(params.output_norm), output=g(params.output))


def _random_params(seed: int = 0) -> LlamaParams:
    rng = np.random.default_rng(seed)
    c = TINY

    def r(*shape: int) -> np.ndarray:
        return (rng.standard_normal(shape) * 0.2).astype(np.float32)

    qkv_width = (c.n_heads + 2 * c.n_kv_heads) * c.head_dim
    layers = tuple(
        LayerParams(r(c.d_model), r(c.d_model, qkv_width), r(c.d_model, c.d_model), r(c.d_model),
                    r(c.d_model, 2 * c.d_ffn), r(c.d_ffn, c.d_model))
        for _ in range(c.n_layers)
    )
    return LlamaParams(TINY, r(c.vocab_size, c.d_model), layers, r(c.d_model), r(c.vocab_size, c.d_model))


def test_the_float32_guard_catches_a_float64_scalar():
    a = np.ones(3, dtype=np.float32).view(Float32Only)
    assert (a * 2.0).dtype == np.float32  # a Python float is weak under numpy 2: fine
    with pytest.raises(AssertionError, match="float64"):
        _ = a * np.float64(2.0)


def test_every_operation_of_the_forward_pass_is_float32():
    params = _guarded(_random_params())
    rope = RopeTables.build(TINY.head_dim, TINY.rope_base, TINY.context_length)
    cache = KVCache(TINY)
    hidden = forward(params, np.array([1, 2, 3]), cache, rope)  # a prompt (masked attention)
    hidden = forward(params, np.array([4]), cache, rope)  # one cached step
    assert isinstance(hidden, Float32Only) and (hidden @ params.output.T).dtype == np.float32
    assert cache.keys.dtype == cache.values.dtype == np.float32
