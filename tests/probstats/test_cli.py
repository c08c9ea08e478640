"""The probstats command line, driven through probstats.cli.main(argv) in a temporary folder."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from grader import Code, load_exercises, variant_for
from grader.sheet import toml_value
from tests.probstats.helpers import SECRET, run

Q3 = "interview.perplexity_from_nll"
CORPUS = Path(__file__).parents[1] / "grader" / "plugin_corpus"


@pytest.fixture
def with_plugins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Any:
    def use(*names: str) -> None:
        folder = tmp_path / "plugins"
        folder.mkdir()
        for name in names:
            (folder / name).write_text((CORPUS / name).read_text())
        monkeypatch.setenv("PROBSTATS_PLUGINS_DIR", str(folder))
        load_exercises(reload=True)

    yield use
    monkeypatch.delenv("PROBSTATS_PLUGINS_DIR", raising=False)
    load_exercises(reload=True)


def typed_exercises() -> list[Any]:
    """The exercises whose answer is typed (not code: tests/exercises/test_code_exercises.py)."""
    return [e for e in load_exercises().exercises.values() if not isinstance(e.answer, Code)]


def reference_answers(student: str) -> dict[str, Any]:
    """Each typed exercise's expected answer for this student, as a student would type it."""
    answers = {}
    for exercise in typed_exercises():
        params = variant_for(student, exercise, secret=SECRET).params
        answers[exercise.id] = exercise.answer.to_raw(exercise.expected(params))
    return answers


def test_exercises(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "exercises")
    assert code == 0
    assert out.splitlines()[0].split() == ["id", "points", "answer", "title"]
    q3_line = next(line for line in out.splitlines() if line.startswith(Q3 + " "))
    assert q3_line.split()[:3] == [Q3, "1", "number"] and q3_line.endswith("Perplexity from an average NLL (Q3)")
    assert len(out.splitlines()) == 2 + len(load_exercises().exercises)
    code, out, _ = run(capsys, "exercises", "--json", "--topic", "interview")
    data = {d["id"]: d for d in json.loads(out)}
    assert {"interview.beta_binomial_posterior", Q3} <= set(data)
    assert all(i.startswith("interview.") for i in data)
    assert data[Q3]["misconceptions"][:3] == ["bits_for_nats", "base_10", "probability_not_perplexity"]
    assert data[Q3]["plugin"] == "exercises.interview.q3_perplexity"


def test_sheet_then_grade_the_filled_template(capsys: pytest.CaptureFixture[str], workdir: Path) -> None:
    code, out, _ = run(capsys, "sheet", "--student", "s1")
    assert code == 0
    assert out.splitlines() == ["wrote sheet-s1.md", "wrote answers-s1.toml"]
    sheet = (workdir / "sheet-s1.md").read_text()
    nll = variant_for("s1", load_exercises().get(Q3), secret=SECRET).params["nll"]
    assert f"**{nll:.2f} nats**" in sheet  # the sheet shows this student's variant
    template = tomllib.loads((workdir / "answers-s1.toml").read_text())
    assert template["student_id"] == "s1"
    assert set(template["answers"]) == set(load_exercises().exercises)
    # Fill in the template with the reference answers: every exercise scores full points.
    filled = ['student_id = "s1"', "[answers]"]
    filled += [f'"{k}" = {toml_value(v)}' for k, v in reference_answers("s1").items()]
    (workdir / "answers-s1.toml").write_text("\n".join(filled) + "\n")
    code, out, _ = run(capsys, "grade", "answers-s1.toml", "--json")
    assert code == 0
    result = json.loads(out)["files"][0]
    total = sum(e.points for e in typed_exercises())
    assert result["points"] == result["max_points"] == total
    assert all(f["score"] == 1.0 for f in result["feedback"])


def test_sheet_json_matches_the_variants(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "sheet", "--student", "s7", "--json", "--exercise", Q3, "--format", "json")
    data = json.loads(out)
    variant = variant_for("s7", load_exercises().get(Q3), secret=SECRET)
    assert data["variants"][Q3]["seed"] == variant.seed
    assert data["variants"][Q3]["params"] == variant.params
    assert json.loads(data["template"]) == {"student_id": "s7", "answers": {Q3: ""}}


