"""A Streamlit component that plays precomputed frames: play, pause, step, speed and a scrubber.

The page computes every frame (numbers from :mod:`core`); the browser only draws them.
The front end is static files shipped in this package (``frontend/``): no CDN, no
download and nothing to build. ``player.js`` speaks Streamlit's component protocol by
hand (``streamlit:componentReady``, ``streamlit:render``, ``streamlit:setFrameHeight``)
and owns the controls and the clock; each kind draws its frames in ``kinds/<kind>.js``.

Kinds
-----
``"curve"``
    One curve per frame over a shared x grid, built by :func:`curve_frames`.
``"tokens"``
    A language model's generation, a drawn token per frame with the distribution it was
    drawn from, built by :func:`dashboard.topics.language_model.motion.token_frames`.
``"warmup"``
    A sampler's warm-up: step size, acceptance, inverse metric and draws per iteration,
    built by ``dashboard.topics.mcmc.warmup_motion.warmup_frames``.
``"mcmc"``
    Chains moving over a target's density (canvas), built by
    ``dashboard.topics.mcmc.motion``.

A new kind is a script ``frontend/kinds/<kind>.js`` that calls ``registerKind`` (see
``player.js``), a ``<script>`` line for it in ``frontend/index.html``, and its required
keys in :data:`KIND_KEYS`.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import streamlit.components.v1 as components

__all__ = ["DIGITS", "KINDS", "KIND_KEYS", "MAX_PAYLOAD_CHARS", "SPEEDS", "animation", "curve_frames"]

#: Each kind the front end can draw, and the keys its frames must have.
KIND_KEYS: dict[str, tuple[str, ...]] = {
    "curve": ("x", "y", "labels"),
    "tokens": ("prompt", "tokens", "labels", "shown", "p_model", "p_tempered", "p_final", "kept", "cdf_low",
               "drawn", "u", "p_drawn", "surprisal", "entropy", "perplexity", "n_kept", "unit"),
    # Built by dashboard.topics.mcmc.warmup_motion.warmup_frames.
    "warmup": ("iteration", "n_warmup", "step_size", "accept", "accept_window", "target_accept", "windows",
               "metric", "coords", "x", "y", "labels"),
    # dashboard.topics.mcmc.motion builds these
    "mcmc": ("mode", "sampler", "names", "range", "grid", "colours", "n_frames", "chains"),
}
#: The kinds of animation the front end can draw.
KINDS = tuple(KIND_KEYS)
#: Decimals kept by default: smooth curves, short JSON.
DIGITS = 4
#: The largest payload sent to the browser (JSON characters): a few MB at most.
MAX_PAYLOAD_CHARS = 4_000_000

_FRONTEND = Path(__file__).resolve().parent / "frontend"


@functools.cache
def _component() -> Any:
    """The component, declared on first use: Streamlit registers a component only when it
    is declared inside a script run, and the server's warm-up thread (no script run)
    may import this module first, which would leave it unserved (404)."""
    return components.declare_component("animation", path=str(_FRONTEND))


def _rounded(values: Any, name: str, digits: int) -> list[float]:
    """A 1-D array of finite numbers as a list rounded to ``digits`` decimals (compact JSON)."""
    array = np.asarray(values, dtype=float)
    if array.ndim != 1 or array.size == 0:
        raise ValueError(f"`{name}` must be a non-empty 1-D sequence of numbers; got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"`{name}` must be finite (JSON has no inf or nan)")
    return [float(v) for v in np.round(array, digits)]


def curve_frames(
    x: Sequence[float],
    ys: Sequence[Sequence[float]],
    labels: Sequence[str],
    *,
    tokens: Sequence[str] = (),
    x_title: str = "",
    y_title: str = "",
    digits: int = DIGITS,
) -> dict[str, Any]:
    """Frames of the ``"curve"`` kind: curve ``ys[i]`` over ``x`` on frame ``i``.

    Parameters
    ----------
    x : sequence of float
        The shared grid, increasing.
    ys : sequence of sequence of float
        One curve per frame, each as long as ``x``.
    labels : sequence of str
        One caption per frame.
    tokens : sequence of str, optional
        Events drawn in a row under the plot, ``len(ys) - 1`` of them: frame ``i`` shows
        the first ``i``, the latest highlighted (frame 0 shows none).
    x_title, y_title : str, optional
        Axis titles.
    digits : int, optional
        Decimals kept: enough for a smooth curve, short enough for a compact payload.

    Returns
    -------
    dict
        ``{"x": [...], "y": [[...], ...], "labels": [...], "tokens": [...], "x_title": ..., "y_title": ...}``:
        arrays, not records, so the JSON stays small.
    """
    grid = _rounded(x, "x", digits)
    if len(ys) == 0:
        raise ValueError("`ys` must hold at least one frame")
    curves = [_rounded(y, f"ys[{i}]", digits) for i, y in enumerate(ys)]
    for i, curve in enumerate(curves):
        if len(curve) != len(grid):
            raise ValueError(f"`ys[{i}]` has {len(curve)} values but `x` has {len(grid)}")
    if len(labels) != len(curves):
        raise ValueError(f"`labels` must have one entry per frame ({len(curves)}); got {len(labels)}")
    if tokens and len(tokens) != len(curves) - 1:
        raise ValueError(f"`tokens` must have one entry per frame after the first ({len(curves) - 1}); "
                         f"got {len(tokens)}")
    return {"x": grid, "y": curves, "labels": [str(s) for s in labels], "tokens": [str(t) for t in tokens],
            "x_title": x_title, "y_title": y_title}


def _check(frames: Mapping[str, Any], kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"`kind` must be one of {KINDS}; got {kind!r}")
    if not isinstance(frames, Mapping):
        raise TypeError(f"`frames` must be a mapping built for kind {kind!r}; got {type(frames).__name__}")
    missing = set(KIND_KEYS[kind]) - set(frames)
    if missing:
        raise ValueError(f"`frames` for kind {kind!r} lacks {sorted(missing)}")


#: The speeds the player offers, in frames per second (its Speed menu).
SPEEDS = (1, 2, 5, 10, 30, 60)


def animation(frames: Mapping[str, Any], *, kind: str, key: str, height: int = 380, speed: int = 2) -> None:
    """Show ``frames`` in the player component.

    Parameters
    ----------
    frames : mapping
        The frames, from the builder of ``kind`` (:func:`curve_frames` for ``"curve"``, :func:`~dashboard.topics.language_model.motion.token_frames` for
        ``"tokens"``).
    kind : str
        One of :data:`KINDS`.
    key : str
        The component's widget key (also its identity across reruns).
    height : int, optional
        Height in pixels of the whole player, controls included.
    speed : int, optional
        The speed the player starts at, frames per second: one of :data:`SPEEDS` (a
        flip a second reads well; a warm-up of hundreds of frames wants 30).

    Raises
    ------
    ValueError
        An unknown ``kind``, frames that do not fit it, a payload over
        :data:`MAX_PAYLOAD_CHARS`, or a height that is not positive.
    """
    _check(frames, kind)
    if not isinstance(height, int) or height <= 0:
        raise ValueError(f"`height` must be a positive int of pixels; got {height!r}")
    if speed not in SPEEDS:
        raise ValueError(f"`speed` must be one of {SPEEDS} frames per second; got {speed!r}")
    # What the browser will receive: thin the frames rather than send more.
    size = len(json.dumps(frames))
    if size > MAX_PAYLOAD_CHARS:
        raise ValueError(f"`frames` is about {size:,} characters; thin it below {MAX_PAYLOAD_CHARS:,}")
    _component()(kind=kind, frames=dict(frames), height=height, speed=speed, key=key, default=None)

