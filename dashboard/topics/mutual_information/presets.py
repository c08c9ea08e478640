"""The ready-made joint tables of the mutual information page (no streamlit: the URL contract lists their names)."""

from __future__ import annotations

__all__ = ["MI_PRESETS"]

#: Ready-made joint tables (X on rows) for the mutual information page.
MI_PRESETS: dict[str, tuple[tuple[float, ...], ...]] = {
    "Independent coins": ((0.25, 0.25), (0.25, 0.25)),
    "Y copies X": ((0.5, 0.0), (0.0, 0.5)),
    "Noisy copy (10% flips)": ((0.45, 0.05), (0.05, 0.45)),
    "Word and next word": (
        (0.30, 0.05, 0.05),
        (0.05, 0.20, 0.05),
        (0.02, 0.03, 0.25),
    ),
}
