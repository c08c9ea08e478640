"""Alembic migrations: a pre-Alembic gradebook upgrades and loses nothing, on SQLite and PostgreSQL.

``tests/data/gradebook_v0.json`` holds the CREATE statements of the schema as main made
it before Alembic (``tests/data/make_gradebook_v0.py`` compiled them from that code).
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from grader import Gradebook
from grader.cli import main
from grader.gradebook import current_revision, head_revision, upgrade
from grader.migrations import target_metadata
from tests.databases import fresh_postgres_url
from tests.grader.test_gradebook import submit

ROOT = Path(__file__).resolve().parents[2]
V0 = json.loads((ROOT / "tests" / "data" / "gradebook_v0.json").read_text(encoding="utf-8"))
Q3 = "interview.perplexity_from_nll"

#: Rows of every table, as a pre-Alembic gradebook held them (times in UTC; on SQLite
#: written as SQLAlchemy wrote them there, without the offset).
ROWS = {
    "students": [
        {"id": "=cmd", "created_at": "2026-01-05 10:01:00+00:00"},
        {"id": "s0", "created_at": "2026-01-05 10:00:00+00:00"},
    ],
    "attempts": [
        {"id": 1, "student_id": "s0", "source": "a.toml", "created_at": "2026-01-05 10:00:00+00:00",
         "n_graded": 2, "errors": "[]"},
        {"id": 2, "student_id": "=cmd", "source": "web", "created_at": "2026-01-05 10:01:00+00:00",
         "n_graded": 1, "errors": '[{"exercise_id": null, "message": "bad"}]'},
    ],
    "submissions": [
        {"id": 1, "attempt_id": 1, "student_id": "s0", "exercise_id": Q3, "answer": '"exp(3)"',
         "seed": 2**62 + 5, "params": '{"nll": 3.0}', "generator_version": 1, "score": 1.0, "points": 1.0,
         "max_points": 1.0, "misconception": None, "feedback": '{"message": "Correct."}', "source": "a.toml",
         "created_at": "2026-01-05 10:00:00+00:00"},
        {"id": 2, "attempt_id": 1, "student_id": "s0", "exercise_id": "bayes.mle_map_mean",
         "answer": '{"mle": 0.5}', "seed": 7, "params": None, "generator_version": None, "score": 0.25,
         "points": 0.5, "max_points": 2.0, "misconception": "swapped", "feedback": "{}", "source": "a.toml",
         "created_at": "2026-01-05 10:00:30+00:00"},
        {"id": 3, "attempt_id": 2, "student_id": "=cmd", "exercise_id": Q3, "answer": '"=1+1"', "seed": 0,
         "params": '{"nll": 1.5}', "generator_version": 1, "score": 0.0, "points": 0.0, "max_points": 1.0,
         "misconception": None, "feedback": "{}", "source": "web", "created_at": "2026-01-05 10:01:00+00:00"},
    ],
}
LATER = ("params", "generator_version")

#: Every revision, oldest first: what an upgrade from nothing (or from main's schema) runs.
ALL_REVISIONS = ["0001", "0002"]


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database: an SQLite file, or a fresh PostgreSQL schema of this xdist worker."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'gb.db'}"
        return
    yield fresh_postgres_url("mig")


def make_v0(url: str, *, older: bool = False) -> None:
    """The pre-Alembic schema exactly as main created it, and ROWS in it."""
    engine = sa.create_engine(url)
    dialect = engine.dialect.name
    with engine.begin() as conn:
        for statement in V0["older" if older else "today"][dialect]:
            conn.exec_driver_sql(statement)
        for table in ("students", "attempts", "submissions"):
            for row in ROWS[table]:
                row = {k: v for k, v in row.items() if not (older and k in LATER)}
                if dialect == "sqlite":
                    row["created_at"] = row["created_at"].replace("+00:00", ".000000")
                columns = ", ".join(row)
                values = ", ".join(f":{k}" for k in row)
                conn.execute(sa.text(f"INSERT INTO {table} ({columns}) VALUES ({values})"), row)
        if dialect == "postgresql":  # rows were inserted with their ids: move the sequences on
            for table in ("attempts", "submissions"):
                conn.exec_driver_sql(f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))")
    engine.dispose()


def dump(url: str) -> dict[str, list[dict[str, object]]]:
    """Every row of the three tables, times as UTC ISO text, ordered by key."""
    engine = sa.create_engine(url)
    out = {}
    with engine.connect() as conn:
        for table in ("students", "attempts", "submissions"):
            rows = [dict(r._mapping) for r in conn.execute(sa.text(f"SELECT * FROM {table} ORDER BY id"))]
            for row in rows:
                value = row["created_at"]
                row["created_at"] = value if isinstance(value, str) else value.isoformat(" ")
            out[table] = rows
    engine.dispose()
    return out


def normalised(rows: dict[str, list[dict[str, object]]]) -> dict[str, list[dict[str, object]]]:
    # PostgreSQL hands back aware datetimes; SQLite the text stored. Compare the instants.
    from datetime import UTC, datetime

    def instant(text: object) -> str:
        value = datetime.fromisoformat(str(text))
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()

    return {t: [{**r, "created_at": instant(r["created_at"])} for r in rs] for t, rs in rows.items()}


def test_todays_gradebook_upgrades_and_loses_nothing(empty_url: str) -> None:
    make_v0(empty_url)
    before = dump(empty_url)
    assert normalised(before) == normalised(ROWS)
    book = Gradebook(empty_url)
    assert book.upgraded == ALL_REVISIONS and current_revision(book.engine) == head_revision()
    assert normalised(dump(empty_url)) == normalised(before)
    # The old rows read back through the gradebook as before, and new ones go on after them.
    assert [r["seed"] for r in book.attempts()] == [2**62 + 5, 7, 0]
    assert book.students() == ["=cmd", "s0"]
    submit(book, "s9", {Q3: 1})
    assert [r["id"] for r in book.attempts()] == [1, 2, 3, 4] and len(book.uploads()) == 3
    assert "'=cmd" in book.csv_text()
    book.close()
    again = Gradebook(empty_url)
    assert again.upgraded == []
    again.close()


def test_a_first_release_gradebook_gains_the_later_columns(empty_url: str) -> None:
    make_v0(empty_url, older=True)
    book = Gradebook(empty_url)
    columns = {c["name"] for c in sa.inspect(book.engine).get_columns("submissions")}
    assert set(LATER) <= columns
    rows = book.attempts()
    assert [(r["seed"], r["params"], r["generator_version"]) for r in rows] == [(2**62 + 5, None, None), (7, None, None), (0, None, None)]
    assert [r["score"] for r in rows] == [1.0, 0.25, 0.0]
    book.close()


def test_the_code_tables_match_the_migrations(empty_url: str) -> None:
    # A table or column added in code without a revision fails here: add one with
    # `alembic -c grader/migrations/alembic.ini revision --autogenerate -m "..."`.
    book = Gradebook(empty_url)
    with book.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), target_metadata()) == []
    book.close()


def test_servers_opening_one_database_together_upgrade_it_once(empty_url: str) -> None:
    results: list[list[str]] = []
    errors: list[BaseException] = []

    def open_one() -> None:
        try:
            book = Gradebook(empty_url)
            results.append(book.upgraded)
            book.close()
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=open_one) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(results) == [[], [], [], ALL_REVISIONS]


def test_upgrade_to_a_revision_and_back(tmp_path: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'gb.db'}")
    assert upgrade(engine, "0001") == ["0001"] and upgrade(engine, "0001") == []
    assert set(sa.inspect(engine).get_table_names()) == {"alembic_version", "students", "attempts", "submissions"}
    # 0002 adds the hosted course's tables and nothing else.
    assert upgrade(engine) == ["0002"] and upgrade(engine) == []
    identity = {"members", "login_tokens", "login_failures", "idempotency_keys"}
    assert set(sa.inspect(engine).get_table_names()) == {"alembic_version", "students", "attempts", "submissions"} | identity
    engine.dispose()


def test_probstats_gradebook_upgrade(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    make_v0(url)
    assert main(["gradebook", "upgrade", "--db", url]) == 0
    out = capsys.readouterr().out
    assert "applied 0001, 0002" in out and f"now at {head_revision()}" in out
    assert main(["gradebook", "upgrade", "--db", url, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"applied": [], "revision": head_revision()}


def test_the_alembic_command_sees_no_missing_revision() -> None:
    # The documented revision command's setup (ini inside the package, a scratch
    # database at head) run as `alembic check`: it autogenerates and finds nothing to add.
    done = subprocess.run(
        [sys.executable, "-m", "alembic", "-c", str(ROOT / "grader" / "migrations" / "alembic.ini"), "check"],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "No new upgrade operations detected" in done.stdout + done.stderr


def test_a_graded_submission_after_upgrade_counts_old_attempts(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'gb.db'}"
    make_v0(url)
    book = Gradebook(url)
    assert book.attempt_counts("s0") == {Q3: 1, "bayes.mle_map_mean": 1}
    book.close()


def test_two_databases_upgrading_at_once_in_one_process(tmp_path: Path) -> None:
    urls = [f"sqlite:///{tmp_path / f'gb{i}.db'}" for i in range(4)]
    applied: dict[str, list[str]] = {}

    def open_one(url: str) -> None:
        book = Gradebook(url)
        applied[url] = book.upgraded
        book.close()

    threads = [threading.Thread(target=open_one, args=(url,)) for url in urls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert applied == {url: ALL_REVISIONS for url in urls}
