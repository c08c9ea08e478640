"""The Llama forward pass in numpy, float32 throughout, with a key/value cache.

One block: ``x += Attention(RMSNorm(x))``, then ``x += SwiGLU(RMSNorm(x))``; attention is
causal, grouped-query (query head ``h`` reads key/value head ``h // (n_heads //
n_kv_heads)``, as Hugging Face's ``repeat_kv`` and ggml's broadcast do) with rotary
position embeddings on queries and keys. The cache holds every block's rotated keys and
values, so feeding tokens one at a time costs one row per block instead of the whole
prefix; :func:`forward` is the same code for a whole prompt and for one new token.

Every array stays float32: under numpy 2 a float64 scalar (``np.float64(eps)``, a
``np.sqrt`` of a Python int ...) promotes the whole activation to float64 and makes the
matmuls about ten times slower, so constants are made float32 where they are created.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.special import expit

from core.lm.config import LlamaConfig
from core.lm.params import LayerParams, LlamaParams

__all__ = ["KVCache", "RopeTables", "apply_rope", "attention", "forward", "rms_norm", "swiglu"]

F32 = NDArray[np.float32]


def rms_norm(x: F32, weight: F32, eps: np.float32) -> F32:
    """RMSNorm over the last axis: ``x / sqrt(mean(x**2) + eps) * weight``.

    Examples
    --------
    >>> x = np.array([[3.0, 4.0]], dtype=np.float32)
    >>> y = rms_norm(x, np.ones(2, np.float32), np.float32(0.0))  # rms of (3, 4) is sqrt(12.5)
    >>> y.round(4), y.dtype
    (array([[0.8485, 1.1314]], dtype=float32), dtype('float32'))
    """
    inv = 1 / np.sqrt(np.mean(np.square(x), axis=-1, keepdims=True) + eps)
    return x * inv * weight


@dataclass(frozen=True)
class RopeTables:
    """Cosines and sines of the rotary angles ``p * base ** (-2i / head_dim)``.

    Attributes
    ----------
    cos, sin : ndarray, shape (n_positions, head_dim // 2), float32
        Angles computed in float64, then rounded once.
    """

    cos: F32
    sin: F32

    @classmethod
    def build(cls, head_dim: int, base: float, n_positions: int) -> RopeTables:
        inv_freq = float(base) ** (-np.arange(0, head_dim, 2, dtype=np.float64) / head_dim)
        angles = np.arange(n_positions, dtype=np.float64)[:, None] * inv_freq[None, :]
        return cls(np.cos(angles).astype(np.float32), np.sin(angles).astype(np.float32))


def apply_rope(x: F32, cos: F32, sin: F32) -> F32:
    """Rotate adjacent feature pairs ``(2i, 2i+1)`` of every head by position's angles.

    Parameters
    ----------
    x : ndarray, shape (T, heads, head_dim)
        Queries or keys in llama.cpp's layout (see :mod:`core.lm.params`).
    cos, sin : ndarray, shape (T, head_dim // 2)
        The rows of :class:`RopeTables` for the T positions.

    Examples
    --------
    A quarter turn maps the pair (1, 0) to (0, 1):

    >>> x = np.array([[[1.0, 0.0]]], dtype=np.float32)
    >>> apply_rope(x, np.zeros((1, 1), np.float32), np.ones((1, 1), np.float32))
    array([[[0., 1.]]], dtype=float32)
    """
    pairs = x.reshape(*x.shape[:-1], -1, 2)
    a, b = pairs[..., 0], pairs[..., 1]
    c, s = cos[:, None, :], sin[:, None, :]
    out = np.empty_like(pairs)
    np.subtract(a * c, b * s, out=out[..., 0])
    np.add(a * s, b * c, out=out[..., 1])
    return out.reshape(x.shape)


def swiglu(gate_up: F32, d_ffn: int) -> F32:
    """SwiGLU's hidden activation ``silu(gate) * up`` from the fused projection."""
    gate, up = gate_up[:, :d_ffn], gate_up[:, d_ffn:]
    return gate * expit(gate) * up  # expit: a logistic that never warns on overflow


class KVCache:
    """Rotated keys and values of the tokens seen so far, for every block.

    Arrays are (n_layers, n_kv_heads, capacity, head_dim); the first ``length``
    positions are filled. Capacity doubles when a feed needs more (up to the model's
    context length), so appending one token copies nothing but its own row.
    """

    def __init__(self, config: LlamaConfig, capacity: int = 256) -> None:
        self.config = config
        self.length = 0
        self.keys, self.values = self._alloc(min(capacity, config.context_length))

    def _alloc(self, capacity: int) -> tuple[F32, F32]:
        c = self.config
        shape = (c.n_layers, c.n_kv_heads, capacity, c.head_dim)
        return np.zeros(shape, dtype=np.float32), np.zeros(shape, dtype=np.float32)

    @property
    def capacity(self) -> int:
        return int(self.keys.shape[2])

    def reserve(self, n_positions: int) -> None:
        """Make room for ``n_positions`` in all (a ValueError past the context length)."""
        limit = self.config.context_length
        if n_positions > limit:
            raise ValueError(f"the sequence would be {n_positions} tokens; the model's context is {limit}")
        if n_positions <= self.capacity:
            return
        capacity = min(limit, max(n_positions, 2 * self.capacity))
        keys, values = self._alloc(capacity)
        keys[:, :, : self.length] = self.keys[:, :, : self.length]
        values[:, :, : self.length] = self.values[:, :, : self.length]
        self.keys, self.values = keys, values


def attention(q: F32, keys: F32, values: F32, mask: F32 | None) -> F32:
    """Causal grouped-query attention of T new (rotated, pre-scaled) queries.

    Parameters
    ----------
    q : ndarray, shape (T, n_heads, head_dim)
    keys, values : ndarray, shape (n_kv_heads, S, head_dim)
        The S positions attended to, the T new ones last (views of the cache).
    mask : ndarray, shape (T, S), or None
        0 where a query may look, -inf where it may not; None when T == 1 (the one new
        token sees everything).

    Returns
    -------
    ndarray, shape (T, n_heads * head_dim)
    """
    t, n_heads, head_dim = q.shape
    n_kv, s = keys.shape[0], keys.shape[1]
    rep = n_heads // n_kv
    grouped = q.reshape(t, n_kv, rep, head_dim).transpose(1, 2, 0, 3).reshape(n_kv, rep * t, head_dim)
    scores = grouped @ keys.transpose(0, 2, 1)  # (n_kv, rep * T, S)
    if mask is not None:
        scores = scores.reshape(n_kv, rep, t, s)
        scores += mask
        scores = scores.reshape(n_kv, rep * t, s)
    scores -= scores.max(axis=-1, keepdims=True)
    np.exp(scores, out=scores)
    scores /= scores.sum(axis=-1, keepdims=True)
    out: F32 = np.matmul(scores, values, dtype=np.float32)  # (n_kv, rep * T, head_dim)
    return out.reshape(n_kv, rep, t, head_dim).transpose(2, 0, 1, 3).reshape(t, n_heads * head_dim)


def _block(x: F32, p: LayerParams, layer: int, cache: KVCache, cos: F32, sin: F32,
           mask: F32 | None, config: LlamaConfig) -> None:
    c = config
    t, start = x.shape[0], cache.length
    qkv = rms_norm(x, p.attn_norm, c.norm_eps) @ p.qkv
    q_end, k_end = c.n_heads * c.head_dim, (c.n_heads + c.n_kv_heads) * c.head_dim
    q = apply_rope(qkv[:, :q_end].reshape(t, c.n_heads, c.head_dim), cos, sin)
    q *= np.float32(1 / np.sqrt(c.head_dim))
    k = apply_rope(qkv[:, q_end:k_end].reshape(t, c.n_kv_heads, c.head_dim), cos, sin)
    v = qkv[:, k_end:].reshape(t, c.n_kv_heads, c.head_dim)
    cache.keys[layer, :, start : start + t] = k.transpose(1, 0, 2)
    cache.values[layer, :, start : start + t] = v.transpose(1, 0, 2)
    end = start + t
    x += attention(q, cache.keys[layer, :, :end], cache.values[layer, :, :end], mask) @ p.out
    x += swiglu(rms_norm(x, p.ffn_norm, c.norm_eps) @ p.gate_up, c.d_ffn) @ p.down


def forward(params: LlamaParams, ids: NDArray[np.intp], cache: KVCache, rope: RopeTables) -> F32:
    """Run ``ids`` after the ``cache.length`` tokens already in ``cache``.

    Parameters
    ----------
    params : LlamaParams
    ids : ndarray of int, shape (T,)
        New token ids (checked by the caller), T >= 1.
    cache : KVCache
        Extended in place by T positions.
    rope : RopeTables
        Covering at least ``cache.length + T`` positions.

    Returns
    -------
    ndarray, shape (T, d_model), float32
        The final RMSNorm's output; ``h @ params.output.T`` are the logits.
    """
    c = params.config
    t, start = len(ids), cache.length
    cache.reserve(start + t)
    # a fresh C-ordered (T, d_model) array, the residual stream (a tied embedding is
    # column-major, see core.lm.params, so its gathered rows need the explicit order)
    x = np.ascontiguousarray(params.embedding[ids])
    cos, sin = rope.cos[start : start + t], rope.sin[start : start + t]
    mask = None
    if t > 1:
        later = np.arange(start + t)[None, :] > np.arange(start, start + t)[:, None]
        mask = np.where(later, np.float32(-np.inf), np.float32(0))
    for layer, p in enumerate(params.layers):
        _block(x, p, layer, cache, cos, sin, mask, c)
    cache.length = start + t
    return rms_norm(x, params.output_norm, c.norm_eps)
