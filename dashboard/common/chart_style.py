"""What every chart shares: the row limit, the height, and checks of the data it gets."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

__all__ = ["HEIGHT", "MAX_ROWS", "check_frame", "in_order"]

MAX_ROWS = 5000

HEIGHT = 320

# Colour ranges, matched to categories in order of first appearance in the data.

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


