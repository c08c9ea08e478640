"""The instructor's example plugin (examples/course-plugin): installed, listed, checked, graded.

Installed as a course would install it (tests/example_plugins.py), and the `probstats` CLI
run in a subprocess that finds it by its entry point.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.example_plugins import REPO_ROOT, install_example, plugin_env

PLUGIN_SOURCE = Path(__file__).resolve().parents[2] / "examples" / "course-plugin"
SECRET = "plugin-test-secret"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the installed plugin (its package and dist-info with the entry point)."""
    target = install_example("course-plugin", tmp_path_factory.mktemp("course-plugin"))
    assert (target / "probstats_smoothing" / "__init__.py").is_file()
    return target


def probstats(site: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = plugin_env(site, PROBSTATS_COURSE_SECRET=SECRET)
    return subprocess.run(
        [sys.executable, "-m", "grader", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def test_listed_by_probstats_exercises_and_plugins(site: Path, tmp_path: Path) -> None:
    listing = probstats(site, "exercises", "--topic", "smoothing", cwd=tmp_path)
    assert listing.returncode == 0, listing.stderr
    assert "smoothing.unseen_token" in listing.stdout
    assert "smoothing.heldout_perplexity" in listing.stdout
    plugins = probstats(site, "plugins", cwd=tmp_path)
    line = next(row for row in plugins.stdout.splitlines() if row.startswith("smoothing"))
    assert "entry point" in line and "0.1.0" in line


def test_passes_probstats_check(site: Path, tmp_path: Path) -> None:
    result = probstats(
        site, "check", "--exercise", "smoothing.unseen_token", "--exercise", "smoothing.heldout_perplexity",
        "--variants", "50", cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 of 2 exercises passed" in result.stdout


def test_a_submission_is_graded(site: Path, tmp_path: Path) -> None:
    # The student's variant, read through the installed plugin in the same environment.
    script = (
        "import json, grader; r = grader.load_exercises(); "
        "print(json.dumps({i: grader.variant_for('s1', r.get(i)).params "
        "for i in ('smoothing.unseen_token', 'smoothing.heldout_perplexity')}))"
    )
    env = {k: v for k, v in os.environ.items() if k != "PROBSTATS_DISABLE_PLUGIN_AUTOLOAD"}
    env.update(PYTHONPATH=os.pathsep.join([str(site), str(REPO_ROOT)]), PROBSTATS_COURSE_SECRET=SECRET)
    out = subprocess.run([sys.executable, "-c", script], env=env, cwd=tmp_path, capture_output=True, text=True, check=True)
    variants = json.loads(out.stdout)

    # Closed forms written here: P(k) = (n_k + α) / (N + Kα); perplexity = exp(mean NLL).
    unseen = variants["smoothing.unseen_token"]
    k, n, alpha = len(unseen["counts"]), sum(unseen["counts"]), unseen["alpha"]
    held = variants["smoothing.heldout_perplexity"]
    denom = sum(held["counts"]) + len(held["counts"]) * held["alpha"]
    nll = -sum(math.log((held["counts"][t] + held["alpha"]) / denom) for t in held["text"]) / len(held["text"])
    answers = {"smoothing.unseen_token": alpha / (n + k * alpha), "smoothing.heldout_perplexity": math.exp(nll)}
    wrong = {"smoothing.unseen_token": alpha / (n + alpha), "smoothing.heldout_perplexity": math.exp(nll)}

    for name, submitted in (("right", answers), ("wrong", wrong)):
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps({"student_id": "s1", "answers": submitted}), encoding="utf-8")
        result = probstats(site, "grade", "--no-store", "--json", str(path), cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        feedback = {f["exercise_id"]: f for f in json.loads(result.stdout)["files"][0]["feedback"]}
        assert feedback["smoothing.heldout_perplexity"]["score"] == 1.0
        unseen_fb = feedback["smoothing.unseen_token"]
        if name == "right":
            assert unseen_fb["score"] == 1.0
        else:
            assert unseen_fb["score"] == 0.0
            assert unseen_fb["misconception"] == "alpha_added_once"


def test_the_plugins_own_tests_pass(site: Path, tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")  # leave no __pycache__ in examples/
    env["PYTHONPATH"] = os.pathsep.join([str(site), str(REPO_ROOT)])
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", str(PLUGIN_SOURCE / "tests")],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
