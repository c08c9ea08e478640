"""The Llama architecture's hyperparameters, read from a GGUF file's metadata."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["LlamaConfig"]


@dataclass(frozen=True)
class LlamaConfig:
    """Shape and constants of a Llama-architecture decoder.

    Attributes
    ----------
    n_layers, d_model, n_heads, n_kv_heads, head_dim, d_ffn : int
        Blocks, residual width, query heads, key/value heads (grouped-query attention:
        each key/value head serves ``n_heads // n_kv_heads`` query heads), width of one
        head, and the SwiGLU hidden width.
    vocab_size, context_length : int
        Number of tokens, and the longest sequence the model was trained for.
    rope_base : float
        Base of the rotary embedding's frequencies, ``base ** (-2i / head_dim)``.
    norm_eps : numpy.float32
        RMSNorm's epsilon, kept float32 so that it never promotes activations.
    """

    n_layers: int
    d_model: int
    n_heads: int
    n_kv_heads: int
    head_dim: int
    d_ffn: int
    vocab_size: int
    context_length: int
    rope_base: float
    norm_eps: np.float32

    @classmethod
    def from_metadata(cls, metadata: Mapping[str, Any], vocab_size: int) -> LlamaConfig:
        """Build the config from llama.cpp's metadata keys (``llama.block_count`` ...).

        Parameters
        ----------
        metadata : mapping
            The file's metadata (see :func:`core.lm.gguf_file.read_metadata`).
        vocab_size : int
            Rows of the token embedding (older files have no ``llama.vocab_size``).

        Raises
        ------
        ValueError
            For another architecture, a missing key, or a feature this forward pass
            does not implement (partial rotary embeddings, rope scaling).
        """
        arch = metadata.get("general.architecture")
        if arch != "llama":
            raise ValueError(f"`metadata` describes architecture {arch!r}; only 'llama' is supported")

        def key(name: str) -> Any:
            full = f"llama.{name}"
            if full not in metadata:
                raise ValueError(f"`metadata` lacks {full!r}")
            return metadata[full]

        d_model, n_heads = int(key("embedding_length")), int(key("attention.head_count"))
        n_kv_heads = int(metadata.get("llama.attention.head_count_kv", n_heads))
        if d_model % n_heads or n_heads % n_kv_heads:
            raise ValueError(
                f"`metadata`: {n_heads} heads do not divide width {d_model} or are not a "
                f"multiple of {n_kv_heads} key/value heads"
            )
        head_dim = d_model // n_heads
        rope_dim = int(metadata.get("llama.rope.dimension_count", head_dim))
        if rope_dim != head_dim:
            raise ValueError(f"`metadata`: rotary dimension {rope_dim} != head width {head_dim} is not supported")
        scaling = metadata.get("llama.rope.scaling.type", "none")
        if scaling not in ("none", ""):
            raise ValueError(f"`metadata`: rope scaling {scaling!r} is not supported")
        return cls(
            n_layers=int(key("block_count")),
            d_model=d_model,
            n_heads=n_heads,
            n_kv_heads=n_kv_heads,
            head_dim=head_dim,
            d_ffn=int(key("feed_forward_length")),
            vocab_size=int(metadata.get("llama.vocab_size", vocab_size)),
            context_length=int(key("context_length")),
            rope_base=float(metadata.get("llama.rope.freq_base", 10_000.0)),
            norm_eps=np.float32(key("attention.layer_norm_rms_epsilon")),
        )
