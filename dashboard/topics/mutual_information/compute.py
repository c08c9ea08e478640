"""Cached wrappers around :mod:`core` for the Mutual information page: numbers and small frames for its charts."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import pandas as pd
import streamlit as st

from core.information import (
    conditional_entropy,
    entropy,
    gaussian_mutual_information,
    joint_entropy,
    mutual_information,
    pointwise_mutual_information,
)
from core.joint_tables import discretised_bivariate_gaussian
from dashboard.common.limits import CACHE_ENTRIES
from dashboard.common.units import unit_base
from dashboard.topics.mutual_information.presets import MI_PRESETS

__all__ = [
    "CLOSED_FORM",
    "DISCRETISED",
    "JOINT",
    "MI_PRESETS",
    "PMI",
    "PMI_CLIP",
    "PRODUCT",
    "RHO_SWEEP",
    "TEXT_CELLS",
    "GaussianTable",
    "MutualInformationSummary",
    "cell_labels",
    "gaussian_mi",
    "gaussian_table",
    "index_labels",
    "information_diagram",
    "joint_heatmaps",
    "mutual_information_summary",
    "mutual_information_sweep",
]

# --- Mutual information page

#: Correlations in the MI-against-ρ sweep (stops short of ±1, where MI is infinite).
RHO_SWEEP = tuple(float(r) for r in np.round(np.linspace(-0.95, 0.95, 39), 3))
#: Names of the panels of the joint-table heatmaps and the curves of the sweep.
JOINT, PRODUCT, PMI = "P(X, Y)", "P(X) P(Y)", "PMI log P(x,y) / P(x)P(y)"
CLOSED_FORM, DISCRETISED = "closed form −½ log(1 − ρ²)", "discretised table"
#: Grids up to this many cells print each cell's value on it (no room on finer ones).
TEXT_CELLS = 36
#: The PMI heatmap's colours stop at ± this many nats or bits (labels keep the true value).
PMI_CLIP = 3.0


@dataclass(frozen=True)
class GaussianTable:
    """A discretised bivariate Gaussian and the labels of its cells."""

    joint: tuple[tuple[float, ...], ...]
    labels: tuple[str, ...]


@dataclass(frozen=True)
class MutualInformationSummary:
    """The entropies of a joint table and I(X; Y), in one unit."""

    h_x: float
    h_y: float
    h_xy: float
    h_x_given_y: float
    h_y_given_x: float
    mi: float


def index_labels(
    joint: tuple[tuple[float, ...], ...],
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Labels "0", "1", … for the rows and the columns of a typed or preset table.

    Examples
    --------
    >>> index_labels(((0.5, 0.25, 0.25),))
    (('0',), ('0', '1', '2'))
    """
    n_cols = len(joint[0]) if joint else 0
    return tuple(str(i) for i in range(len(joint))), tuple(str(j) for j in range(n_cols))


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def gaussian_table(rho: float, n_cells: int) -> GaussianTable:
    """The standard bivariate Gaussian with correlation ``rho`` on ``n_cells``² cells."""
    d = discretised_bivariate_gaussian(rho, n_cells=n_cells)
    return GaussianTable(
        joint=tuple(tuple(float(v) for v in row) for row in d.table),
        labels=cell_labels(tuple(float(e) for e in d.edges)),
    )


def _signed(value: float, fmt: str) -> str:
    return format(round(value, 2) + 0.0, fmt).replace("-", "−")  # + 0.0: no "−0.00"


def cell_labels(edges: tuple[float, ...]) -> tuple[str, ...]:
    """Inner cells by their centre; the two outer cells, which run to ∓∞, as open intervals.

    Examples
    --------
    >>> cell_labels((-float("inf"), -3.0, -1.0, 1.0, 3.0, float("inf")))
    ('(−∞, −3)', '−2.00', '+0.00', '+2.00', '(3, ∞)')
    """
    inner = [_signed((a + b) / 2, "+.2f") for a, b in pairwise(edges[1:-1])]
    return (f"(−∞, {_signed(edges[1], 'g')})", *inner, f"({_signed(edges[-2], 'g')}, ∞)")


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def gaussian_mi(rho: float, unit: str) -> float:
    """The closed form −½ log(1 − ρ²) of a bivariate Gaussian's mutual information."""
    return float(gaussian_mutual_information(rho, base=unit_base(unit)))


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def mutual_information_summary(
    joint: tuple[tuple[float, ...], ...], unit: str
) -> MutualInformationSummary:
    """H(X), H(Y), H(X, Y), H(X|Y), H(Y|X) and I(X; Y) of ``joint`` (X on rows)."""
    base = unit_base(unit)
    table = np.asarray(joint, dtype=float) if joint else np.zeros((0, 0))
    h_xy = joint_entropy(table, base=base)  # validates the table first
    return MutualInformationSummary(
        h_x=float(entropy(table.sum(axis=1), base=base)),
        h_y=float(entropy(table.sum(axis=0), base=base)),
        h_xy=h_xy,
        h_x_given_y=conditional_entropy(table, base=base),
        h_y_given_x=conditional_entropy(table.T, base=base),
        mi=mutual_information(table, base=base),
    )


