"""The generate tab's token player: one generation step's numbers, and compact frames of them.

Pure functions (no streamlit, no model): :func:`token_step` takes one row of the
model's logits and the uniform core's inverse-CDF sampler turns into a token, and
keeps what a frame shows of that step; :func:`token_frames` lays the steps out as the
``"tokens"`` kind of :mod:`dashboard.common.animation` expects. Every number comes from
:mod:`core`; the browser only draws.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from core import sampling
from core.information import entropy
from dashboard.common.animation import DIGITS
from dashboard.common.units import in_unit

__all__ = ["TokenStep", "token_frames", "token_step"]


@dataclass(frozen=True)
class TokenStep:
    """One generation step: the distribution a token was drawn from, and the draw.

    ``shown`` are token ids, the ``n`` likeliest by logit, then the drawn token if it is
    not among them; ``p_model``, ``p_tempered`` and ``p_final`` are their probabilities
    at T = 1, after the temperature, and after top-k and top-p (renormalised: what is
    drawn from); ``cdf_low`` is where each one's interval starts on core's cumulative
    sums (in token-id order, the order :func:`core.sampling.sample_categorical` sums in),
    ``kept`` whether the filters kept it. Entropies are in nats.
    """

    token: int
    u: float
    shown: NDArray[np.intp]
    p_model: NDArray[np.float64]
    p_tempered: NDArray[np.float64]
    p_final: NDArray[np.float64]
    cdf_low: NDArray[np.float64]
    kept: NDArray[np.bool_]
    n_kept: int
    kept_mass: float
    entropy_model: float
    entropy_final: float

    @property
    def p_drawn(self) -> float:
        """The drawn token's probability in the distribution it was drawn from."""
        return float(self.p_final[self.drawn_index])

    @property
    def p_drawn_model(self) -> float:
        """The drawn token's probability under the model at T = 1."""
        return float(self.p_model[self.drawn_index])

    @property
    def drawn_index(self) -> int:
        """Where the drawn token sits in ``shown``."""
        return int(np.flatnonzero(self.shown == self.token)[0])


def token_step(
    logits: ArrayLike,
    *,
    temperature: float,
    top_k: int | None,
    top_p: float | None,
    u: float,
    n: int,
) -> TokenStep:
    """Draw one token from ``logits`` with the uniform ``u`` and keep what a frame shows.

    Parameters
    ----------
    logits : array_like, shape (V,)
        The model's next-token logits.
    temperature, top_k, top_p
        The sampler's settings, as :func:`core.sampling.sampling_probs` takes them
        (None turns a filter off).
    u : float
        The uniform in [0, 1) the inverse-CDF sampler turns into a token.
    n : int
        How many of the likeliest tokens to keep (the drawn one is added if outside).

    Returns
    -------
    TokenStep

    Raises
    ------
    ValueError
        If ``n`` is below 1, or as core's sampling functions for bad settings or ``u``.
    """
    if not isinstance(n, int | np.integer) or n < 1:
        raise ValueError(f"`n` must be an int of at least 1; got {n!r}")
    z = np.asarray(logits)
    if z.ndim != 1:
        raise ValueError(f"`logits` must be one row of the vocabulary; got shape {z.shape}")
    p_model = sampling.sampling_probs(z)
    p_tempered = sampling.sampling_probs(z, temperature=temperature)
    p_final = sampling.sampling_probs(z, temperature=temperature, top_k=top_k, top_p=top_p)
    token = int(sampling.sample_categorical(p_final, u=u))
    shown = np.argsort(-z, kind="stable")[:n]
    if token not in shown:
        shown = np.append(shown, token)
    kept = p_final > 0
    cdf = np.cumsum(p_final, dtype=np.float64)
    return TokenStep(
        token=token,
        u=float(u),
        shown=shown.astype(np.intp),
        p_model=p_model[shown].astype(np.float64),
        p_tempered=p_tempered[shown].astype(np.float64),
        p_final=p_final[shown].astype(np.float64),
        # Core scales u by the total (1 within rounding); so does the drawing of u here.
        cdf_low=(cdf[shown] - p_final[shown]) / cdf[-1],
        kept=kept[shown],
        n_kept=int(kept.sum()),
        kept_mass=float(p_tempered[kept].sum()),
        entropy_model=float(entropy(p_model)),
        entropy_final=float(entropy(p_final)),
    )


