"""The MCMC and sampling exercises' expected answers against ArviZ's and torch's outputs,
frozen in tests/data/reference_values.json.

Neither library is imported: `python -m tests.data.make_reference_values` froze them on
the variants of tests/reference_inputs.py's EXERCISE_CASES (the student ids and secrets of
test_mcmc_exercises.py and test_sampling_exercises.py, whose live versions remain there).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from grader import grade_answer
from tests.reference_inputs import EXERCISE_CASES, exercise_of, exercise_variants, fingerprint

FROZEN: dict[str, Any] = json.loads(
    (Path(__file__).resolve().parents[1] / "data" / "reference_values.json").read_text(encoding="utf-8")
)
RTOL = 1e-8  # as for core's diagnostics in tests/core/test_frozen_references.py


def frozen_variants(section: str, exercise_id: str) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(student, params, frozen values) per frozen student, failing if the inputs moved."""
    frozen = FROZEN[section][exercise_id]
    assert set(frozen) == set(EXERCISE_CASES[exercise_id][2])
    out = []
    for student, params in exercise_variants(exercise_id):
        current = params["p"] + params["q"] if "p" in params else fingerprint(np.array(params["chains"]))
        np.testing.assert_allclose(
            current, frozen[student]["input"], rtol=1e-12,
            err_msg=f"{exercise_id}, {student}: the variant differs from the one frozen: "
            "run `python -m tests.data.make_reference_values` with ArviZ and torch installed",
        )
        out.append((student, params, frozen[student]))
    return out


def grade(exercise_id: str, student: str, raw: object):
    return grade_answer(exercise_of(exercise_id), raw, student_id=student, secret=EXERCISE_CASES[exercise_id][1])


def test_rhat_and_ess_match_frozen_arviz() -> None:
    exercise = exercise_of("mcmc.rhat_ess")
    for student, params, frozen in frozen_variants("arviz_exercises", "mcmc.rhat_ess")[:8]:
        assert student.startswith("diag-")
        expected = exercise.expected(params).values
        assert expected["rhat"] == pytest.approx(frozen["rhat"], rel=RTOL)
        assert expected["ess_bulk"] == pytest.approx(frozen["ess_bulk"], rel=RTOL)
        answer = {"rhat": frozen["rhat"], "ess_bulk": frozen["ess_bulk"]}
        assert grade("mcmc.rhat_ess", student, answer).score == 1.0
        assert grade("mcmc.rhat_ess", student, {**answer, "ess_bulk": 200}).misconception == "counted_draws"


def test_converged_matches_frozen_arviz_and_balanced() -> None:
    exercise = exercise_of("mcmc.converged")
    verdicts = []
    for student, params, frozen in frozen_variants("arviz_exercises", "mcmc.converged"):
        verdict = "converged" if frozen["rhat"] < 1.01 else "not converged"
        assert exercise.expected(params) == verdict
        assert grade("mcmc.converged", student, verdict).score == 1.0
        verdicts.append(verdict)
    assert len(verdicts) == 30
    # both answers occur: a student cannot pass by always giving the same one
    assert 5 <= verdicts.count("converged") <= 25


def test_chains_are_small_and_clear_of_the_threshold_by_frozen_arviz() -> None:
    exercise = exercise_of("mcmc.rhat_ess")
    thresholds = [case for case in frozen_variants("arviz_exercises", "mcmc.rhat_ess") if case[0].startswith("thr-")]
    assert len(thresholds) == 30
    for _, params, frozen in thresholds:
        assert np.array(params["chains"]).shape == (4, 50)
        assert abs(frozen["rhat"] - 1.01) > 0.003
        assert exercise.expected(params).values["rhat"] == pytest.approx(frozen["rhat"], rel=RTOL)


def test_kl_div_trap_matches_frozen_torch() -> None:
    exercise = exercise_of("sampling.kl_div_trap")
    for student, params, frozen in frozen_variants("torch_sampling", "sampling.kl_div_trap"):
        expected = exercise.expected(params).values
        assert expected["printed"] == pytest.approx(frozen["printed"], rel=1e-12)
        assert expected["kl"] == pytest.approx(frozen["kl"], rel=1e-12)
        assert grade("sampling.kl_div_trap", student, {"printed": frozen["printed"], "kl": frozen["kl"]}).score == 1.0
