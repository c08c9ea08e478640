"""The units an information quantity can be shown in, and the logarithm base of each."""

from __future__ import annotations

import math
from typing import TypeVar

from dashboard.common.page_params import Param

T = TypeVar("T")

__all__ = ["UNITS", "in_unit", "unit_base", "unit_param"]

#: Natural-log units first: the course's default.
UNITS = ("nats", "bits")


def unit_base(unit: str) -> float | None:
    """The log base core takes for ``unit``: None (natural log) for nats, 2 for bits.

    Examples
    --------
    >>> unit_base("bits")
    2.0
    """
    if unit not in UNITS:
        raise ValueError(f"`unit` must be 'nats' or 'bits'; got {unit!r}")
    return None if unit == "nats" else 2.0


def in_unit(nats: T, unit: str) -> T:
    """An information quantity given in nats, expressed in ``unit`` (bits = nats / ln 2).

    Works on a float, a numpy array or a pandas Series alike.

    Examples
    --------
    >>> round(in_unit(math.log(2), "bits"), 12)
    1.0
    """
    return nats if unit_base(unit) is None else nats / math.log(2.0)  # type: ignore[return-value, operator]


def unit_param(
    key: str = "unit",
    label: str = "Unit",
    help: str = "Unit of the information quantities: nats (natural log) or bits (log base 2).",
) -> Param:
    """The URL parameter choosing a unit (nats by default), as the information pages declare it."""
    return Param(key, label, "choice", UNITS[0], choices=UNITS, help=help)
