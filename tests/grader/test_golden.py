"""Golden variants: an edited generate without a version bump is caught by ``probstats check``."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from grader import build_registry, load_exercises, run_checks
from grader.golden import (
    DEFAULT_GOLDEN_PATH,
    GOLDEN_SEEDS,
    golden_warnings,
    read_golden,
    write_golden,
)
from grader.variants import params_for_seed
from tests.grader.helpers import ExercisesPlugin, doubling
from tests.probstats.helpers import run


def test_the_committed_golden_variants_match_the_catalogue() -> None:
    # The guard itself: a built-in generate edited without a version bump fails here.
    golden = read_golden(DEFAULT_GOLDEN_PATH)
    registry = load_exercises()
    assert set(golden["exercises"]) == set(registry.exercises)
    assert golden_warnings(registry.exercises.values(), golden) == []


def test_the_file_records_each_seed_and_version(tmp_path: Path) -> None:
    exercise = doubling(version=4)
    path = tmp_path / "golden.json"
    assert write_golden(path, [exercise]) == 1
    data = json.loads(path.read_text())
    assert data["seeds"] == list(GOLDEN_SEEDS)
    assert data["exercises"] == {
        "demo.double": {"version": 4, "params": [params_for_seed(exercise, s) for s in GOLDEN_SEEDS]}
    }


def test_an_edited_generator_warns_until_bumped_and_recorded(tmp_path: Path) -> None:
    path = tmp_path / "golden.json"
    original = doubling()
    write_golden(path, [original])
    edited = replace(original, generate=lambda rng: {"x": int(rng.integers(1, 1000)) + 1})
    (warning,) = golden_warnings([edited], read_golden(path))
    assert warning.startswith("demo.double: generate draws other parameters for seed(s) 0, 1, 2 than the golden")
    assert "bump the exercise's `version`" in warning
    bumped = replace(edited, version=2)
    (warning,) = golden_warnings([bumped], read_golden(path))
    assert "the golden variants are of version 1, the exercise is version 2" in warning
    write_golden(path, [bumped])
    assert golden_warnings([bumped], read_golden(path)) == []
    # An unchanged generator and an exercise without golden variants are quiet.
    assert golden_warnings([original, doubling("demo.other")], {**read_golden(path), "exercises": {
        "demo.double": {"version": 1, "params": [params_for_seed(original, s) for s in GOLDEN_SEEDS]}}}) == []


def test_the_report_fails_on_a_golden_warning(tmp_path: Path) -> None:
    path = tmp_path / "golden.json"
    write_golden(path, [doubling()])
    edited = doubling(generate=lambda rng: {"x": 7})
    registry = build_registry(builtin=False, extra_plugins=[("mine", ExercisesPlugin(edited))])
    report = run_checks(registry, n_variants=2, golden=read_golden(path))
    assert [r.ok for r in report.results] == [True]
    assert not report.ok and len(report.golden_warnings) == 1
    assert report.to_text().splitlines()[-2].startswith("warning: demo.double: generate draws other")
    assert report.to_dict()["golden_warnings"] == report.golden_warnings


def test_read_golden_refuses_another_file(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text("[1]")
    with pytest.raises(ValueError, match=r"bad.json: expected an object with `seeds` and `exercises`"):
        read_golden(tmp_path / "bad.json")
    assert read_golden(tmp_path / "missing.json")["exercises"] == {}


def test_cli_check_update_golden(capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    q3 = "interview.perplexity_from_nll"
    path = tmp_path / "golden.json"
    code, _, err = run(capsys, "check", "--variants", "1", "--exercise", q3, "--update-golden", "--golden", str(path))
    assert code == 0 and err.endswith(f"wrote the golden variants of 1 exercise(s) to {path}\n")
    assert list(read_golden(path)["exercises"]) == [q3]
    data = read_golden(path)
    data["exercises"][q3]["params"][0] = {"nll": -1.0}  # as if generate had changed
    path.write_text(json.dumps(data))
    code, out, _ = run(capsys, "check", "--variants", "1", "--exercise", q3, "--golden", str(path))
    assert code == 1
    assert out.splitlines()[1].startswith(f"warning: {q3}: generate draws other parameters for seed(s) 0 ")
    code, out, _ = run(capsys, "check", "--variants", "1", "--exercise", q3, "--golden", str(path), "--json")
    assert len(json.loads(out)["golden_warnings"]) == 1
