"""Reading a GGUF file: its metadata, and its tensors dequantised to float32.

The parsing and the dequantisation are the ``gguf`` package's (llama.cpp's own Python
reader). One thing is changed: :class:`GGUFReader` slices a :class:`numpy.memmap` for
every one of the ~250,000 small values in the header (each token and merge string is a
few of them), and each memmap slice pays for memmap's Python-level bookkeeping, which
made reading this file's header take 5-9 s. :class:`FastGGUFReader` takes the same
slices from a plain ndarray view of the same map: identical bytes, ~1 s.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import gguf
import numpy as np
from gguf import quants
from numpy.typing import NDArray

__all__ = ["FastGGUFReader", "dequantize", "open_gguf", "read_metadata", "string_array", "tensor_table"]


class FastGGUFReader(gguf.GGUFReader):
    """:class:`gguf.GGUFReader` slicing a plain ndarray view of its memory map.

    Fields and tensors are the stock reader's, value for value (tested on a file
    written with :class:`gguf.GGUFWriter`); tensor data are plain read-only ndarrays
    that share the map instead of memmap objects.
    """

    def _get(
        self, offset: int, dtype: Any, count: int = 1, override_order: Any = None
    ) -> NDArray[Any]:
        plain = self.__dict__.get("_plain")
        if plain is None:
            plain = self.__dict__["_plain"] = self.data.view(np.ndarray)
        count = int(count)
        dtype = np.dtype(dtype)
        arr = plain[offset : offset + dtype.itemsize * count].view(dtype)[:count]
        order = self.byte_order if override_order is None else override_order
        return arr.view(arr.dtype.newbyteorder(order))


def read_metadata(reader: gguf.GGUFReader) -> dict[str, Any]:
    """The scalar and short-array metadata of a GGUF file as Python values.

    String arrays longer than 1,000 items (the vocabulary and the merges) are left out:
    :func:`string_array` reads those fast.
    """
    metadata: dict[str, Any] = {}
    for key, field in reader.fields.items():
        if field.types and field.types[0] == gguf.GGUFValueType.ARRAY and len(field.data) > 1000:
            continue
        metadata[key] = field.contents()
    return metadata


def string_array(reader: gguf.GGUFReader, key: str) -> list[str]:
    """A metadata array of UTF-8 strings (e.g. ``tokenizer.ggml.tokens``).

    Raises
    ------
    ValueError
        When the file has no such key, or the key does not hold strings.
    """
    field = reader.fields.get(key)
    if field is None:
        raise ValueError(f"the GGUF file has no metadata key {key!r}")
    if field.types != [gguf.GGUFValueType.ARRAY, gguf.GGUFValueType.STRING]:
        raise ValueError(f"GGUF metadata {key!r} is not an array of strings: {field.types}")
    # field.data indexes the parts that hold each string's bytes
    return [bytes(field.parts[i]).decode("utf-8") for i in field.data]


def tensor_table(reader: gguf.GGUFReader) -> Mapping[str, gguf.ReaderTensor]:
    """The file's tensors by name."""
    return {tensor.name: tensor for tensor in reader.tensors}


def dequantize(tensor: gguf.ReaderTensor) -> NDArray[np.float32]:
    """A tensor's values as float32, shaped (rows, columns) as llama.cpp stores them.

    For a weight matrix the rows are output features and the columns input features
    (torch's ``Linear.weight`` layout); a 1-D tensor stays 1-D.
    """
    values = quants.dequantize(tensor.data, tensor.tensor_type)
    if tensor.tensor_type == gguf.GGMLQuantizationType.F32:
        return np.array(values, dtype=np.float32)  # a copy, so the file's map can close
    return np.asarray(values, dtype=np.float32)


def open_gguf(path: Path) -> FastGGUFReader:
    """Open ``path`` with :class:`FastGGUFReader`; a file that is not GGUF is a ValueError."""
    try:
        return FastGGUFReader(path)
    except ValueError as err:
        raise ValueError(f"`path` {str(path)!r} is not a readable GGUF file: {err}") from err
