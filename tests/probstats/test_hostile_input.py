"""Hostile and careless input to ``probstats sheet`` and ``probstats grade`` (issue 12, section 3).

Each test is a probe that once escaped as a traceback, stopped a batch, blocked, ran
for minutes or wrote outside the output folder; each now has a per-file message.
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path
from typing import Any

import pytest

from grader import load_exercises, variant_for
from probstats import cli
from tests.probstats.helpers import SECRET, run

Q3 = "interview.perplexity_from_nll"
Q6 = "interview.beta_binomial_posterior"  # 2 points
CORPUS = Path(__file__).parents[1] / "grader" / "plugin_corpus"




def raw_json(value: str, student: str = "s1") -> str:
    """A JSON submission whose Q3 answer is the literal JSON text ``value``."""
    return '{"student_id": "' + student + '", "answers": {"' + Q3 + '": ' + value + "}}"


def write_json(folder: Path, name: str, answers: dict[str, Any], student: str = "s1") -> str:
    (folder / name).write_text(json.dumps({"student_id": student, "answers": answers}))
    return name


class TestSheet:
    def test_a_path_in_the_id_is_refused_and_nothing_is_written(
        self, capsys: pytest.CaptureFixture[str], workdir: Path
    ) -> None:
        (workdir / "out" / "sheet-x").mkdir(parents=True)  # so the old traversal succeeded
        code, out, err = run(capsys, "sheet", "--student", "x/../../../ESCAPED", "--out-dir", "out")
        assert code == 1 and out == ""
        assert err.endswith("error: `--student` may hold only letters, digits and . _ - @; "
                            "got 'x/../../../ESCAPED' (found '/')\n")
        assert [p.name for p in workdir.parent.rglob("*ESCAPED*")] == []

    def test_an_emoji_id_is_refused_before_a_template_is_written(
        self, capsys: pytest.CaptureFixture[str], workdir: Path
    ) -> None:
        code, _, err = run(capsys, "sheet", "--student", "s\U0001f600", "--out-dir", "out")
        assert code == 1 and "found '\U0001f600'" in err
        assert not (workdir / "out").exists() or list((workdir / "out").iterdir()) == []

    def test_a_symlink_in_the_out_dir_is_not_followed(
        self, capsys: pytest.CaptureFixture[str], workdir: Path
    ) -> None:
        victim = workdir / "victim.txt"
        victim.write_text("precious")
        (workdir / "out").mkdir()
        (workdir / "out" / "answers-s1.toml").symlink_to(victim)
        code, _, err = run(capsys, "sheet", "--student", "s1", "--out-dir", "out")
        assert code == 1
        assert "answers-s1.toml: is a symbolic link; refusing to write through it" in err
        assert victim.read_text() == "precious"

    def test_a_fullwidth_id_is_the_same_student(self, capsys: pytest.CaptureFixture[str], workdir: Path) -> None:
        code, out, _ = run(capsys, "sheet", "--student", "ｓ１", "--out-dir", "out")
        assert code == 0
        assert out.splitlines() == ["wrote out/sheet-s1.md", "wrote out/answers-s1.toml"]


class TestGradeInputs:
    @pytest.mark.parametrize(
        ("name", "text", "message"),
        [
            ("int5001.json", raw_json("9" * 5001),
             "int5001.json: not valid JSON: an integer has more than 4300 digits"),
            ("int5001.toml", f'student_id = "s1"\n[answers]\n"{Q3}" = {"9" * 5001}\n',
             "int5001.toml: not valid TOML: an integer has more than 4300 digits"),
            ("deep.json", raw_json("[" * 1000 + "1" + "]" * 1000),
             "deep.json: not valid JSON: nested too deeply"),
            ("deep.toml", f'student_id = "s1"\n[answers]\n"{Q3}" = {"[" * 1000}1{"]" * 1000}\n',
             "deep.toml: not valid TOML: nested too deeply"),
            ("deep40.json", raw_json("[" * 40 + "1" + "]" * 40),
             "deep40.json: nested more than 16 levels deep"),
        ],
    )
    def test_file_level_probes_are_one_message_each(
        self, capsys: pytest.CaptureFixture[str], workdir: Path, name: str, text: str, message: str
    ) -> None:
        (workdir / name).write_text(text)
        assert len(text.encode()) < 6000  # each fits in a few KB
        code, _, err = run(capsys, "grade", name, "--no-store")
        assert code == 1
        assert f"error: {message}\n" in err
        assert "Traceback" not in err

    @pytest.mark.parametrize("fmt", ["json", "toml"])
    def test_a_401_digit_integer_is_an_unreadable_answer(
        self, capsys: pytest.CaptureFixture[str], workdir: Path, fmt: str
    ) -> None:
        big = "9" * 401
        text = (
            raw_json(big)
            if fmt == "json"
            else f'student_id = "s1"\n[answers]\n"{Q3}" = {big}\n'
        )
        (workdir / f"a.{fmt}").write_text(text)
        code, out, _ = run(capsys, "grade", f"a.{fmt}", "--no-store")
        assert code == 1
        assert out.splitlines()[0] == f"a.{fmt} (s1): 0/1 points"
        assert f"  error: {Q3}: the answer is too large to be a number (over 1e308)" in out.splitlines()

    def test_one_bad_file_does_not_stop_the_batch(self, capsys: pytest.CaptureFixture[str], workdir: Path) -> None:
        write_json(workdir, "first.json", {Q3: 1}, "s1")
        (workdir / "deep.json").write_text('{"answers": ' + "[" * 1000 + "]" * 1000 + "}")
        (workdir / "huge.json").write_text(raw_json("9" * 401, "s3"))
        write_json(workdir, "last.json", {Q3: 2}, "s4")
        code, out, _ = run(capsys, "grade", "first.json", "deep.json", "huge.json", "last.json", "--json")
        assert code == 1
        data = json.loads(out)
        assert [f["source"] for f in data["files"]] == ["first.json", "huge.json", "last.json"]
        assert data["file_errors"] == ["deep.json: not valid JSON: nested too deeply"]
        _, out, _ = run(capsys, "gradebook", "--json")
        assert [(r["student_id"], r["attempts"]) for r in json.loads(out)] == [("s1", 1), ("s3", 1), ("s4", 1)]

    def test_fifo_directory_and_device_are_refused_at_once(
        self, capsys: pytest.CaptureFixture[str], workdir: Path
    ) -> None:
        os.mkfifo(workdir / "fifo.toml")  # opening it for reading used to wait for a writer
        (workdir / "folder.json").mkdir()
        (workdir / "zero.toml").symlink_to("/dev/zero")  # used to read without end
        code, _, err = run(capsys, "grade", "fifo.toml", "folder.json", "zero.toml", "/dev/zero", "--no-store")
        assert code == 1
        assert [line for line in err.splitlines() if line.startswith("error:")] == [
            "error: fifo.toml: not a regular file (a FIFO)",
            "error: folder.json: not a regular file (a folder)",
            "error: zero.toml: not a regular file (a device)",
            "error: /dev/zero: not a regular file (a device)",
        ]

    def test_the_size_bound_comes_from_the_option_or_the_environment(
        self, capsys: pytest.CaptureFixture[str], workdir: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        (workdir / "big.json").write_text(json.dumps({"student_id": "s1", "answers": {Q3: 1}, "pad": "x" * 1_000_001}))
        size = (workdir / "big.json").stat().st_size
        code, _, err = run(capsys, "grade", "big.json", "--no-store")
        assert code == 1 and f"error: big.json: the file has {size} bytes; the limit is 1000000\n" in err
        code, _, err = run(capsys, "grade", "big.json", "--no-store", "--max-bytes", str(size))
        assert "the limit is" not in err  # read and graded: only the unknown key is reported
        write_json(workdir, "small.json", {Q3: 1})
        monkeypatch.setenv("PROBSTATS_MAX_SUBMISSION_BYTES", "10")
        code, _, err = run(capsys, "grade", "small.json", "--no-store")
        assert code == 1 and "the limit is 10\n" in err
        monkeypatch.setenv("PROBSTATS_MAX_SUBMISSION_BYTES", "lots")
        code, _, err = run(capsys, "grade", "small.json", "--no-store")
        assert (code, err.splitlines()[-1]) == (
            1, "error: PROBSTATS_MAX_SUBMISSION_BYTES must be a whole number of bytes; got 'lots'"
        )

    def test_near_miss_ids_get_a_bounded_number_of_suggestions(
        self, capsys: pytest.CaptureFixture[str], workdir: Path
    ) -> None:
        # 100,000 near misses in 4 MB: each suggestion cost 9 ms, over 600 s in all.
        answers = {f"{Q3[:-1]}{i}": 1 for i in range(100_000)}
        write_json(workdir, "near.json", answers)
        size = (workdir / "near.json").stat().st_size
        assert 3_900_000 < size < 4_100_000
        code, out, _ = run(capsys, "grade", "near.json", "--no-store", "--max-bytes", str(size), "--json")
        assert code == 1
        errors = json.loads(out)["files"][0]["errors"]
        assert len(errors) == 100_000
        suggested = [e for e in errors if "did you mean" in e["message"]]
        assert len(suggested) == 20
        assert errors[0]["message"] == f"unknown exercise id '{Q3[:-1]}0'; did you mean '{Q3}'?"
        assert errors[-1]["message"] == f"unknown exercise id '{Q3[:-1]}99999'"


class TestScoresAndExports:
    def test_a_malformed_answer_is_zero_out_of_its_points(
        self, capsys: pytest.CaptureFixture[str], workdir: Path
    ) -> None:
        nll = variant_for("s1", load_exercises().get(Q3), secret=SECRET).params["nll"]
        write_json(workdir, "a.json", {Q3: f"exp({nll})", Q6: "not a table"})
        code, out, _ = run(capsys, "grade", "a.json")
        assert code == 1
        assert out.splitlines()[0] == "a.json (s1): 1/3 points"  # was 1/1: Q6's 2 points vanished
        _, wide, _ = run(capsys, "gradebook", "--csv", "-")
        assert list(csv.reader(io.StringIO(wide))) == [
            ["student_id", Q6, Q3, "total"],
            ["points possible", "2", "1", "3"],
            ["s1", "0", "1", "1"],
        ]
        _, long, _ = run(capsys, "gradebook", "--csv", "-", "--long")
        rows = {r["exercise_id"]: r for r in csv.DictReader(io.StringIO(long))}
        assert (rows[Q6]["points"], rows[Q6]["max_points"], rows[Q6]["answer"]) == ("0.0", "2.0", '"not a table"')

    def test_formula_cells_are_escaped_in_both_exports(
        self, capsys: pytest.CaptureFixture[str], workdir: Path
    ) -> None:
        write_json(workdir, "a.json", {Q3: "=HYPERLINK(\"http://x\")"}, "-s2")
        write_json(workdir, "b.json", {Q3: -1}, "@sum")
        run(capsys, "grade", "a.json", "b.json")
        _, wide, _ = run(capsys, "gradebook", "--csv", "-")
        assert [r[0] for r in csv.reader(io.StringIO(wide))] == ["student_id", "points possible", "'-s2", "'@sum"]
        _, long, _ = run(capsys, "gradebook", "--csv", "-", "--long")
        rows = list(csv.DictReader(io.StringIO(long)))
        assert [(r["student_id"], r["answer"]) for r in rows] == [
            ("'-s2", "'\"=HYPERLINK(\\\"http://x\\\")\""),
            ("'@sum", "'-1"),
        ]


class TestBrokenPlugins:
    @pytest.fixture
    def broken(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Any:
        folder = tmp_path / "plugins"
        folder.mkdir()
        for name in ("import_error.py", "solve_fails.py"):
            (folder / name).write_text((CORPUS / name).read_text())
        monkeypatch.setenv("PROBSTATS_PLUGINS_DIR", str(folder))
        load_exercises(reload=True)
        yield
        monkeypatch.delenv("PROBSTATS_PLUGINS_DIR")
        load_exercises(reload=True)

    def test_grading_refuses_to_store_unless_allowed(
        self, capsys: pytest.CaptureFixture[str], workdir: Path, broken: None
    ) -> None:
        write_json(workdir, "a.json", {Q3: 1, "corpus.broken_solve": 1, "corpus.doubel": 2})
        code, out, err = run(capsys, "grade", "a.json")
        assert (code, out) == (1, "")
        assert "nothing was graded or stored" in err and "--allow-missing" in err
        assert not (workdir / "gradebook.db").exists()
        code, out, _ = run(capsys, "grade", "a.json", "--allow-missing")
        assert code == 1
        lines = out.splitlines()
        assert lines[0] == "a.json (s1): 0/1 points"
        # The broken plugin's ids get no built-in suggestions: the load error instead.
        assert "  error: corpus.broken_solve: unknown exercise id 'corpus.broken_solve': it did not load " \
            "(plugin 'solve_fails.py': exercise 'corpus.broken_solve': solve failed: " \
            "ZeroDivisionError: division by zero)" in lines
        (other,) = [line for line in lines if line.startswith("  error: corpus.doubel")]
        assert "did you mean" not in other and "failed to load" in other
        _, out, _ = run(capsys, "gradebook", "--json")
        assert [r["exercise_id"] for r in json.loads(out)] == [Q3]

    def test_no_store_grades_without_asking(self, capsys: pytest.CaptureFixture[str], workdir: Path, broken: None) -> None:
        write_json(workdir, "a.json", {Q3: 1})
        code, out, _ = run(capsys, "grade", "a.json", "--no-store")
        assert code == 1  # the load errors still need attention
        assert out.splitlines()[0] == "a.json (s1): 0/1 points"


def test_main_is_the_console_entry() -> None:
    assert cli.main.__module__ == "probstats.cli"
