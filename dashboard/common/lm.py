"""The language model behind the dashboard's LLM pages: loaded once per server, forward
passes cached on token ids, prompts checked in plain words, token text made readable.

The Language model page and the "real model" sources of the Entropy and Sampling pages
share these helpers, so a prompt typed on one page costs its forward pass once.
"""

from __future__ import annotations

import numpy as np
import streamlit as st
from numpy.typing import NDArray

from core import sampling
from core.lm import LanguageModel, language_model
from dashboard.common.limits import CACHE_ENTRIES

__all__ = [
    "MAX_PROMPT_TOKENS",
    "model",
    "next_logits",
    "prompt_ids",
    "readable",
    "top_next_tokens",
    "top_tokens",
]

#: The longest prompt (in tokens) a page runs: a forward pass grows with its length.
MAX_PROMPT_TOKENS = 256

# Characters a token's text shows in place of whitespace, so " the" and "the" differ.
_VISIBLE = str.maketrans({" ": "␣", "\n": "↵", "\t": "⇥", "\r": "␍"})


@st.cache_resource(show_spinner="Loading the language model (once per server)…")
def model() -> LanguageModel:
    """The shipped SmolLM2-135M, loaded once per server process (core caches it too)."""
    return language_model()


def readable(text: str) -> str:
    """A token's text with its whitespace made visible: ``" the"`` -> ``"␣the"``.

    Examples
    --------
    >>> readable(" Paris\\n")
    '␣Paris↵'
    """
    return text.translate(_VISIBLE)


def prompt_ids(text: str, label: str, *, max_tokens: int = MAX_PROMPT_TOKENS) -> tuple[int, ...]:
    """The token ids of a typed prompt, or a ValueError naming the widget ``label``.

    Raises
    ------
    ValueError
        If the text is empty (or only spaces) or longer than ``max_tokens`` tokens.
    """
    if not text.strip():
        raise ValueError(f"“{label}” is empty: type some text for the model to read")
    ids = tuple(int(i) for i in model().encode(text))
    if len(ids) > max_tokens:
        raise ValueError(
            f"“{label}” is {len(ids)} tokens long; the page reads at most {max_tokens} tokens, so shorten it"
        )
    return ids


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def next_logits(ids: tuple[int, ...]) -> NDArray[np.float32]:
    """The model's logits for the token after ``ids``, shape (vocab_size,)."""
    return model().next_logits(np.asarray(ids, dtype=np.int64))


def top_tokens(logits: NDArray[np.floating], n: int) -> NDArray[np.intp]:
    """The ids of the ``n`` largest logits, largest first (ties by lower id)."""
    order = np.argsort(-logits, kind="stable")
    return order[:n]


def top_next_tokens(text: str, label: str, n: int) -> tuple[tuple[str, ...], tuple[float, ...], float]:
    """The model's ``n`` likeliest next tokens after the prompt ``text``, their logits,
    and the probability the model gives them together (before renormalising).

    A softmax of these ``n`` logits is the model's next-token distribution restricted to
    its top ``n`` tokens and renormalised (what top-k sampling with k = ``n`` draws
    from). Token texts are :func:`readable`; two tokens with the same text
    (pieces of one UTF-8 character both show U+FFFD) get their ids appended, so the
    names are distinct.

    Raises
    ------
    ValueError
        As :func:`prompt_ids` (naming the widget ``label``), or if ``n`` is below 1.
    """
    if n < 1:
        raise ValueError(f"`n` must be at least 1; got {n}")
    logits = next_logits(prompt_ids(text, label))
    ids = top_tokens(logits, n)
    names = [readable(model().token_text(int(i))) for i in ids]
    names = [f"{name}#{i}" if names.count(name) > 1 else name for name, i in zip(names, ids, strict=True)]
    mass = float(sampling.sampling_probs(logits)[ids].sum())
    return tuple(names), tuple(float(logits[i]) for i in ids), mass
