"""A Llama model's weights, dequantised once to float32 and laid out for ``x @ W``.

llama.cpp stores a projection as (output features, input features) rows, like torch's
``Linear.weight``. Each projection here is copied once, at load, into a C-ordered
(input, output) matrix, so ``x @ W`` streams it row by row (measured faster for the
one-token matrix-vector products of generation than BLAS's transposed path). The
three attention projections share one matrix (``x @ qkv`` gives ``[q | k | v]``), as
do SwiGLU's gate and up projections, so that each is one matmul. The unembedding
is laid out the same way: ``output.T`` is a C-ordered (d_model, vocab) matrix, about
twice as fast for the 49,152-logit product of every generated token as the file's
order.

Rotary layout: llama.cpp's converter permutes the rows of the query and key weights
so that the two features rotated together (features ``i`` and ``i + head_dim/2`` of a
head in Hugging Face's layout) are adjacent, ``2i`` and ``2i + 1``. The weights are kept
in the file's order and :func:`core.lm.forward.apply_rope` rotates adjacent pairs;
query-key dot products are unchanged by a permutation applied to both, so attention is
Hugging Face's exactly (``tests/core/lm`` checks the rows against transformers').
"""

from __future__ import annotations

from dataclasses import dataclass

import gguf
import numpy as np
from numpy.typing import NDArray

from core.lm.config import LlamaConfig
from core.lm.gguf_file import dequantize, tensor_table

__all__ = ["LayerParams", "LlamaParams", "load_params"]

F32 = NDArray[np.float32]


@dataclass(frozen=True)
class LayerParams:
    """One decoder block's weights (all float32).

    Attributes
    ----------
    attn_norm, ffn_norm : ndarray, shape (d_model,)
        RMSNorm gains before attention and before the feed-forward block.
    qkv : ndarray, shape (d_model, (n_heads + 2 n_kv_heads) head_dim)
        Query, key and value projections side by side.
    out : ndarray, shape (n_heads head_dim, d_model)
        Attention output projection.
    gate_up : ndarray, shape (d_model, 2 d_ffn)
        SwiGLU's gate projection, then its up projection.
    down : ndarray, shape (d_ffn, d_model)
        SwiGLU's down projection.
    """

    attn_norm: F32
    qkv: F32
    out: F32
    ffn_norm: F32
    gate_up: F32
    down: F32


@dataclass(frozen=True)
class LlamaParams:
    """All weights of the model.

    Attributes
    ----------
    config : LlamaConfig
    embedding : ndarray, shape (vocab_size, d_model)
        Token embeddings (row ``i`` is token ``i``).
    layers : tuple of LayerParams
    output_norm : ndarray, shape (d_model,)
    output : ndarray, shape (vocab_size, d_model), Fortran-ordered
        Unembedding, used as ``h @ output.T`` (a C-ordered matrix); the embedding
        itself when tied (the file then has no ``output.weight``).
    """

    config: LlamaConfig
    embedding: F32
    layers: tuple[LayerParams, ...]
    output_norm: F32
    output: F32


def load_params(reader: gguf.GGUFReader, config: LlamaConfig) -> LlamaParams:
    """Dequantise every tensor of ``reader`` into :class:`LlamaParams`.

    Raises
    ------
    ValueError
        When a tensor is missing or its shape disagrees with ``config``.
    """
    tensors = tensor_table(reader)
    c = config

    def check(name: str, *shape: int) -> gguf.ReaderTensor:
        if name not in tensors:
            raise ValueError(f"the GGUF file has no tensor {name!r}")
        found = tuple(int(n) for n in reversed(tensors[name].shape))  # GGUF lists columns first
        if found != shape:
            raise ValueError(f"tensor {name!r} has shape {found}; the config implies {shape}")
        return tensors[name]

    def tensor(name: str, *shape: int) -> F32:
        return dequantize(check(name, *shape))

    def stacked(names_rows: list[tuple[str, int]], cols: int) -> F32:
        """The named (rows, cols) tensors transposed and side by side: (cols, sum of rows)."""
        block = np.empty((cols, sum(rows for _, rows in names_rows)), dtype=np.float32)
        start = 0
        for name, rows in names_rows:
            dequantize(check(name, rows, cols), transposed_into=block[:, start : start + rows])
            start += rows
        return block

    q_rows, kv_rows = c.n_heads * c.head_dim, c.n_kv_heads * c.head_dim
    layers = []
    for i in range(c.n_layers):
        b = f"blk.{i}."
        layers.append(
            LayerParams(
                attn_norm=tensor(b + "attn_norm.weight", c.d_model),
                qkv=stacked([(b + "attn_q.weight", q_rows), (b + "attn_k.weight", kv_rows),
                             (b + "attn_v.weight", kv_rows)], c.d_model),
                out=stacked([(b + "attn_output.weight", c.d_model)], q_rows),
                ffn_norm=tensor(b + "ffn_norm.weight", c.d_model),
                gate_up=stacked([(b + "ffn_gate.weight", c.d_ffn), (b + "ffn_up.weight", c.d_ffn)], c.d_model),
                down=stacked([(b + "ffn_down.weight", c.d_model)], c.d_ffn),
            )
        )
    # The unembedding is stored column-major (a C-ordered (d_model, vocab) array seen
    # through .T), so ``h @ output.T`` streams it row by row like the other projections;
    # a tied embedding is the same array (its rows are then strided, read a few at a time).
    if "output.weight" in tensors:
        embedding = tensor("token_embd.weight", c.vocab_size, c.d_model)
        output = stacked([("output.weight", c.vocab_size)], c.d_model).T
    else:
        embedding = output = stacked([("token_embd.weight", c.vocab_size)], c.d_model).T
    return LlamaParams(
        config=c,
        embedding=embedding,
        layers=tuple(layers),
        output_norm=tensor("output_norm.weight", c.d_model),
        output=output,
    )

