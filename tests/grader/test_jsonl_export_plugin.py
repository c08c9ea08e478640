"""The example observer plugin (examples/jsonl-export-plugin): installed, loaded, and writing.

Installed as a course would install it (tests/example_plugins.py); `probstats grade` in a
subprocess finds it by its entry point and it appends one JSON line per graded file.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.example_plugins import install_example, plugin_env

SECRET = "jsonl-test-secret"
Q3 = "interview.perplexity_from_nll"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return install_example("jsonl-export-plugin", tmp_path_factory.mktemp("jsonl-export"))


def probstats(site: Path, *args: str, cwd: Path, export: Path) -> subprocess.CompletedProcess[str]:
    env = plugin_env(site, PROBSTATS_COURSE_SECRET=SECRET, PROBSTATS_JSONL_EXPORT=str(export))
    env.pop("PROBSTATS_COURSE", None)
    return subprocess.run(
        [sys.executable, "-m", "grader", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def test_listed_as_an_observer(site: Path, tmp_path: Path) -> None:
    result = probstats(site, "plugins", cwd=tmp_path, export=tmp_path / "x.jsonl")
    line = next(row for row in result.stdout.splitlines() if row.startswith("jsonl_export"))
    assert "submission_graded" in line and "entry point" in line


def test_each_graded_submission_is_one_line(site: Path, tmp_path: Path) -> None:
    export = tmp_path / "graded.jsonl"
    files = []
    for student, answer in (("s1", "exp(3)"), ("s2", "12")):
        path = tmp_path / f"{student}.json"
        path.write_text(json.dumps({"student_id": student, "answers": {Q3: answer, "nope.x": 1}}))
        files.append(str(path))
    db = f"sqlite:///{tmp_path / 'gb.db'}"
    result = probstats(site, "grade", *files, "--db", db, "--json", cwd=tmp_path, export=export)
    assert result.returncode == 1, result.stderr  # the unknown exercise id is a bad part
    graded = json.loads(result.stdout)["files"]
    lines = [json.loads(line) for line in export.read_text(encoding="utf-8").splitlines()]
    assert [line["student_id"] for line in lines] == ["s1", "s2"]
    for line, shown in zip(lines, graded, strict=True):
        assert line["attempt_id"] == shown["attempt_id"] and line["attempt_id"] is not None
        assert line["points"] == shown["points"]
        assert [f["exercise_id"] for f in line["feedback"]] == [Q3]
        assert line["errors"][0]["exercise_id"] == "nope.x"
        assert line["graded_at"].endswith("+00:00")
    # A second run appends.
    probstats(site, "grade", files[0], "--db", db, cwd=tmp_path, export=export)
    assert len(export.read_text(encoding="utf-8").splitlines()) == 3
