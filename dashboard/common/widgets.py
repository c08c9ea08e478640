"""Streamlit widgets built from a :class:`~dashboard.common.page_params.Param`, bound to the URL.

A page declares its URL state once (its ``params.py``); these helpers turn one declared
parameter into its widget (label, bounds, step, default, ``key=param.key`` and
``bind="query-params"``), so the widget and the contract cannot drift apart. Call
:func:`normalise_query` once at the top of the page, before any widget: a hand-typed
value Streamlit would not recognise (``?unit=Bits``, ``?ng_param=std``, ``?heads=10.0``)
is read through :meth:`Param.parse` and handed to the widget as if it had been typed in it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from dashboard.common import inputs
from dashboard.common.page_params import PageParams, Param

__all__ = ["FamilyWidgets", "family_params", "normalise_query", "number", "radio", "row", "select", "slider", "text",
           "text_area", "toggle"]

_BIND = "query-params"


def normalise_query(page: PageParams) -> dict[str, str]:
    """Read the page's URL values through the contract before its widgets are created.

    For each key of ``page`` in the URL whose widget does not exist yet in this session:
    a valid value that is not written canonically (another case, an alias, ``10.0`` for
    an int) is put into ``st.session_state`` as the typed value, so the widget shows it;
    an invalid value is dropped in favour of the default and reported.

    Returns
    -------
    dict of str to str
        The error message for each ignored value, by key (also shown as a warning).
    """
    errors: dict[str, str] = {}
    for param in page.params:
        if param.key not in st.query_params or param.key in st.session_state:
            continue
        raw = st.query_params[param.key]
        try:
            value = param.parse(raw)
        except ValueError as exc:
            errors[param.key] = str(exc)
            st.session_state[param.key] = param.default
            continue
        if param.to_query(value) != raw:
            st.session_state[param.key] = value
    for key, message in errors.items():
        st.warning(f"The link's value for “{page[key].label}” was ignored: {message}", icon=":material/link_off:")
    return errors


def _target(where: DeltaGenerator | None) -> Any:
    return st if where is None else where


def _numeric(param: Param) -> dict[str, Any]:
    """Bounds, default and step in the widget's own type (ints stay ints)."""
    if param.kind not in ("int", "float"):
        raise ValueError(f"param `{param.key}`: its kind is {param.kind!r}, not a number")
    as_int = param.kind == "int"

    def cast(value: object) -> int | float:
        if not isinstance(value, (int, float)):
            raise TypeError(f"param `{param.key}`: {value!r} is not a number")
        return int(value) if as_int else float(value)

    spec: dict[str, Any] = {"value": cast(param.default)}
    for name, bound in (("min_value", param.lo), ("max_value", param.hi), ("step", param.step)):
        if bound is not None:
            spec[name] = cast(bound)
    return spec


def _choice(param: Param) -> dict[str, Any]:
    if param.kind != "choice":
        raise ValueError(f"param `{param.key}`: its kind is {param.kind!r}, not a choice")
    return {"options": param.choices, "index": param.choices.index(str(param.default))}


def _text(param: Param) -> dict[str, Any]:
    if param.kind != "text":
        raise ValueError(f"param `{param.key}`: its kind is {param.kind!r}, not text")
    return {"value": param.default, "max_chars": param.max_chars}


def number(param: Param, where: DeltaGenerator | None = None, **options: Any) -> Any:
    """``st.number_input`` for a float or int ``param`` (extra ``options`` such as ``format``)."""
    return _target(where).number_input(param.label, **_numeric(param), key=param.key, bind=_BIND, **options)


def slider(param: Param, where: DeltaGenerator | None = None, **options: Any) -> Any:
    """``st.slider`` for a float or int ``param`` with both bounds."""
    if param.lo is None or param.hi is None:
        raise ValueError(f"param `{param.key}`: a slider needs both bounds")
    return _target(where).slider(param.label, **_numeric(param), key=param.key, bind=_BIND, **options)


