"""Cached wrappers around :mod:`core` for the Entropy & perplexity page: numbers and small frames for its charts."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from core.information import (
    cross_entropy,
    cross_entropy_from_logits,
    entropy,
    kl_divergence,
    perplexity,
)
from core.sampling import sampling_probs
from core.validation import check_int, check_logits
from dashboard.common.limits import CACHE_ENTRIES
from dashboard.common.units import unit_base

__all__ = [
    "H_P",
    "H_PQ",
    "H_Q",
    "KL_P_Q",
    "PPL",
    "TEMPERATURE_LADDER",
    "InformationSummary",
    "cross_entropy_decomposition",
    "information_summary",
    "information_table",
    "perplexity_of",
    "token_distributions",
    "uniform_model",
]

# --- Entropy & perplexity page

#: Names of the quantities in the entropy page's table and decomposition chart.
H_P, H_Q, H_PQ, KL_P_Q, PPL = "H(P)", "H(Q)", "H(P, Q)", "KL(P‖Q)", "perplexity"
#: Temperatures of the decomposition chart (the current one is added).
TEMPERATURE_LADDER = (0.25, 0.5, 1.0, 2.0, 4.0)


@dataclass(frozen=True)
class InformationSummary:
    """Entropies, cross-entropy and KL of P and Q in one unit, with the perplexity."""

    entropy_p: float
    entropy_q: float
    cross_entropy: float
    kl: float
    perplexity: float


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def token_distributions(
    tokens: tuple[str, ...],
    p_logits: tuple[float, ...],
    q_logits: tuple[float, ...],
    temperature: float,
) -> pd.DataFrame:
    """P = softmax(p_logits) and Q = softmax(q_logits / T), long format.

    Columns ``token``, ``distribution`` (``"P (data)"``, ``"Q (model)"``), ``probability``.
    """
    # Name the argument in errors (core's softmax calls both of them `logits`).
    p = sampling_probs(check_logits(p_logits, "p_logits", ndim=1))
    q = sampling_probs(check_logits(q_logits, "q_logits", ndim=1), temperature=temperature)
    if not (len(tokens) == len(p) == len(q)):
        raise ValueError(
            f"`tokens`, `p_logits` and `q_logits` must have the same length; "
            f"got {len(tokens)}, {len(p)} and {len(q)}"
        )
    return pd.concat(
        [
            pd.DataFrame({"token": tokens, "distribution": name, "probability": probs})
            for name, probs in (("P (data)", p), ("Q (model)", q))
        ],
        ignore_index=True,
    )


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def information_summary(
    p_logits: tuple[float, ...], q_logits: tuple[float, ...], temperature: float, unit: str
) -> InformationSummary:
    """H(P), H(Q), H(P, Q), KL(P‖Q) in ``unit`` ("nats" or "bits") and exp of H(P, Q) in nats."""
    base = unit_base(unit)
    # Name the argument in errors (core's softmax calls both of them `logits`).
    p = sampling_probs(check_logits(p_logits, "p_logits", ndim=1))
    q = sampling_probs(check_logits(q_logits, "q_logits", ndim=1), temperature=temperature)
    if len(p) != len(q):
        raise ValueError(
            f"`p_logits` and `q_logits` must have the same length; got {len(p)} and {len(q)}"
        )
    h_pq = float(cross_entropy(p, q, base=base))
    return InformationSummary(
        entropy_p=float(entropy(p, base=base)),
        entropy_q=float(entropy(q, base=base)),
        cross_entropy=h_pq,
        kl=float(kl_divergence(p, q, base=base)),
        perplexity=float(perplexity(h_pq, base=base)),
    )


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def information_table(
    p_logits: tuple[float, ...], q_logits: tuple[float, ...], temperature: float
) -> pd.DataFrame:
    """The page's quantities in both units: columns ``quantity``, ``nats``, ``bits``."""
    nats = information_summary(p_logits, q_logits, temperature, "nats")
    bits = information_summary(p_logits, q_logits, temperature, "bits")
    fields = (("entropy_p", H_P), ("entropy_q", H_Q), ("cross_entropy", H_PQ), ("kl", KL_P_Q))
    rows = [(label, getattr(nats, f), getattr(bits, f)) for f, label in fields]
    rows.append((PPL, nats.perplexity, bits.perplexity))
    return pd.DataFrame(rows, columns=["quantity", "nats", "bits"])


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def cross_entropy_decomposition(
    p_logits: tuple[float, ...], q_logits: tuple[float, ...], temperature: float, unit: str
) -> pd.DataFrame:
    """H(P, Q) = H(P) + KL(P‖Q) at the ladder of temperatures plus the current one.

    Long format: ``temperature`` (a label, ``"T = 1"``), ``part`` (H(P) or KL(P‖Q)),
    ``value``, ``current`` (True on the bars of the chosen temperature).
    """
    temperatures = sorted(set(TEMPERATURE_LADDER) | {float(temperature)})
    rows = []
    for t in temperatures:
        s = information_summary(p_logits, q_logits, t, unit)
        for part, value in ((H_P, s.entropy_p), (KL_P_Q, s.kl)):
            rows.append(
                {"temperature": f"T = {t:g}", "part": part, "value": value, "current": t == temperature}
            )
    return pd.DataFrame(rows)


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def uniform_model(vocab_size: int) -> tuple[float, float]:
    """Mean NLL (nats) and perplexity of the uniform model over ``vocab_size`` tokens.

    All logits equal; whichever token comes next costs ln V nats.
    """
    vocab_size = check_int(vocab_size, "vocab_size", minimum=1)
    nll = float(cross_entropy_from_logits(np.zeros((1, vocab_size)), np.array([0])))
    return nll, float(perplexity(nll))


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def perplexity_of(mean_nll: float, unit: str) -> float:
    """Perplexity from an average NLL per token measured in ``unit`` ("nats" or "bits")."""
    return float(perplexity(mean_nll, base=unit_base(unit)))