def information_diagram(summary: MutualInformationSummary) -> pd.DataFrame:
    """Segments of the Venn-style bar: H(X) and H(Y) overlapping by I(X; Y).

    Columns ``entropy`` (H(X), H(Y), H(X, Y)), ``part``, ``start``, ``end``, ``value``.
    """
    s = summary
    segments = [
        ("H(X)", "H(X|Y)", 0.0, s.h_x_given_y),
        ("H(X)", "I(X;Y)", s.h_x_given_y, s.h_x),
        ("H(Y)", "I(X;Y)", s.h_x_given_y, s.h_x),
        ("H(Y)", "H(Y|X)", s.h_x, s.h_x + s.h_y_given_x),
        ("H(X, Y)", "H(X|Y)", 0.0, s.h_x_given_y),
        ("H(X, Y)", "I(X;Y)", s.h_x_given_y, s.h_x),
        ("H(X, Y)", "H(Y|X)", s.h_x, s.h_xy),
    ]
    frame = pd.DataFrame(segments, columns=["entropy", "part", "start", "end"])
    frame["value"] = frame["end"] - frame["start"]
    return frame


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def joint_heatmaps(
    joint: tuple[tuple[float, ...], ...],
    x_labels: tuple[str, ...],
    y_labels: tuple[str, ...],
    unit: str,
) -> pd.DataFrame:
    """P(X, Y), P(X)P(Y) and the pointwise MI of every cell, long format.

    Columns ``x``, ``y`` (cell labels), ``xi``, ``yi`` (row and column positions),
    ``panel``, ``value`` (nan where the PMI is −∞ or
    undefined, which a heatmap cannot colour), ``shade`` (the colour: the value, the
    PMI's clipped to ±PMI_CLIP), ``impossible`` (P(x, y) = 0: PMI −∞, drawn grey) and
    ``text`` (the value as shown, "−∞" where P(x, y) = 0) and ``label`` (``text``,
    printed on the cell, or empty on grids of more than TEXT_CELLS cells).
    """
    base = unit_base(unit)
    table = np.asarray(joint, dtype=float) if joint else np.zeros((0, 0))
    pmi = pointwise_mutual_information(table, base=base)  # validates the table
    if len(x_labels) != table.shape[0] or len(y_labels) != table.shape[1]:
        raise ValueError(
            f"`x_labels` and `y_labels` must label the {table.shape[0]}×{table.shape[1]} "
            f"table; got {len(x_labels)} and {len(y_labels)}"
        )
    product = np.outer(table.sum(axis=1), table.sum(axis=0))
    xs, ys = np.meshgrid(x_labels, y_labels, indexing="ij")
    xi, yi = np.indices(table.shape)
    printed = table.size <= TEXT_CELLS
    frames = []
    for panel, values in ((JOINT, table), (PRODUCT, product), (PMI, pmi)):
        finite = np.where(np.isfinite(values), values, np.nan)
        text = np.where(
            np.isneginf(values), "−∞", np.where(np.isnan(values), "undefined", np.char.mod("%.3f", finite))
        )
        # Only the PMI's colour is clipped, so one extreme cell cannot wash out the rest.
        shade = np.clip(finite, -PMI_CLIP, PMI_CLIP) if panel == PMI else finite
        frames.append(
            pd.DataFrame(
                {"x": xs.ravel(), "y": ys.ravel(), "xi": xi.ravel(), "yi": yi.ravel(), "panel": panel,
                 "value": finite.ravel(), "shade": shade.ravel(), "impossible": np.isneginf(values).ravel(),
                 "text": text.ravel(), "label": text.ravel() if printed else ""}
            )
        )
    return pd.concat(frames, ignore_index=True)


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _discretised_sweep_nats(n_cells: int) -> tuple[float, ...]:
    # The costly part (a table per ρ), in nats: a change of unit only rescales it.
    return tuple(
        mutual_information(discretised_bivariate_gaussian(r, n_cells=n_cells).table) for r in RHO_SWEEP
    )


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def mutual_information_sweep(n_cells: int, unit: str) -> pd.DataFrame:
    """I(X; Y) against ρ: the closed form beside the discretised table on ``n_cells``².

    Long format: ``rho``, ``curve`` (CLOSED_FORM or DISCRETISED), ``mi``.
    """
    base = unit_base(unit)
    rho = np.asarray(RHO_SWEEP)
    discretised = np.asarray(_discretised_sweep_nats(n_cells)) / (np.log(base) if base else 1.0)  # nats -> unit
    return pd.concat(
        [
            pd.DataFrame({"rho": rho, "curve": CLOSED_FORM,
                          "mi": np.asarray(gaussian_mutual_information(rho, base=base))}),
            pd.DataFrame({"rho": rho, "curve": DISCRETISED, "mi": discretised}),
        ],
        ignore_index=True,
    )
