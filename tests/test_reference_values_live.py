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


def test_arviz_exercise_values_are_current() -> None:
    pytest.importorskip("arviz")
    from tests.data.make_reference_values import arviz_exercise_values

    live = arviz_exercise_values()
    assert set(live) == set(FROZEN["arviz_exercises"])
    for exercise_id, students in live.items():
        assert set(students) == set(FROZEN["arviz_exercises"][exercise_id])
        for student, values in students.items():
            for key, value in values.items():
                np.testing.assert_allclose(value, FROZEN["arviz_exercises"][exercise_id][student][key], rtol=1e-10,
                                           err_msg=f"{exercise_id}, {student}: {key}")


def test_torch_sampling_values_are_current() -> None:
    pytest.importorskip("torch")
    from tests.data.make_reference_values import torch_sampling_values

    live = torch_sampling_values()
    frozen = FROZEN["torch_sampling"]
    assert set(live) == set(frozen)
    for name in ("top_p_logits", "top_k_logits"):  # packed kept masks: exact
        assert live[name] == frozen[name], name
    for key, value in live["ppo_clip_trl"].items():
        np.testing.assert_allclose(value, frozen["ppo_clip_trl"][key], rtol=1e-12, err_msg=f"ppo_clip_trl: {key}")
    assert set(live["sampling.kl_div_trap"]) == set(frozen["sampling.kl_div_trap"])
    for student, values in live["sampling.kl_div_trap"].items():
        for key, value in values.items():
            np.testing.assert_allclose(value, frozen["sampling.kl_div_trap"][student][key], rtol=1e-12,
                                       err_msg=f"kl_div_trap {student}: {key}")
