"""Dev test: the frozen reference values still match the installed ArviZ and PyTorch.

Skips cleanly when a library is absent (the frozen comparison in
tests/core/test_frozen_references.py needs neither). A failure means the library (or
numpy's random streams) changed: rerun `python -m tests.data.make_reference_values` and
review the diff.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

FROZEN = json.loads((Path(__file__).resolve().parent / "data" / "reference_values.json").read_text(encoding="utf-8"))


def test_arviz_values_are_current() -> None:
    pytest.importorskip("arviz")
    from tests.data.make_reference_values import arviz_values

    live = arviz_values()
    assert set(live) == set(FROZEN["arviz"])
    for name, values in live.items():
        for key, value in values.items():
            np.testing.assert_allclose(value, FROZEN["arviz"][name][key], rtol=1e-10, err_msg=f"{name}: {key}")


def test_torch_values_are_current() -> None:
    pytest.importorskip("torch")
    from tests.data.make_reference_values import torch_values

    live = torch_values()
    for dtype, values in live["cross_entropy"].items():
        for key, value in values.items():
            np.testing.assert_allclose(value, FROZEN["torch"]["cross_entropy"][dtype][key], rtol=1e-6,
                                       err_msg=f"cross_entropy {dtype}: {key}")
    for key, value in live["kl_div"].items():
        np.testing.assert_allclose(value, FROZEN["torch"]["kl_div"][key], rtol=1e-12, err_msg=f"kl_div: {key}")