def select(param: Param, where: DeltaGenerator | None = None, **options: Any) -> str:
    """``st.selectbox`` over the choice labels of ``param``; returns the chosen label."""
    return str(_target(where).selectbox(param.label, **_choice(param), key=param.key, bind=_BIND, **options))


def radio(param: Param, where: DeltaGenerator | None = None, **options: Any) -> str:
    """``st.radio`` over the choice labels of ``param`` (e.g. ``horizontal=True``)."""
    return str(_target(where).radio(param.label, **_choice(param), key=param.key, bind=_BIND, **options))


def text(param: Param, where: DeltaGenerator | None = None, **options: Any) -> str:
    """``st.text_input`` for a text ``param``."""
    return str(_target(where).text_input(param.label, **_text(param), key=param.key, bind=_BIND, **options))


def text_area(param: Param, where: DeltaGenerator | None = None, **options: Any) -> str:
    """``st.text_area`` for a text ``param`` (tables typed one row per line)."""
    return str(_target(where).text_area(param.label, **_text(param), key=param.key, bind=_BIND, **options))


def toggle(param: Param, where: DeltaGenerator | None = None, **options: Any) -> bool:
    """``st.toggle`` for a bool ``param``."""
    if param.kind != "bool":
        raise ValueError(f"param `{param.key}`: its kind is {param.kind!r}, not a bool")
    return bool(_target(where).toggle(param.label, value=bool(param.default), key=param.key, bind=_BIND, **options))


def row(*widgets: tuple[Callable[..., Any], Param]) -> list[Any]:
    """Widgets side by side, one column each: ``row((slider, p), (number, q))``; their values in order."""
    columns = st.columns(len(widgets))
    return [make(param, column) for (make, param), column in zip(widgets, columns, strict=True)]



@dataclass(frozen=True)
class FamilyWidgets:
    """A page's params for the parameters of the five families, by core's argument name.

    The page names each of its params here (``PARAMS["clt_p"]``, ...), so its source
    shows every key it builds a widget from. ``dirichlet`` is a typed list of α or
    three sliders α₁, α₂, α₃.
    """

    p: Param
    probs: Param
    mu: Param
    sigma: Param
    alpha: Param
    beta: Param
    dirichlet: Param | tuple[Param, Param, Param]


def family_params(family: str, specs: FamilyWidgets, *,
                  side_by_side: bool = False) -> tuple[dict[str, object], ValueError | None]:
    """The parameter widgets of ``family`` (core's lower-case name), from ``specs``.

    ``side_by_side`` puts a family's two sliders in two columns (the Dirichlet's three
    sliders always are).

    Returns
    -------
    (dict, ValueError or None)
        core's keyword arguments for the family, and the error of a typed list that is
        not numbers (for the page to show where it shows its errors; the dict then lacks
        that argument).
    """
    def sliders(*params: Param) -> list[Any]:
        if side_by_side:
            return row(*((slider, p) for p in params))
        return [slider(p) for p in params]

    def typed(param: Param, name: str) -> tuple[dict[str, object], ValueError | None]:
        try:
            return {name: inputs.parse_numbers(text(param), name)}, None
        except ValueError as exc:
            return {}, exc

    if family == "bernoulli":
        return {"p": slider(specs.p)}, None
    if family == "categorical":
        return typed(specs.probs, "probs")
    if family == "gaussian":
        return dict(zip(("mu", "sigma"), sliders(specs.mu, specs.sigma), strict=True)), None
    if family == "beta":
        return dict(zip(("alpha", "beta"), sliders(specs.alpha, specs.beta), strict=True)), None
    if family != "dirichlet":
        raise ValueError(f"`family` must be one of bernoulli, categorical, gaussian, beta, dirichlet; got {family!r}")
    if isinstance(specs.dirichlet, tuple):
        return {"alpha": tuple(row(*((slider, p) for p in specs.dirichlet)))}, None
    return typed(specs.dirichlet, "alpha")
