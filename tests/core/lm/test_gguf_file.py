"""The GGUF reading layer on small files written with gguf's own writer."""

from __future__ import annotations

import gguf
import numpy as np
import pytest
from gguf import quants

from core.lm.config import LlamaConfig
from core.lm.gguf_file import FastGGUFReader, dequantize, open_gguf, read_metadata, string_array


@pytest.fixture
def small_gguf(tmp_path):
    path = tmp_path / "small.gguf"
    writer = gguf.GGUFWriter(path, "llama")
    writer.add_uint32("llama.block_count", 2)
    writer.add_float32("llama.rope.freq_base", 100_000.0)
    writer.add_bool("tokenizer.ggml.add_bos_token", False)
    writer.add_string("general.name", "small test model")
    writer.add_array("tokenizer.ggml.tokens", ["<|endoftext|>", "a", "Ġb", "é", "東京"] * 300)
    writer.add_array("tokenizer.ggml.token_type", [3, 1, 1, 1, 1])
    rng = np.random.default_rng(0)
    dense = rng.standard_normal((4, 64)).astype(np.float32)
    writer.add_tensor("dense", dense)
    writer.add_tensor("norm", np.arange(8, dtype=np.float32))
    q = quants.quantize(dense, gguf.GGMLQuantizationType.Q4_1)
    writer.add_tensor("quant", q, raw_shape=q.shape, raw_dtype=gguf.GGMLQuantizationType.Q4_1)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path, dense


def test_fast_reader_reads_what_the_stock_reader_reads(small_gguf):
    path, _ = small_gguf
    stock, fast = gguf.GGUFReader(path), FastGGUFReader(path)
    assert list(fast.fields) == list(stock.fields)
    for key, field in stock.fields.items():
        assert fast.fields[key].types == field.types
        assert fast.fields[key].contents() == field.contents(), key
    assert [t.name for t in fast.tensors] == [t.name for t in stock.tensors]
    for ours, theirs in zip(fast.tensors, stock.tensors, strict=True):
        assert ours.tensor_type == theirs.tensor_type and list(ours.shape) == list(theirs.shape)
        np.testing.assert_array_equal(ours.data, theirs.data)


def test_metadata_strings_and_dequantised_tensors(small_gguf):
    path, dense = small_gguf
    reader = open_gguf(path)
    meta = read_metadata(reader)
    assert meta["llama.block_count"] == 2 and meta["general.name"] == "small test model"
    assert meta["tokenizer.ggml.add_bos_token"] is False
    assert "tokenizer.ggml.tokens" not in meta  # long arrays come from string_array
    assert string_array(reader, "tokenizer.ggml.tokens")[:5] == ["<|endoftext|>", "a", "Ġb", "é", "東京"]
    tensors = {t.name: t for t in reader.tensors}
    np.testing.assert_array_equal(dequantize(tensors["dense"]), dense)
    norm = dequantize(tensors["norm"])
    assert norm.dtype == np.float32 and norm.flags.writeable and norm.base is None  # a copy
    quant = dequantize(tensors["quant"])
    assert quant.shape == dense.shape and quant.dtype == np.float32
    # Q4_1: 16 levels between each block's min and max, so half a step at most
    step = (dense.max(axis=1, keepdims=True) - dense.min(axis=1, keepdims=True)) / 15
    assert np.all(np.abs(quant - dense) <= step / 2 + 1e-3)


def test_reading_errors(small_gguf, tmp_path):
    path, _ = small_gguf
    with pytest.raises(ValueError, match="no metadata key 'missing'"):
        string_array(open_gguf(path), "missing")
    with pytest.raises(ValueError, match="is not an array of strings"):
        string_array(open_gguf(path), "tokenizer.ggml.token_type")
    bad = tmp_path / "not.gguf"
    bad.write_bytes(b"not a gguf file at all")
    with pytest.raises(ValueError, match="is not a readable GGUF file"):
        open_gguf(bad)


BASE = {
    "general.architecture": "llama", "llama.block_count": 30, "llama.context_length": 8192,
    "llama.embedding_length": 576, "llama.feed_forward_length": 1536, "llama.attention.head_count": 9,
    "llama.attention.head_count_kv": 3, "llama.rope.freq_base": 100000.0,
    "llama.attention.layer_norm_rms_epsilon": 1e-5, "llama.rope.dimension_count": 64,
}


def test_config_from_metadata():
    c = LlamaConfig.from_metadata(BASE, vocab_size=49_152)
    assert (c.n_layers, c.d_model, c.n_heads, c.n_kv_heads, c.head_dim, c.d_ffn) == (30, 576, 9, 3, 64, 1536)
    assert c.vocab_size == 49_152 and c.context_length == 8192 and c.rope_base == 1e5
    assert c.norm_eps.dtype == np.float32


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"general.architecture": "gpt2"}, "architecture 'gpt2'"),
        ({"llama.block_count": None}, "lacks 'llama.block_count'"),
        ({"llama.attention.head_count_kv": 4}, "not a multiple of 4"),
        ({"llama.rope.dimension_count": 32}, "rotary dimension 32"),
        ({"llama.rope.scaling.type": "linear"}, "rope scaling 'linear'"),
    ],
)
def test_config_refuses_what_it_cannot_run(change, match):
    meta = {k: v for k, v in {**BASE, **change}.items() if v is not None}
    with pytest.raises(ValueError, match=match):
        LlamaConfig.from_metadata(meta, vocab_size=10)


def test_dequantize_transposed_into_a_slice(small_gguf):
    path, _ = small_gguf
    tensors = {t.name: t for t in open_gguf(path).tensors}
    for name in ("quant", "dense"):
        rows = dequantize(tensors[name])
        block = np.zeros((64, 10), np.float32)
        out = dequantize(tensors[name], transposed_into=block[:, 3:7])
        np.testing.assert_array_equal(block[:, 3:7], rows.T)  # exactly the rows, transposed
        assert out.base is block and not block[:, :3].any() and not block[:, 7:].any()
    # gguf's own dequantisation gives the same values
    np.testing.assert_array_equal(dequantize(tensors["quant"]), quants.dequantize(tensors["quant"].data, tensors["quant"].tensor_type))
    with pytest.raises(ValueError, match=r"`transposed_into` has shape \(4, 64\)"):
        dequantize(tensors["quant"], transposed_into=np.zeros((4, 64), np.float32))


def test_fast_reader_fields_have_the_stock_parts(small_gguf):
    # string_array and contents() read parts through field.data: same indices, same bytes
    path, _ = small_gguf
    stock, fast = gguf.GGUFReader(path), FastGGUFReader(path)
    for key in ("tokenizer.ggml.tokens", "tokenizer.ggml.token_type"):
        ours, theirs = fast.fields[key], stock.fields[key]
        assert ours.data == theirs.data
        assert [bytes(p) for p in ours.parts] == [bytes(p) for p in theirs.parts]
