"""A Streamlit component for code answers: a monospace text area with line numbers.

The feedback on a code answer names lines of it ("line 3: ..."), so the student should
see those numbers while typing. The front end is static files shipped in this package
(``frontend/``): no CDN, no download and nothing to build, like
:mod:`dashboard.common.animation`. ``editor.js`` speaks Streamlit's component protocol by
hand (``streamlit:componentReady``, ``streamlit:render``, ``streamlit:setFrameHeight``,
``streamlit:setComponentValue``): a gutter of line numbers that scrolls with the text,
Tab inserting four spaces (Shift+Tab or Esc leaves the editor, as its hint says), colours
from the app's theme, and the text sent back 300 ms after typing stops and on blur.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import streamlit.components.v1 as components

__all__ = ["MAX_CHARS", "MIN_HEIGHT", "code_editor"]

#: The longest initial text accepted (characters): a code answer, not a file dump.
MAX_CHARS = 100_000
#: The smallest height of the text area, in pixels (a few lines).
MIN_HEIGHT = 60

_FRONTEND = Path(__file__).resolve().parent / "frontend"


@functools.cache
def _component() -> Any:
    """The component, declared on first use (inside a script run), for the reason given in
    :func:`dashboard.common.animation._component`."""
    return components.declare_component("code_editor", path=str(_FRONTEND))


def code_editor(value: str, *, key: str, height: int = 260, label: str = "") -> str:
    """Show a code area with line numbers; return the text in it.

    Inside an ``st.form`` the browser's text reaches Python when the form is submitted;
    outside one, each send reruns the page.

    Parameters
    ----------
    value : str
        The text the area starts with (kept across reruns while the student types).
    key : str
        The component's widget key: its identity across reruns, and where
        ``st.session_state`` holds the browser's text.
    height : int, optional
        Height of the text area in pixels (label and hint come on top), at least
        :data:`MIN_HEIGHT`.
    label : str, optional
        The caption over the area, also its accessible name.

    Returns
    -------
    str
        The text the browser last sent, or ``value`` until it sends one (always so where
        no browser runs the component, as under Streamlit's AppTest).

    Raises
    ------
    TypeError
        ``value``, ``key`` or ``label`` is not a str.
    ValueError
        An empty ``key``, a ``value`` longer than :data:`MAX_CHARS`, or a ``height`` that
        is not an int of at least :data:`MIN_HEIGHT` pixels.
    """
    for name, given in (("value", value), ("key", key), ("label", label)):
        if not isinstance(given, str):
            raise TypeError(f"`{name}` must be a str; got {type(given).__name__}")
    if not key:
        raise ValueError("`key` must be a non-empty str (the editor's identity across reruns)")
    if len(value) > MAX_CHARS:
        raise ValueError(f"`value` has {len(value):,} characters; at most {MAX_CHARS:,} are accepted")
    if isinstance(height, bool) or not isinstance(height, int) or height < MIN_HEIGHT:
        raise ValueError(f"`height` must be an int of at least {MIN_HEIGHT} pixels; got {height!r}")
    sent = _component()(value=value, height=height, label=label, key=key, default=None)
    # None until the browser sends the text; anything but a str is not ours to trust.
    return sent if isinstance(sent, str) else value
