"""Small display helpers shared by the dashboard pages (formatting, error boxes)."""

from __future__ import annotations

import math

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

__all__ = ["format_number", "show_input_error"]

#: Shown in place of a number core reports as undefined (nan).
UNDEFINED = "undefined"


def format_number(value: float, digits: int = 3) -> str:
    """``value`` with ``digits`` decimals, or ``"undefined"`` when it is nan.

    Examples
    --------
    >>> format_number(2 / 3)
    '0.667'
    >>> format_number(float("nan"))
    'undefined'
    """
    return UNDEFINED if math.isnan(value) else f"{value:.{digits}f}"


def show_input_error(exc: ValueError, where: DeltaGenerator | None = None) -> None:
    """Show core's message for a rejected input as an error box (never a stack trace)."""
    target = st if where is None else where
    target.error(f"Cannot use this input: {exc}", icon=":material/error:")
