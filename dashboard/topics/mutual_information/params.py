"""The Mutual information page's URL keys: type, bounds, default and meaning of each (no streamlit)."""

from __future__ import annotations

from dashboard.common.page_params import PageParams, Param
from dashboard.common.units import unit_param
from dashboard.topics.mutual_information.presets import MI_PRESETS

__all__ = ["GAUSSIAN", "PARAMS", "PRESET", "PRESET_NAMES", "TYPED"]

#: Where the joint table comes from (the labels of the source radio).
GAUSSIAN, PRESET, TYPED = "Bivariate Gaussian", "Preset", "Type a table"
PRESET_NAMES = tuple(MI_PRESETS)

PARAMS = PageParams(
    "mutual-information",
    "Mutual information",
    (
        Param(
            "source",
            "Joint table from",
            "choice",
            GAUSSIAN,
            choices=(GAUSSIAN, PRESET, TYPED),
            aliases={"gaussian": GAUSSIAN, "typed": TYPED, "table": TYPED},
            help="Where the joint table comes from.",
        ),
        unit_param(),
        Param(
            "rho",
            "Correlation ρ",
            "float",
            0.6,
            lo=-0.95,
            hi=0.95,
            step=0.05,
            help="Correlation of the bivariate Gaussian.",
        ),
        Param(
            "cells",
            "Cells per axis (the outer cells run to ±∞)",
            "int",
            7,
            lo=2,
            hi=15,
            help="Cells per axis of the discretised Gaussian.",
        ),
        Param(
            "preset",
            "Preset",
            "choice",
            PRESET_NAMES[0],
            choices=PRESET_NAMES,
            help="Which preset joint table is used.",
        ),
        Param(
            "joint",
            "P(X = x, Y = y): one row per value of X (new line or ;), entries by commas",
            "text",
            "0.30, 0.10\n0.05, 0.55",
            max_chars=2000,
            help="Joint probability table: rows separated by new lines or semicolons, entries by commas.",
        ),
    ),
)