def test_grade_one_file_prints_feedback(capsys: pytest.CaptureFixture[str], workdir: Path) -> None:
    params = variant_for("s1", load_exercises().get(Q3), secret=SECRET).params
    nll = params["nll"]
    (workdir / "a.toml").write_text(f'student_id = "s1"\n[answers]\n"{Q3}" = "2**{nll}"\n"x.y" = 1\n')
    code, out, _ = run(capsys, "grade", "a.toml")
    assert code == 1  # a bad part needs attention
    assert out.splitlines() == [
        "a.toml (s1): 0/1 points",
        f"  {Q3}: 0/1. Incorrect. You computed 2^NLL, as if the NLL were in bits. It is in nats, "
        "so the perplexity is e^NLL. The Entropy & perplexity page, linked above, "
        "shows this with your numbers.",
        f"    see it move: dashboard page {load_exercises().get(Q3).dashboard_url(params)}",
        "  error: x.y: unknown exercise id 'x.y'",
    ]
    assert (workdir / "gradebook.db").exists()


def test_grade_many_files_summary_progress_and_file_errors(capsys: pytest.CaptureFixture[str], workdir: Path) -> None:
    for i in range(3):
        (workdir / f"s{i}.json").write_text(json.dumps({"student_id": f"s{i}", "answers": {Q3: 1}}))
    (workdir / "bad.toml").write_text("student_id = \n")
    code, out, err = run(capsys, "grade", "s0.json", "s1.json", "s2.json", "bad.toml", "--progress", "--db", f"sqlite:///{workdir / 'x.db'}")
    assert code == 1
    lines = out.splitlines()
    assert lines[0].split() == ["file", "student", "points", "graded", "errors"]
    assert lines[2].split() == ["s0.json", "s0", "0/1", "1", "0"]
    assert "grading [" in err and "4/4" in err
    assert "error: bad.toml: not valid TOML: " in err
    code, out, _ = run(capsys, "gradebook", "--db", f"sqlite:///{workdir / 'x.db'}", "--json")
    assert [(r["student_id"], r["attempts"]) for r in json.loads(out)] == [("s0", 1), ("s1", 1), ("s2", 1)]


def test_grade_no_store(capsys: pytest.CaptureFixture[str], workdir: Path) -> None:
    (workdir / "a.json").write_text(json.dumps({"answers": {Q3: 1}}))
    code, _, _ = run(capsys, "grade", "a.json", "--student", "s1", "--no-store")
    assert code == 0
    assert not (workdir / "gradebook.db").exists()


def test_gradebook_table_and_csv(capsys: pytest.CaptureFixture[str], workdir: Path) -> None:
    (workdir / "a.json").write_text(json.dumps({"student_id": "s1", "answers": {Q3: 1}}))
    run(capsys, "grade", "a.json")
    code, out, _ = run(capsys, "gradebook")
    assert code == 0
    assert out.splitlines()[2].split() == ["s1", Q3, "1", "0", "0", "1"]
    code, out, _ = run(capsys, "gradebook", "--csv", "wide.csv")
    assert out == "wrote wide.csv\n"
    assert (workdir / "wide.csv").read_text() == f"student_id,{Q3},total\npoints possible,1,1\ns1,0,0\n"
    code, out, _ = run(capsys, "gradebook", "--csv", "-", "--long")
    assert out.splitlines()[0].startswith("student_id,exercise_id,attempt_id,source")
    assert len(out.splitlines()) == 2


def test_check_passes_for_builtins(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "--variants", "5")
    assert code == 0
    n = len(load_exercises().exercises)
    assert out.splitlines()[-1] == f"{n} of {n} exercises passed"
    code, out, _ = run(capsys, "check", "--variants", "3", "--exercise", Q3, "--json")
    data = json.loads(out)
    assert data["exercises"][0] == {
        "exercise_id": Q3, "variants": 3, "distinct_variants": 3, "problems": [], "ok": True
    }


def test_check_reports_a_bad_misconception(
    capsys: pytest.CaptureFixture[str], with_plugins: Any, tmp_path: Path
) -> None:
    # A plugin whose misconception is the right answer: check must say so.
    with_plugins()
    (tmp_path / "plugins" / "same.py").write_text(
        "from grader import Exercise, Misconception, Number, hookimpl\n"
        "@hookimpl\n"
        "def register_exercises(register):\n"
        "    register(Exercise(id='own.same', title='t', generate=lambda rng: {'x': int(rng.integers(1, 10**6))},\n"
        "        prompt='{x}', solve=lambda p: p['x'], answer=Number(),\n"
        "        misconceptions=(Misconception('same', 'oops', lambda p: p['x']),)))\n"
    )
    load_exercises(reload=True)
    code, out, _ = run(capsys, "check", "--variants", "2", "--exercise", "own.same")
    assert code == 1
    assert out.splitlines() == [
        "own.same: 2 problem(s) (2 distinct of 2 variants)",
        "  variant 0: misconception 'same' gives the correct answer (score 1.0)",
        "  variant 1: misconception 'same' gives the correct answer (score 1.0)",
        "0 of 1 exercises passed",
    ]


