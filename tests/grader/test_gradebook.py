"""The gradebook: one transaction per submission, best/latest scores, CSV, 8 writer threads."""

from __future__ import annotations

import csv
import io
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from grader import (
    Gradebook,
    build_registry,
    grade_submission,
    parse_submission,
    variant_for,
)
from grader.gradebook import default_url, upgrade
from tests.grader.helpers import ExercisesPlugin

REGISTRY = build_registry()
Q3 = "interview.perplexity_from_nll"
Q6 = "interview.beta_binomial_posterior"


def submit(book: Gradebook, student: str, answers: dict[str, object], source: str = "test") -> object:
    submission = parse_submission({"student_id": student, "answers": answers}, source=source)
    return grade_submission(submission, REGISTRY, gradebook=book, secret="k")


def q3_right(student: str) -> str:
    nll = variant_for(student, REGISTRY.get(Q3), secret="k").params["nll"]
    return f"exp({nll})"


def test_default_url(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("PROBSTATS_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    assert default_url() == f"sqlite:///{tmp_path / 'gradebook.db'}"
    monkeypatch.setenv("PROBSTATS_DB", "sqlite:///elsewhere.db")
    assert default_url() == "sqlite:///elsewhere.db"


def test_sqlite_file_uses_wal(tmp_path: Path) -> None:
    book = Gradebook(f"sqlite:///{tmp_path / 'gb.db'}")
    with book.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    book.close()


def test_record_stores_answers_seed_score_feedback_source(book: Gradebook) -> None:
    result = submit(book, "s1", {Q3: q3_right("s1"), "nope.x": 1}, source="hw1.toml")
    rows = book.attempts(student_id="s1")
    assert len(rows) == 1
    row = rows[0]
    assert row["exercise_id"] == Q3
    assert row["answer"] == q3_right("s1")
    assert row["seed"] == variant_for("s1", REGISTRY.get(Q3), secret="k").seed
    assert (row["score"], row["points"], row["max_points"]) == (1.0, 1.0, 1.0)
    assert row["feedback"]["message"] == "Correct."
    assert row["source"] == "hw1.toml"
    assert row["attempt_id"] == result.attempt_id
    # The variant itself and the generator's version, beside the seed.
    assert row["params"] == variant_for("s1", REGISTRY.get(Q3), secret="k").params
    assert row["generator_version"] == REGISTRY.get(Q3).version == 1
    uploads = book.uploads(student_id="s1")
    assert uploads[0]["errors"] == [{"exercise_id": "nope.x", "message": "unknown exercise id 'nope.x'"}]
    assert book.students() == ["s1"]


def test_best_and_latest(book: Gradebook) -> None:
    submit(book, "s1", {Q3: 1})  # wrong
    submit(book, "s1", {Q3: q3_right("s1")})  # right
    submit(book, "s1", {Q3: 2})  # wrong again
    (row,) = book.best_scores()
    assert (row.student_id, row.exercise_id, row.attempts) == ("s1", Q3, 3)
    assert (row.best_score, row.latest_score, row.best_points, row.latest_points) == (1.0, 0.0, 1.0, 0.0)


def test_a_failing_transaction_stores_nothing(book: Gradebook) -> None:
    submission = parse_submission({"student_id": "s1", "answers": {Q3: 1, Q6: {"alpha": 1}}}, source="t")
    result = grade_submission(submission, REGISTRY, secret="k")
    # The second row cannot be written (not JSON-serialisable): the whole file rolls back.
    result.feedback[1] = type(result.feedback[1])(**{**result.feedback[1].__dict__, "answer": object()})
    with pytest.raises(TypeError, match="not JSON serializable"):
        book.record(result)
    assert book.submission_count() == 0
    assert book.uploads() == []
    assert book.students() == []


def test_csv_wide_and_long(book: Gradebook) -> None:
    submit(book, "s2", {Q3: q3_right("s2")})
    submit(book, "s1", {Q3: 1, Q6: {"alpha": 1, "beta": 1, "mean": 0, "map": 0, "mle": 0}})
    wide = list(csv.reader(io.StringIO(book.csv_text())))
    assert wide == [
        ["student_id", Q6, Q3, "total"],
        ["points possible", "2", "1", "3"],
        ["s1", "0", "0", "0"],
        ["s2", "", "1", "1"],
    ]
    long = list(csv.DictReader(io.StringIO(book.csv_text(long=True))))
    assert [(r["student_id"], r["exercise_id"], r["points"]) for r in long] == [
        ("s2", Q3, "1.0"),
        ("s1", Q3, "0.0"),
        ("s1", Q6, "0.0"),
    ]
    assert set(long[0]) == {
        "student_id", "exercise_id", "attempt_id", "source", "created_at",
        "score", "points", "max_points", "misconception", "seed", "answer",
    }


def test_csv_to_a_path_with_chosen_columns(book: Gradebook, tmp_path: Path) -> None:
    submit(book, "s1", {Q3: q3_right("s1")})
    target = tmp_path / "out.csv"
    book.export_csv(target, exercise_ids=[Q3, "other.x"])
    assert target.read_text().splitlines() == [
        "student_id,interview.perplexity_from_nll,other.x,total",
        "points possible,1,,1",
        "s1,1,,1",
    ]


def test_eight_threads_times_500_submissions(book: Gradebook) -> None:
    exercise = REGISTRY.get(Q3)
    errors: list[BaseException] = []

    def worker(thread: int) -> None:
        try:
            for i in range(500):
                student = f"t{thread}-s{i % 50}"
                submission = parse_submission({"student_id": student, "answers": {exercise.id: i}}, source=f"t{thread}")
                grade_submission(submission, REGISTRY, gradebook=book, secret="k")
        except BaseException as exc:  # surfaced in the main thread below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(t,)) for t in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert book.submission_count() == 4000
    with book.engine.connect() as conn:
        assert conn.scalar(sa.text("SELECT count(*) FROM attempts")) == 4000
        assert conn.scalar(sa.text("SELECT count(*) FROM students")) == 400


def test_in_memory_gradebook(tmp_path: Path) -> None:
    book = Gradebook("sqlite://")
    submit(book, "s1", {Q3: 1})
    assert book.submission_count() == 1


def test_stored_params_outlive_an_edited_generator(book: Gradebook) -> None:
    from dataclasses import replace

    exercise = REGISTRY.get(Q3)
    submit(book, "s1", {Q3: 1})
    before = variant_for("s1", exercise, secret="k").params
    edited = replace(exercise, generate=lambda rng: {"nll": 9.5}, version=2)
    registry = build_registry(builtin=False, extra_plugins=[("edited", ExercisesPlugin(edited))])
    grade_submission(parse_submission({"student_id": "s1", "answers": {Q3: 1}}, source="t"), registry,
                     gradebook=book, secret="k")
    first, second = book.attempts(student_id="s1")
    assert (first["params"], first["generator_version"]) == (before, 1)
    assert (second["params"], second["generator_version"]) == ({"nll": 9.5}, 2)
    assert first["seed"] == second["seed"]  # the seed alone could not tell them apart


def test_an_older_gradebook_gains_the_new_columns(book: Gradebook) -> None:
    submit(book, "s1", {Q3: 1})
    # Make it look like a gradebook from before the columns (and Alembic) existed, then upgrade.
    with book.engine.begin() as conn:
        for column in ("params", "generator_version"):
            conn.exec_driver_sql(f"ALTER TABLE submissions DROP COLUMN {column}")
        conn.exec_driver_sql("DROP TABLE alembic_version")
    assert {c["name"] for c in sa.inspect(book.engine).get_columns("submissions")}.isdisjoint(
        {"params", "generator_version"}
    )
    assert upgrade(book.engine) == ["0001", "0002"]
    assert upgrade(book.engine) == []  # once only
    assert {"params", "generator_version"} <= {c["name"] for c in sa.inspect(book.engine).get_columns("submissions")}
    submit(book, "s1", {Q3: 2})
    old, new = book.attempts(student_id="s1")
    assert (old["params"], old["generator_version"]) == (None, None)
    assert new["generator_version"] == 1 and set(new["params"]) == {"nll"}
    assert len(book.best_scores()) == 1


def test_an_old_sqlite_file_opens(tmp_path: Path) -> None:
    # The submissions table exactly as the first release created it.
    path = tmp_path / "old.db"
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE students (id VARCHAR(64) PRIMARY KEY, created_at DATETIME NOT NULL)")
        conn.exec_driver_sql(
            "CREATE TABLE attempts (id INTEGER PRIMARY KEY AUTOINCREMENT, student_id VARCHAR(64) NOT NULL "
            "REFERENCES students(id), source VARCHAR(512) NOT NULL, created_at DATETIME NOT NULL, "
            "n_graded INTEGER NOT NULL, errors TEXT NOT NULL)"
        )
        conn.exec_driver_sql(
            "CREATE TABLE submissions (id INTEGER PRIMARY KEY AUTOINCREMENT, attempt_id INTEGER NOT NULL "
            "REFERENCES attempts(id), student_id VARCHAR(64) NOT NULL REFERENCES students(id), "
            "exercise_id VARCHAR(128) NOT NULL, answer TEXT NOT NULL, seed BIGINT NOT NULL, score FLOAT NOT NULL, "
            "points FLOAT NOT NULL, max_points FLOAT NOT NULL, misconception VARCHAR(128), feedback TEXT NOT NULL, "
            "source VARCHAR(512) NOT NULL, created_at DATETIME NOT NULL)"
        )
        conn.exec_driver_sql("INSERT INTO students VALUES ('s0', '2026-01-01 00:00:00')")
        conn.exec_driver_sql("INSERT INTO attempts VALUES (1, 's0', 'old.toml', '2026-01-01 00:00:00', 1, '[]')")
        conn.exec_driver_sql(
            "INSERT INTO submissions VALUES (1, 1, 's0', 'interview.perplexity_from_nll', '1', 7, 0.0, 0.0, 1.0, "
            "NULL, '{}', 'old.toml', '2026-01-01 00:00:00')"
        )
    engine.dispose()
    book = Gradebook(f"sqlite:///{path}")
    submit(book, "s1", {Q3: 1})
    rows = book.attempts()
    assert [(r["student_id"], r["seed"], r["generator_version"]) for r in rows] == [("s0", 7, None), ("s1", rows[1]["seed"], 1)]
    book.close()


def test_record_refuses_an_id_outside_the_rule(book: Gradebook) -> None:
    from grader import GradedSubmission

    with pytest.raises(ValueError, match=r"`student_id` may hold only letters, digits and \. _ - @; got '=1\+1'"):
        book.record(GradedSubmission("=1+1", "t"))
    assert book.students() == []


def test_queries_read_the_id_with_the_same_rule(book: Gradebook) -> None:
    submit(book, "s1", {Q3: 1})
    assert [r.student_id for r in book.best_scores(student_id="ｓ１")] == ["s1"]
    assert len(book.attempts(student_id="ｓ１")) == len(book.uploads(student_id="ｓ１")) == 1
    with pytest.raises(ValueError, match="found '/'"):
        book.attempts(student_id="s1/../x")
