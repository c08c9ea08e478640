"""run_checks and CheckReport: what `probstats check` and the Instructor page show."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from grader import (
    CheckReport,
    Misconception,
    Number,
    UnknownExercise,
    build_registry,
    grade_answer,
    hookimpl,
    run_checks,
    variant_for,
)
from grader.authoring import separation_problem
from grader.checks import CHECK_SECRET
from tests.grader.helpers import doubling

CORPUS = Path(__file__).parent / "plugin_corpus"


def plugin_of(*exercises):
    """A plugin object registering ``exercises`` (as tests and embedding code use)."""

    @hookimpl
    def register_exercises(register):
        for exercise in exercises:
            register(exercise)

    return SimpleNamespace(register_exercises=register_exercises)


def registry_with(*exercises, plugins_dir=None):
    return build_registry(
        builtin=False, autoload=False, plugins_dir=plugins_dir, extra_plugins=[("own", plugin_of(*exercises))]
    )


def test_a_passing_exercise() -> None:
    report = run_checks(registry_with(doubling(), doubling("demo.other")), exercise_ids=["demo.double"], n_variants=3)
    assert isinstance(report, CheckReport)
    assert (report.ok, report.passed, report.load_errors) == (True, 1, [])
    assert report.to_text().splitlines() == ["demo.double: ok (3 distinct of 3 variants)", "1 of 1 exercises passed"]
    assert report.to_dict() == {
        "exercises": [
            {"exercise_id": "demo.double", "variants": 3, "distinct_variants": 3, "problems": [], "ok": True}
        ],
        "load_errors": [],
        "notes": [],
    }


def test_all_exercises_by_default_in_registry_order() -> None:
    report = run_checks(registry_with(doubling("demo.b"), doubling("demo.a")), n_variants=1)
    assert [r.exercise_id for r in report.results] == ["demo.a", "demo.b"]
    assert report.ok


def test_a_misconception_that_is_the_right_answer_is_reported() -> None:
    same = doubling("own.same", misconceptions=(Misconception("same", "oops", lambda p: 2 * p["x"]),))
    report = run_checks(registry_with(same, doubling("own.fine")), n_variants=2)
    assert (report.ok, report.passed) == (False, 1)
    assert report.to_text().splitlines() == [
        "own.fine: ok (2 distinct of 2 variants)",
        "own.same: 2 problem(s) (2 distinct of 2 variants)",
        "  variant 0: misconception 'same' gives the correct answer (score 1.0)",
        "  variant 1: misconception 'same' gives the correct answer (score 1.0)",
        "1 of 2 exercises passed",
    ]


def test_load_errors_make_the_report_fail(tmp_path: Path) -> None:
    folder = tmp_path / "plugins"
    folder.mkdir()
    (folder / "import_error.py").write_text((CORPUS / "import_error.py").read_text())
    registry = registry_with(doubling(), plugins_dir=folder)
    report = run_checks(registry, n_variants=1)
    assert report.passed == 1 and len(report.results) == 1
    assert report.ok is False
    assert report.load_errors == [str(e) for e in registry.errors] != []
    assert report.load_errors[0].startswith("plugin 'import_error.py': failed to import")


def test_bad_variants_and_unknown_ids() -> None:
    registry = registry_with(doubling())
    with pytest.raises(ValueError, match=r"`n_variants` must be an integer >= 1; got 0"):
        run_checks(registry, n_variants=0)
    with pytest.raises(ValueError, match=r"`n_variants` must be an integer >= 1; got True"):
        run_checks(registry, n_variants=True)
    with pytest.raises(UnknownExercise, match=r"unknown exercise id 'nope\.x'"):
        run_checks(registry, exercise_ids=["nope.x"])


def test_a_misconception_in_the_imprecise_band_is_reported_per_exercise() -> None:
    # A deliberately bad plugin declaration: the "rounded early" answer is 0.5% off, inside
    # the tolerance's imprecise band (10 x 1e-3), so its holder is told "give more digits".
    # It scores 0 and is recognised by name, which the older checks accepted.
    bad = doubling(
        "own.rounded",
        answer=Number(rtol=1e-3),
        misconceptions=(Misconception("rounded_early", "You rounded too early.", lambda p: 2 * p["x"] * 1.005),),
    )
    report = run_checks(registry_with(bad, doubling("own.fine")), n_variants=2)
    assert (report.ok, report.passed) == (False, 1)
    assert report.to_text().splitlines() == [
        "own.fine: ok (2 distinct of 2 variants)",
        "own.rounded: 2 problem(s) (2 distinct of 2 variants)",
        "  variant 0: not told apart by the answer's tolerance: misconception 'rounded_early' gives the expected answer, to within its tolerance",
        "  variant 1: not told apart by the answer's tolerance: misconception 'rounded_early' gives the expected answer, to within its tolerance",
        "1 of 2 exercises passed",
    ]
    outcome = grade_answer(bad, 2 * 1.005 * variant_for("check-0", bad, secret=CHECK_SECRET).params["x"], student_id="check-0", secret=CHECK_SECRET)
    assert (outcome.score, outcome.misconception) == (0.0, "rounded_early")  # what the older checks saw


def test_two_misconceptions_graded_as_each_other_are_reported() -> None:
    twins = doubling(
        "own.twins",
        misconceptions=(
            Misconception("halved", "You halved it.", lambda p: p["x"] / 2),
            Misconception("halved_again", "Also halved.", lambda p: p["x"] / 2),
        ),
    )
    (result,) = run_checks(registry_with(twins), n_variants=1).results
    assert result.problems == ["variant 0: misconception 'halved_again' is not recognised (recognised: 'halved')"]
    problem = separation_problem(twins.answer, 2.0, [("halved", 0.5), ("halved_again", 0.5)])
    assert problem == "misconception 'halved_again' would be graded as 'halved'"


def test_the_catalogue_passes_the_separation_check() -> None:
    report = run_checks(build_registry(autoload=False), n_variants=3)
    assert [p for r in report.results for p in r.problems] == []
