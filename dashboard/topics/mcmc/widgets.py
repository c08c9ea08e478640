"""Widgets built from the page's parameter contract, and the URL kept equal to the screen.

Each widget takes its label, bounds, step and default from :data:`params.PARAMS`. The
URL is written by :func:`sync_url`, not by Streamlit's widget binding: after a run of
the script every key whose widget is on screen carries its value (left out when it is
the default) and every key whose widget is hidden is removed, so the URL always shows
what is on screen (a side that switches back to its default sampler drops the key).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from dashboard.topics.mcmc.params import PARAMS

__all__ = ["read_url", "sync_url", "widget"]

#: Display formats of the float inputs whose default "%.2f" would hide their value.
_FORMATS = {"step_size": "%.6f", "mh_scale": "%.3f", "rho": "%.3f", "banana_b": "%.3f", "mh_accept": "%.3f"}
#: Keys drawn as sliders rather than number inputs.
_SLIDERS = ("mh_accept", "accept")


def read_url() -> dict[str, str]:
    """Once per session, put the URL's values into the widgets' state; return the errors.

    A value's internal name is accepted for its label (``funnel`` for ``Funnel``); an
    invalid value is left out (its widget shows the default) and reported.
    """
    if st.session_state.get("_mcmc_url_read"):
        return {}
    st.session_state["_mcmc_url_read"] = True
    canonical, errors = PARAMS.normalise({k: st.query_params[k] for k in st.query_params})
    for key, text in canonical.items():
        st.session_state[key] = PARAMS[key].parse(text)
    return errors


def widget(key: str, where: DeltaGenerator | None = None, *, shown: list[str], **extra: Any) -> Any:
    """The widget of URL key ``key`` in ``where``; its key is appended to ``shown``."""
    param = PARAMS[key]
    place: Any = st if where is None else where
    if key not in st.session_state:
        st.session_state[key] = param.default
    shown.append(key)
    common = {"key": key, "help": param.help or None, **extra}
    if param.kind == "choice":
        return place.selectbox(param.label, list(param.choices), **common)
    if param.kind == "bool":
        return place.toggle(param.label, **common)
    if param.kind == "text":
        return place.text_input(param.label, max_chars=param.max_chars, **common)
    if param.kind == "int":
        assert param.lo is not None and param.hi is not None
        return place.number_input(param.label, min_value=int(param.lo), max_value=int(param.hi),
                                  step=int(param.step or 1), **common)
    assert param.lo is not None and param.hi is not None
    if key.removesuffix("_b") in _SLIDERS:
        return place.slider(param.label, min_value=float(param.lo), max_value=float(param.hi),
                            step=param.step, format=_FORMATS.get(key, "%.2f"), **common)
    return place.number_input(param.label, min_value=float(param.lo), max_value=float(param.hi),
                              step=param.step, format=_FORMATS.get(key.removesuffix("_b"), "%.2f"),
                              **common)


def sync_url(shown: Iterable[str], scope: Iterable[str]) -> None:
    """Make the URL's keys in ``scope`` match the screen: shown non-defaults set, others gone."""
    on_screen = set(shown)
    for key in scope:
        value = st.session_state.get(key)
        param = PARAMS[key]
        if key in on_screen and value is not None and param.check(value) != param.check(param.default):
            text = param.to_query(value)
            if st.query_params.get(key) != text:
                st.query_params[key] = text
        elif key in st.query_params:
            del st.query_params[key]
