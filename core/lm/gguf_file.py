"""Reading a GGUF file: its metadata, and its tensors dequantised to float32.

The parsing and the dequantisation are the ``gguf`` package's (llama.cpp's own Python
reader). One thing is changed: :class:`GGUFReader` slices a :class:`numpy.memmap` for
every one of the ~250,000 small values in the header (each token and merge string is a
few of them), and each memmap slice pays for memmap's Python-level bookkeeping, which
made reading this file's header take 5-9 s. :class:`FastGGUFReader` takes the same
slices from a plain ndarray view of the same map, and reads the long arrays (the
vocabulary, the merges, the token types) in one pass instead of one recursive call per
element: identical fields, a fraction of a second.
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

    def _get_field_parts(self, orig_offs: int, raw_type: int) -> tuple[int, list[NDArray[Any]], list[int], list[Any]]:
        """The stock parts of a field; arrays of numbers or strings built in one pass.

        The stock reader recurses once per element (about 150,000 times for the
        vocabulary, the merges and the token types); here a numeric array is one read
        split into the same one-element views, and a string array's offsets are walked
        on plain bytes. Anything else (and a byte-swapped file) goes to the stock code.
        """
        if raw_type != gguf.GGUFValueType.ARRAY or self.byte_order != "I":
            return super()._get_field_parts(orig_offs, raw_type)
        raw_itype = self._get(orig_offs, np.uint32)
        alen = self._get(orig_offs + 4, np.uint64)
        item, count = int(raw_itype[0]), int(alen[0])
        nptype = self.gguf_scalar_to_np.get(gguf.GGUFValueType(item))
        if count == 0 or (nptype is None and item != gguf.GGUFValueType.STRING):
            return super()._get_field_parts(orig_offs, raw_type)
        types = [gguf.GGUFValueType.ARRAY, gguf.GGUFValueType(item)]
        parts: list[NDArray[Any]] = [raw_itype, alen]
        offs = orig_offs + 12
        if nptype is not None:
            values = self._get(offs, nptype, count)
            parts += list(values.reshape(count, 1))  # one-element views, as the stock reader's
            return 12 + int(values.nbytes), parts, list(range(2, 2 + count)), types
        plain = self.data.view(np.ndarray)
        raw = plain.data  # a memoryview of the same bytes
        for _ in range(count):  # each string: its uint64 length, then its bytes
            n = int.from_bytes(raw[offs : offs + 8], "little")
            parts += (plain[offs : offs + 8].view(np.uint64), plain[offs + 8 : offs + 8 + n])
            offs += 8 + n
        return offs - orig_offs, parts, list(range(3, 2 + 2 * count, 2)), types


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


#: Values dequantised at a time: large enough that numpy's per-call cost vanishes,
#: small enough that the float32 temporaries stay in cache (measured best near here).
_CHUNK_VALUES = 1 << 17


def dequantize(tensor: gguf.ReaderTensor, *, transposed_into: NDArray[np.float32] | None = None) -> NDArray[np.float32]:
    """A tensor's values as float32, shaped (rows, columns) as llama.cpp stores them.

    For a weight matrix the rows are output features and the columns input features
    (torch's ``Linear.weight`` layout); a 1-D tensor stays 1-D.

    Parameters
    ----------
    tensor : gguf.ReaderTensor
    transposed_into : ndarray of float32, shape (columns, rows), optional
        Write the transposed matrix here (it may be a slice of a larger one) and return
        it: each chunk of rows is transposed while it is still in cache, instead of a
        whole-matrix transposed copy afterwards.

    Notes
    -----
    Quantised tensors go through the ``gguf`` package's own block formula for their type
    (``quants.Q4_1.dequantize_blocks`` ...), applied to chunks of whole rows;
    :func:`gguf.quants.dequantize` applies it 16 rows at a time and concatenates, more
    than twice the CPU time.
    """
    qtype = tensor.tensor_type
    traits: Any = getattr(quants, qtype.name, None)
    if qtype in (gguf.GGMLQuantizationType.F32, gguf.GGMLQuantizationType.F16) or not hasattr(traits, "dequantize_blocks"):
        # np.array copies, so the file's map can close
        values = np.array(quants.dequantize(tensor.data, qtype), dtype=np.float32)
        if transposed_into is None:
            return values
        transposed_into[...] = values.T
        return transposed_into
    type_size = gguf.GGML_QUANT_SIZES[qtype][1]
    raw = tensor.data.view(np.uint8)
    shape = quants.quant_shape_from_byte_shape(raw.shape, qtype)
    rows = raw.reshape(-1, raw.shape[-1])
    n_rows, n_cols = rows.shape[0], shape[-1]
    out = np.empty((n_rows, n_cols), np.float32) if transposed_into is None else transposed_into
    if transposed_into is not None and transposed_into.shape != (n_cols, n_rows):
        raise ValueError(f"`transposed_into` has shape {transposed_into.shape}; tensor {tensor.name!r} needs {(n_cols, n_rows)}")
    step = max(1, _CHUNK_VALUES // n_cols)
    for start in range(0, n_rows, step):
        chunk = rows[start : start + step]
        values = traits.dequantize_blocks(chunk.reshape(-1, type_size)).reshape(len(chunk), n_cols)
        if transposed_into is None:
            out[start : start + len(chunk)] = values
        else:
            out[:, start : start + len(chunk)] = values.T
    return out if transposed_into is not None else out.reshape(shape)


def open_gguf(path: Path) -> FastGGUFReader:
    """Open ``path`` with :class:`FastGGUFReader`; a file that is not GGUF is a ValueError."""
    try:
        return FastGGUFReader(path)
    except ValueError as err:
        raise ValueError(f"`path` {str(path)!r} is not a readable GGUF file: {err}") from err
