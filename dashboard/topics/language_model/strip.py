"""Text drawn as HTML on the Language model page: a sentence coloured by surprisal, and a
prompt with its generated continuation (no streamlit; every piece of text is escaped)."""

from __future__ import annotations

import html
import math

import pandas as pd

from dashboard.common.chart_style import check_frame

__all__ = ["generated_html", "surprisal_colour", "surprisal_html"]

# Light to dark orange (the ends of Vega's "oranges" scheme, which the surprisal bars use).
_LOW = (255, 245, 235)
_HIGH = (217, 72, 1)
#: Surprisal (in nats) drawn darkest; larger values are clipped to it.
TOP_NATS = 12.0


def surprisal_colour(nats: float) -> str:
    """Background colour of a token with surprisal ``nats``: light when expected, dark when surprising.

    Examples
    --------
    >>> surprisal_colour(0.0), surprisal_colour(100.0)
    ('#fff5eb', '#d94801')
    """
    share = 0.0 if math.isnan(nats) else min(max(nats / TOP_NATS, 0.0), 1.0)
    r, g, b = (round(lo + (hi - lo) * share) for lo, hi in zip(_LOW, _HIGH, strict=True))
    return f"#{r:02x}{g:02x}{b:02x}"


def surprisal_html(tokens: pd.DataFrame, unit: str) -> str:
    """The sentence as a strip of tokens, each on a background coloured by its surprisal.

    Parameters
    ----------
    tokens : pandas.DataFrame
        Columns ``text`` (as written), ``surprisal`` (in ``unit``, NaN if unscored) and
        ``probability``.
    unit : str
        "nats" or "bits": the colour is always scaled in nats, so both units look alike.
    """
    check_frame(tokens, "tokens", ("text", "surprisal", "probability"))
    to_nats = 1.0 if unit == "nats" else math.log(2.0)
    spans = []
    for text, surprisal, probability in zip(tokens["text"], tokens["surprisal"], tokens["probability"], strict=True):
        nats = float(surprisal) * to_nats
        colour = surprisal_colour(nats)
        ink = "#ffffff" if nats > TOP_NATS * 0.6 else "#1a1a1a"
        title = ("first token: not scored" if math.isnan(nats)
                 else f"p = {probability:.4g}, surprisal {float(surprisal):.3f} {unit}")
        shown = html.escape(text).replace(" ", "&nbsp;").replace("\n", "↵")
        border = "1px dashed #999" if math.isnan(nats) else "1px solid rgba(0,0,0,0.08)"
        spans.append(
            f'<span title="{html.escape(title)}" style="background:{colour};color:{ink};border:{border};'
            f'border-radius:3px;padding:2px 1px;margin:0 1px;font-family:monospace;font-size:1.05rem">{shown}</span>'
        )
    return f'<div style="line-height:2.2;margin:0.5rem 0">{"".join(spans)}</div>'


def generated_html(prompt: str, generated: str) -> str:
    """The prompt in grey followed by the generated text in bold, whitespace kept."""
    return (
        '<div class="lm-generated" style="white-space:pre-wrap;font-family:monospace;font-size:1.05rem;padding:0.6rem;'
        'border:1px solid rgba(128,128,128,0.35);border-radius:6px;margin:0.4rem 0">'
        f'<span style="opacity:0.6">{html.escape(prompt)}</span><b>{html.escape(generated)}</b></div>'
    )