def test_check_bad_variants(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "check", "--variants", "0")
    assert (code, err) == (1, "error: --variants must be >= 1; got 0\n")


def test_unknown_exercise_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "check", "--exercise", "nope.x")
    assert (code, err) == (1, "error: unknown exercise id 'nope.x'\n")


def test_plugins_lists_errors(capsys: pytest.CaptureFixture[str], with_plugins: Any) -> None:
    with_plugins("good_plugin.py", "raising_hook.py")
    code, out, _ = run(capsys, "plugins", "--json")
    assert code == 1
    data = {p["name"]: p for p in json.loads(out)}
    assert data["good_plugin.py"]["exercises"] == ["corpus.double", "corpus.interval"]
    assert data["good_plugin.py"]["answer_types"] == ["interval"]
    assert data["raising_hook.py"]["errors"] == ["register_exercises raised RuntimeError: boom in the hook"]
    assert data["exercises.interview.q3_perplexity"]["version"] is not None
    code, out, err = run(capsys, "exercises")
    assert code == 1
    assert "warning: plugin 'raising_hook.py': register_exercises raised RuntimeError: boom in the hook" in err
    assert "corpus.double" in out


def test_new_exercise_writes_a_package(capsys: pytest.CaptureFixture[str], workdir: Path) -> None:
    code, out, _ = run(capsys, "new-exercise", "coins")
    assert code == 0
    folder = workdir / "probstats-coins"
    assert out.splitlines()[0] == f"wrote {folder.name}"
    assert (folder / "probstats_coins" / "__init__.py").exists()
    pyproject = tomllib.loads((folder / "pyproject.toml").read_text())
    assert pyproject["project"]["entry-points"]["probstats.exercises"] == {"coins": "probstats_coins"}
    code, _, err = run(capsys, "new-exercise", "coins")
    assert (code, err) == (1, "error: probstats-coins already exists\n")
    code, _, err = run(capsys, "new-exercise", "Bad-Name")
    assert (code, err) == (
        1,
        "error: `NAME` must be a lower-case identifier (letters, digits, underscores); got 'Bad-Name'\n",
    )


def test_dashboard_runs_streamlit(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[str]] = []
    envs: list[dict[str, str]] = []
    monkeypatch.setattr(subprocess, "call", lambda command, env: calls.append(command) or envs.append(env) or 0)
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    code, _, _ = run(capsys, "dashboard", "--server.port", "8600")
    assert code == 0
    (command,) = calls
    # One BLAS thread by default; a value the user set is kept.
    assert envs[0]["OPENBLAS_NUM_THREADS"] == "1"
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "2")
    run(capsys, "dashboard")
    assert envs[1]["OPENBLAS_NUM_THREADS"] == "2"
    assert command[:4] == [sys.executable, "-m", "streamlit", "run"]
    assert command[4].endswith("dashboard/streamlit_app.py")
    options = command[5:]
    # Learner-safe defaults hold outside the repo folder, and the user's options come last (they win).
    assert options[-2:] == ["--server.port", "8600"]
    pairs = dict(zip(options[:-2:2], options[1:-2:2], strict=True))
    assert pairs["--client.toolbarMode"] == "viewer"
    assert pairs["--server.address"] == "localhost"


def _python_m(package: str, *argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    root = Path(__file__).resolve().parents[2]
    return subprocess.run(
        [sys.executable, "-m", package, *argv],
        capture_output=True, text=True, cwd=cwd, env={**__import__("os").environ, "PYTHONPATH": str(root)},
        check=False,
    )


@pytest.mark.parametrize("package", ["grader", "probstats"])
def test_python_dash_m(package: str, workdir: Path) -> None:
    done = _python_m(package, "exercises", "--json", cwd=workdir)
    assert done.returncode == 0, done.stderr
    assert Q3 in [e["id"] for e in json.loads(done.stdout)]


def test_python_dash_m_grader_points_to_probstats_dashboard(workdir: Path) -> None:
    done = _python_m("grader", "dashboard", cwd=workdir)
    assert done.returncode == 2
    assert "`probstats dashboard`" in done.stderr


def test_the_console_script_is_the_top_layer() -> None:
    from importlib.metadata import entry_points

    (script,) = [e for e in entry_points(group="console_scripts") if e.name == "probstats"]
    assert script.value == "probstats.cli:main"