def _rounded(values: ArrayLike, digits: int) -> list[float]:
    return [float(v) for v in np.round(np.asarray(values, dtype=np.float64), digits)]


def _rows(step: TokenStep, bars: int | None) -> NDArray[np.intp]:
    """Which of a step's shown tokens a frame draws: its first ``bars``, and the drawn one."""
    n = len(step.shown) if bars is None else min(bars, len(step.shown))
    first = np.arange(n)
    return first if step.drawn_index < n else np.append(first, step.drawn_index)


def token_frames(
    prompt: str,
    steps: Sequence[TokenStep],
    text_of: Callable[[int], str],
    *,
    unit: str = "nats",
    bars: int | None = None,
    digits: int = DIGITS,
) -> dict[str, object]:
    """Frames of the ``"tokens"`` kind: frame ``k`` shows the first ``k`` drawn tokens.

    Frame 0 shows the prompt and the first step's distribution before its draw; frame
    ``k >= 1`` the distribution token ``k`` was drawn from, the draw marked, its
    probability and surprisal, and the running perplexity of the text so far.

    Parameters
    ----------
    prompt : str
        The prompt's text, shown before the drawn tokens.
    steps : sequence of TokenStep
        The generation, one step per drawn token (from :func:`token_step`).
    text_of : callable
        A token id's shown text (whitespace made visible).
    unit : {"nats", "bits"}
        Unit of entropies and surprisals (perplexity is the same in either).
    bars : int, optional
        Bars per step: the first ``bars`` of each step's shown tokens, plus the drawn one
        when it is not among them (all of them by default).
    digits : int, optional
        Decimals kept of probabilities.

    Returns
    -------
    dict
        Arrays, one entry per step (``shown``, ``p_model``, ``p_tempered``, ``p_final``,
        ``kept``, ``cdf_low``, ``drawn``, ``u``, ``p_drawn``, ``surprisal``, ``entropy``,
        ``perplexity``, ``n_kept``), the drawn ``tokens``, one ``labels`` entry per frame
        (one more than steps), the ``prompt`` and the ``unit``.

    Raises
    ------
    ValueError
        If there are no steps, or ``bars`` is below 1.
    """
    if len(steps) == 0:
        raise ValueError("`steps` must hold at least one generation step")
    if bars is not None and (not isinstance(bars, int | np.integer) or bars < 1):
        raise ValueError(f"`bars` must be an int of at least 1; got {bars!r}")
    rows = [_rows(s, bars) for s in steps]
    tokens = [text_of(s.token) for s in steps]
    surprisal_model = np.array([-math.log(s.p_drawn_model) for s in steps])
    # Perplexity of the text so far as the model (T = 1) scores it: exp of the mean surprisal.
    perplexity = np.exp(np.cumsum(surprisal_model) / np.arange(1, len(steps) + 1))
    surprisal = in_unit(np.array([-math.log(s.p_drawn) for s in steps]), unit)
    step_entropy = in_unit(np.array([s.entropy_final for s in steps]), unit)
    labels = [f"step 1 of {len(steps)}: the distribution of the first token, before the draw"]
    labels += [f"step {k} of {len(steps)}: drew “{tok}”" for k, tok in enumerate(tokens, start=1)]
    return {
        "prompt": prompt,
        "unit": unit,
        "tokens": tokens,
        "labels": labels,
        "shown": [[text_of(int(i)) for i in s.shown[r]] for s, r in zip(steps, rows, strict=True)],
        "p_model": [_rounded(s.p_model[r], digits) for s, r in zip(steps, rows, strict=True)],
        "p_tempered": [_rounded(s.p_tempered[r], digits) for s, r in zip(steps, rows, strict=True)],
        "p_final": [_rounded(s.p_final[r], digits) for s, r in zip(steps, rows, strict=True)],
        "kept": [[bool(k) for k in s.kept[r]] for s, r in zip(steps, rows, strict=True)],
        "cdf_low": [_rounded(s.cdf_low[r], 6) for s, r in zip(steps, rows, strict=True)],
        "drawn": [int(np.flatnonzero(r == s.drawn_index)[0]) for s, r in zip(steps, rows, strict=True)],
        "u": _rounded([s.u for s in steps], 6),
        "p_drawn": _rounded([s.p_drawn for s in steps], 6),
        "surprisal": _rounded(surprisal, 4),
        "entropy": _rounded(step_entropy, 4),
        "perplexity": _rounded(perplexity, 3),
        "n_kept": [s.n_kept for s in steps],
    }
