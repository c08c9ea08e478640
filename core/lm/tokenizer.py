"""The GPT-2-style byte-level BPE tokenizer described by a GGUF file's metadata.

A GGUF file has no ``tokenizer.json``; it stores the vocabulary (already spelled in
GPT-2's byte-to-unicode alphabet, ``Ġ`` for a space), the merges, the token types and
the name of the pre-tokenizer (``tokenizer.ggml.pre``). This module rebuilds the
tokenizer with the ``tokenizers`` library: the split that ``tokenizer.ggml.pre`` names in
llama.cpp, byte-level BPE over the stored merges, the control tokens (``<|im_start|>``
...) matched whole, and no BOS token when ``tokenizer.ggml.add_bos_token`` is false.
"""

from __future__ import annotations

from collections.abc import Sequence

from tokenizers import AddedToken, Tokenizer, decoders, models, pre_tokenizers

__all__ = ["CONTROL", "PRE_TOKENIZERS", "build_tokenizer"]

CONTROL = 3  # llama.cpp's token type for special tokens such as <|endoftext|>


def _gpt2() -> pre_tokenizers.PreTokenizer:
    return pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)


def _smollm() -> pre_tokenizers.PreTokenizer:
    # llama.cpp's "smollm": every digit on its own, then GPT-2's split
    return pre_tokenizers.Sequence([pre_tokenizers.Digits(individual_digits=True), _gpt2()])


PRE_TOKENIZERS = {"gpt2": _gpt2, "default": _gpt2, "smollm": _smollm}


def build_tokenizer(
    tokens: Sequence[str],
    merges: Sequence[str],
    token_types: Sequence[int],
    *,
    model: str = "gpt2",
    pre: str = "gpt2",
    add_bos_token: bool = False,
) -> Tokenizer:
    """A :class:`tokenizers.Tokenizer` from GGUF tokenizer metadata.

    Parameters
    ----------
    tokens : sequence of str
        ``tokenizer.ggml.tokens``: token ``i``'s byte-level spelling.
    merges : sequence of str
        ``tokenizer.ggml.merges``: ``"left right"`` pairs, highest priority first.
    token_types : sequence of int
        ``tokenizer.ggml.token_type``; type 3 (control) tokens become special tokens.
    model : str
        ``tokenizer.ggml.model``; only ``"gpt2"`` (byte-level BPE) is supported.
    pre : str
        ``tokenizer.ggml.pre``, one of :data:`PRE_TOKENIZERS`.
    add_bos_token : bool
        ``tokenizer.ggml.add_bos_token``; only False is supported (nothing is added).

    Returns
    -------
    tokenizers.Tokenizer

    Examples
    --------
    >>> tok = build_tokenizer(["a", "b", "ab", "Ġ", "Ġab"], ["a b", "Ġ ab"], [1] * 5)
    >>> tok.encode("ab ab").ids
    [2, 4]
    >>> tok.decode([4])
    ' ab'
    """
    if model != "gpt2":
        raise ValueError(f"`model` {model!r} is not supported; only byte-level BPE ('gpt2') is")
    if pre not in PRE_TOKENIZERS:
        raise ValueError(f"`pre` {pre!r} is not one of the known pre-tokenizers {sorted(PRE_TOKENIZERS)}")
    if add_bos_token:
        raise ValueError("`add_bos_token` True is not supported: this model's files add no BOS")
    if len(token_types) != len(tokens):
        raise ValueError(f"`token_types` has {len(token_types)} entries for {len(tokens)} tokens")
    vocab = {token: i for i, token in enumerate(tokens)}
    pairs = []
    for merge in merges:
        left, sep, right = merge.partition(" ")
        if not sep:
            raise ValueError(f"`merges` entry {merge!r} is not two tokens separated by a space")
        pairs.append((left, right))
    tokenizer = Tokenizer(models.BPE(vocab=vocab, merges=pairs))
    tokenizer.pre_tokenizer = PRE_TOKENIZERS[pre]()
    tokenizer.decoder = decoders.ByteLevel()
    special = [AddedToken(t, special=True, normalized=False) for t, k in zip(tokens, token_types, strict=True) if k == CONTROL]
    tokenizer.add_special_tokens(special)
    return tokenizer
