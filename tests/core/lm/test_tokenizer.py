"""build_tokenizer on small vocabularies (the real one is checked against transformers)."""

from __future__ import annotations

import pytest

from core.lm.tokenizer import build_tokenizer

TOKENS = ["<|endoftext|>", "1", "2", "Ġ", "1", "12", "a", "b", "ab", "Ġab"]
TOKENS[4] = "Ġ1"  # a vocabulary whose merges could join digits
MERGES = ["1 2", "Ġ 1", "a b", "Ġ ab"]
TYPES = [3] + [1] * 9


def test_digits_split_one_by_one_under_smollm_but_merge_under_gpt2():
    smollm = build_tokenizer(TOKENS, MERGES, TYPES, pre="smollm")
    gpt2 = build_tokenizer(TOKENS, MERGES, TYPES, pre="gpt2")
    assert smollm.encode(" 12").ids == [3, 1, 2]
    assert gpt2.encode(" 12").ids == [3, 5]  # "Ġ", "12": the merge "1 2" ranks first
    assert smollm.encode("ab ab").ids == [8, 9]


def test_control_tokens_are_matched_whole_and_decoded():
    tok = build_tokenizer(TOKENS, MERGES, TYPES, pre="smollm")
    assert tok.encode("ab<|endoftext|>ab").ids == [8, 0, 8]
    assert tok.decode([8, 0, 9], skip_special_tokens=False) == "ab<|endoftext|> ab"


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"model": "llama"}, "`model` 'llama' is not supported"),
        ({"pre": "qwen2"}, "`pre` 'qwen2' is not one of"),
        ({"add_bos_token": True}, "`add_bos_token` True is not supported"),
        ({"token_types": [1]}, "`token_types` has 1 entries for 10 tokens"),
        ({"merges": ["ab"]}, "`merges` entry 'ab' is not two tokens"),
    ],
)
def test_refused_metadata(kwargs, match):
    args = {"tokens": TOKENS, "merges": MERGES, "token_types": TYPES, **kwargs}
    with pytest.raises(ValueError, match=match):
        build_tokenizer(**args)
