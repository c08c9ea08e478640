"""What every chart shares: the row limit, the height, and checks of the data it gets."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import altair as alt
import pandas as pd

from dashboard.common.palette import concept_range

__all__ = ["HEIGHT", "MAX_ROWS", "check_frame", "concept_scale", "in_order"]

MAX_ROWS = 5000

HEIGHT = 320


def check_frame(data: pd.DataFrame, name: str, columns: Iterable[str]) -> None:
    """Raise ValueError unless ``data`` is a DataFrame with ``columns`` and few enough rows."""
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"`{name}` must be a pandas DataFrame, got {type(data).__name__}")
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise ValueError(f"`{name}` is missing column(s) {missing}; has {list(data.columns)}")
    if len(data) > MAX_ROWS:
        raise ValueError(
            f"`{name}` has {len(data)} rows; thin it to at most {MAX_ROWS} before charting"
        )


def in_order(values: pd.Series) -> list[str]:
    """Category names in order of first appearance (legend and colour order)."""
    return [str(v) for v in pd.unique(values)]




def concept_scale(colours: Mapping[str, str], shown: Sequence[str] | None = None) -> alt.Scale:
    """A colour scale giving each legend label its concept's colour (see
    :func:`dashboard.common.palette.concept_range`)."""
    domain, colour_range = concept_range(colours, shown)
    return alt.Scale(domain=domain, range=colour_range)
