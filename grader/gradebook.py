"""The gradebook: students, attempts and graded submissions, with SQLAlchemy 2 Core.

``PROBSTATS_DB`` holds an SQLAlchemy URL; the default is the SQLite file
``gradebook.db`` in the working folder (WAL journal, so readers never block the
writer). PostgreSQL works by URL: the SQL is portable Core only.

Tables: ``students``; ``attempts`` (one per submitted file or web form: source, time,
the per-part errors); ``submissions`` (one per graded answer: answer, variant seed,
the variant's parameters as JSON and the generator's version, score, points, feedback,
misconception, source, time). Recording one graded submission is one transaction: all
of its rows are stored, or none. The schema is versioned with Alembic (revisions in
``grader/migrations``): opening a gradebook brings it to the newest revision
(:func:`upgrade`), so existing SQLite files and databases, those made before Alembic
included, keep working, and nobody runs ``alembic`` by hand.

CSV exports escape text cells that a spreadsheet would run as a formula (OWASP's
CSV-injection rule: a leading ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a
``'`` in front).
"""

from __future__ import annotations

import csv
import io
import json
import os
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.pool import StaticPool

from grader.ids import check_student_id
from grader.records import SubmissionError

if TYPE_CHECKING:
    from grader.records import GradedSubmission, IdempotencyKey

__all__ = [
    "DB_ENV",
    "POINTS_POSSIBLE",
    "ExerciseStats",
    "Gradebook",
    "KeyReused",
    "ScoreRow",
    "alembic_config",
    "current_revision",
    "default_url",
    "display_url",
    "head_revision",
    "upgrade",
]

DB_ENV = "PROBSTATS_DB"

metadata = sa.MetaData()

students = sa.Table(
    "students",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

attempts = sa.Table(
    "attempts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("student_id", sa.String(64), sa.ForeignKey("students.id"), nullable=False),
    sa.Column("source", sa.String(512), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("n_graded", sa.Integer, nullable=False),
    sa.Column("errors", sa.Text, nullable=False),
)

submissions = sa.Table(
    "submissions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("attempt_id", sa.Integer, sa.ForeignKey("attempts.id"), nullable=False),
    sa.Column("student_id", sa.String(64), sa.ForeignKey("students.id"), nullable=False),
    sa.Column("exercise_id", sa.String(128), nullable=False),
    sa.Column("answer", sa.Text, nullable=False),
    sa.Column("seed", sa.BigInteger, nullable=False),
    # The variant the seed drew when graded, and the generator's version: an edited
    # generate cannot silently change what a past attempt was about. NULL in rows
    # stored before these columns existed.
    sa.Column("params", sa.Text, nullable=True),
    sa.Column("generator_version", sa.Integer, nullable=True),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("points", sa.Float, nullable=False),
    sa.Column("max_points", sa.Float, nullable=False),
    sa.Column("misconception", sa.String(128), nullable=True),
    sa.Column("feedback", sa.Text, nullable=False),
    sa.Column("source", sa.String(512), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_submissions_student_exercise", "student_id", "exercise_id"),
)

# -- identity and access (a hosted course; grader.access and grader.roster use them) ----
# Declared here, in one block, so the gradebook's metadata (and its migrations) hold them.

members = sa.Table(
    "members",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(256), nullable=False),
    # Lower-cased, so a single sign-on identity's email finds its member.
    sa.Column("email", sa.String(320), nullable=False, unique=True),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

login_tokens = sa.Table(
    "login_tokens",
    metadata,
    # One token per member: issuing a new one replaces the row.
    sa.Column("member_id", sa.String(64), sa.ForeignKey("members.id"), primary_key=True),
    # The token is "<selector>.<verifier>": the selector finds the row, the verifier is
    # kept only as its SHA-256 and compared in constant time.
    sa.Column("selector", sa.String(32), nullable=False, unique=True),
    sa.Column("verifier_hash", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
)

login_failures = sa.Table(
    "login_failures",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("client", sa.String(128), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_login_failures_client_time", "client", "created_at"),
)

idempotency_keys = sa.Table(
    "idempotency_keys",
    metadata,
    sa.Column("member_id", sa.String(64), sa.ForeignKey("members.id"), primary_key=True),
    sa.Column("key", sa.String(128), primary_key=True),
    # SHA-256 of the request body: the same key with another body is refused.
    sa.Column("request_hash", sa.String(64), nullable=False),
    sa.Column("attempt_id", sa.Integer, sa.ForeignKey("attempts.id"), nullable=False),
    sa.Column("response", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)


#: The first cell of the wide CSV's points-possible row (a space: no student id has one).
POINTS_POSSIBLE = "points possible"

#: Where the Alembic revisions live (shipped inside the package).
MIGRATIONS = Path(__file__).with_name("migrations")
#: The PostgreSQL advisory lock held while migrating, so servers starting together
#: upgrade one at a time (an arbitrary constant: "probstat" in ASCII).
_MIGRATION_LOCK = 0x70726F6273746174
_MIGRATING = threading.Lock()


def alembic_config() -> Config:
    """The Alembic configuration of the gradebook's migrations (no ini file needed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    """The newest revision in ``grader/migrations/versions``."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None  # the package ships at least the baseline
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at; None before Alembic (or for an empty database)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> list[str]:
    """Bring the database to ``revision`` (the newest by default); return the revisions run.

    Parameters
    ----------
    engine : Engine
        The gradebook's database.
    revision : str
        An Alembic revision id, or ``"head"``.

    Returns
    -------
    list of str
        The revisions applied, oldest first; empty when it was already there.

    Notes
    -----
    Everything runs in one transaction. On PostgreSQL it first takes an advisory lock,
    and on SQLite the transaction begins with ``BEGIN IMMEDIATE``, so several servers
    opening one database at once upgrade it once. A gradebook made before Alembic has
    no ``alembic_version`` table: the baseline revision creates only what it lacks.
    """
    config = alembic_config()
    script = ScriptDirectory.from_config(config)
    target = script.get_current_head() if revision == "head" else revision
    if current_revision(engine) == target:
        return []
    # Alembic's `context` is one global per process: one migration run at a time here.
    with _MIGRATING, engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
        before = MigrationContext.configure(conn).get_current_revision()
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
    applied = [r.revision for r in script.iterate_revisions(target, before)]
    return applied[::-1]


def display_url(url: str) -> str:
    """``url`` with any password masked, safe to print or show on a page."""
    return make_url(url).render_as_string(hide_password=True)


def default_url() -> str:
    """``PROBSTATS_DB``, or the SQLite file ``gradebook.db`` in the working folder."""
    return os.environ.get(DB_ENV) or f"sqlite:///{Path.cwd() / 'gradebook.db'}"


@dataclass(frozen=True)
class ScoreRow:
    """A student's standing on one exercise."""

    student_id: str
    exercise_id: str
    attempts: int
    best_score: float
    best_points: float
    latest_score: float
    latest_points: float
    max_points: float


@dataclass(frozen=True)
class ExerciseStats:
    """How one exercise went, over every stored graded answer to it.

    ``attempts`` counts graded answers, ``students`` the distinct students who answered.
    ``mean_score`` is the mean score over all graded answers; ``mean_best_score`` the
    mean over students of each student's best score. ``misconceptions`` maps each
    recognised misconception to the number of answers in which it was recognised, most
    frequent first.
    """

    exercise_id: str
    students: int
    attempts: int
    mean_score: float
    mean_best_score: float
    max_points: float
    misconceptions: dict[str, int]

    def misconception_shares(self) -> dict[str, float]:
        """Each misconception's share of the graded answers: ``count / attempts``."""
        return {name: count / self.attempts for name, count in self.misconceptions.items()}


def _create_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return sa.create_engine(url, pool_pre_ping=True)
    in_memory = parsed.database in (None, "", ":memory:")
    engine = sa.create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": 60},
        poolclass=StaticPool if in_memory else None,
    )

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # We issue BEGIN ourselves (below), so the driver must not.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=60000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Take the write lock up front: a deferred transaction that later upgrades to a
        # writer can fail at once with "database is locked" when another writer won.
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


class KeyReused(ValueError):
    """An idempotency key sent again with a different request."""


class Gradebook:
    """Stored submissions and scores.

    Parameters
    ----------
    url : str, optional
        An SQLAlchemy URL; :func:`default_url` by default.

    Examples
    --------
    >>> book = Gradebook("sqlite://")  # in memory
    >>> book.students()
    []
    """

    def __init__(self, url: str | None = None) -> None:
        self.url = url or default_url()
        self.engine = _create_engine(self.url)
        #: The revisions this open applied (empty when the schema was current).
        self.upgraded = upgrade(self.engine)

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    @contextmanager
    def _transaction(self) -> Iterator[sa.Connection]:
        with self.engine.begin() as connection:
            yield connection

    def record(
        self,
        graded: GradedSubmission,
        *,
        attempt_limits: Mapping[str, tuple[int, str]] | None = None,
        idempotency: IdempotencyKey | None = None,
    ) -> int:
        """Store a graded submission in one transaction; return its attempt id.

        Parameters
        ----------
        graded : GradedSubmission
            What to store.
        attempt_limits : mapping, optional
            ``exercise_id -> (limit, refusal message)``. Inside the transaction (with the
            student's rows locked against a concurrent submission), a graded answer whose
            exercise already has ``limit`` stored answers is not stored: it is moved from
            ``graded.feedback`` to ``graded.errors`` with the message.
        idempotency : IdempotencyKey, optional
            Stored with the response (``graded.to_dict()``) in the same transaction, so a
            request is stored whole, once, or not at all. A key already stored raises
            ``sqlalchemy.exc.IntegrityError`` and nothing is stored: the caller answers
            with :meth:`stored_response`.
        """
        now = datetime.now(UTC)
        check_student_id(graded.student_id)
        with self._transaction() as conn:
            self._add_student(conn, graded.student_id, now)
            if attempt_limits:
                self._enforce_limits(conn, graded, attempt_limits)
            errors = [{"exercise_id": e.exercise_id, "message": e.message} for e in graded.errors]
            inserted = conn.execute(
                attempts.insert().values(
                    student_id=graded.student_id,
                    source=graded.source,
                    created_at=now,
                    n_graded=len(graded.feedback),
                    errors=json.dumps(errors),
                )
            ).inserted_primary_key
            assert inserted is not None  # an INSERT always reports its key
            attempt_id = int(inserted[0])
            rows = [
                {
                    "attempt_id": attempt_id,
                    "student_id": graded.student_id,
                    "exercise_id": f.exercise_id,
                    "answer": json.dumps(f.answer),
                    "seed": f.seed,
                    "params": None if f.params is None else json.dumps(f.params),
                    "generator_version": f.generator_version,
                    "score": f.score,
                    "points": f.points,
                    "max_points": f.max_points,
                    "misconception": f.misconception,
                    "feedback": json.dumps(f.to_dict()),
                    "source": graded.source,
                    "created_at": now,
                }
                for f in graded.feedback
            ]
            if rows:
                conn.execute(submissions.insert(), rows)
            if idempotency is not None:
                response = {**graded.to_dict(), "attempt_id": attempt_id}
                conn.execute(
                    idempotency_keys.insert().values(
                        member_id=idempotency.member_id,
                        key=idempotency.key,
                        request_hash=idempotency.request_hash,
                        attempt_id=attempt_id,
                        response=json.dumps(response),
                        created_at=now,
                    )
                )
        return attempt_id

    def stored_response(self, idempotency: IdempotencyKey) -> dict[str, Any] | None:
        """The response stored under a member's idempotency key, or None if there is none.

        Raises
        ------
        KeyReused
            If the key was stored with a different request body.
        """
        k = idempotency_keys.c
        query = sa.select(k.request_hash, k.response).where(
            k.member_id == idempotency.member_id, k.key == idempotency.key
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        if row is None:
            return None
        if row.request_hash != idempotency.request_hash:
            raise KeyReused(
                f"the Idempotency-Key {idempotency.key!r} was already used for a different request"
            )
        stored: dict[str, Any] = json.loads(row.response)
        return stored

    def _enforce_limits(
        self, conn: sa.Connection, graded: GradedSubmission, limits: Mapping[str, tuple[int, str]]
    ) -> None:
        if conn.dialect.name == "postgresql":
            # One student's submissions queue here; other students' go on in parallel.
            # (SQLite's BEGIN IMMEDIATE already serialises every writer.)
            conn.execute(
                sa.select(students.c.id).where(students.c.id == graded.student_id).with_for_update()
            )
        counts = self._counts(conn, graded.student_id)
        kept = []
        for feedback in graded.feedback:
            limit = limits.get(feedback.exercise_id)
            if limit is not None and counts.get(feedback.exercise_id, 0) >= limit[0]:
                graded.errors.append(SubmissionError(feedback.exercise_id, limit[1]))
            else:
                kept.append(feedback)
        graded.feedback[:] = kept

    def attempt_counts(self, student_id: str) -> dict[str, int]:
        """The number of stored graded answers per exercise of one student."""
        with self.engine.connect() as conn:
            return self._counts(conn, check_student_id(student_id))

    @staticmethod
    def _counts(conn: sa.Connection, student_id: str) -> dict[str, int]:
        s = submissions.c
        query = (
            sa.select(s.exercise_id, sa.func.count())
            .where(s.student_id == student_id)
            .group_by(s.exercise_id)
        )
        return {exercise_id: int(n) for exercise_id, n in conn.execute(query)}

    def _add_student(self, conn: sa.Connection, student_id: str, now: datetime) -> None:
        """Insert the student unless present (an upsert where the dialect has one)."""
        values = {"id": student_id, "created_at": now}
        dialect = conn.dialect.name
        if dialect in ("sqlite", "postgresql"):
            insert = sqlite_insert if dialect == "sqlite" else postgresql_insert
            conn.execute(insert(students).values(**values).on_conflict_do_nothing())
            return
        known = conn.execute(sa.select(students.c.id).where(students.c.id == student_id)).first()
        if known is None:
            conn.execute(students.insert().values(**values))

    def students(self) -> list[str]:
        """Student ids, sorted."""
        with self.engine.connect() as conn:
            return list(conn.scalars(sa.select(students.c.id).order_by(students.c.id)))

    def submission_count(self) -> int:
        """Number of stored graded answers."""
        with self.engine.connect() as conn:
            return int(conn.scalar(sa.select(sa.func.count()).select_from(submissions)) or 0)

    def attempts(
        self, *, student_id: str | None = None, exercise_id: str | None = None
    ) -> list[dict[str, Any]]:
        """Stored graded answers, oldest first, optionally for one student/exercise.

        Each is a dict with the columns of ``submissions`` (``answer`` and ``feedback``
        decoded from JSON).
        """
        query = sa.select(submissions).order_by(submissions.c.id)
        if student_id is not None:
            query = query.where(submissions.c.student_id == check_student_id(student_id))
        if exercise_id is not None:
            query = query.where(submissions.c.exercise_id == exercise_id)
        with self.engine.connect() as conn:
            rows = [dict(r._mapping) for r in conn.execute(query)]
        for row in rows:
            row["answer"] = json.loads(row["answer"])
            row["feedback"] = json.loads(row["feedback"])
            row["params"] = None if row["params"] is None else json.loads(row["params"])
        return rows

    def uploads(self, *, student_id: str | None = None) -> list[dict[str, Any]]:
        """Stored attempts (one per submitted file or form), oldest first, with their errors."""
        query = sa.select(attempts).order_by(attempts.c.id)
        if student_id is not None:
            query = query.where(attempts.c.student_id == check_student_id(student_id))
        with self.engine.connect() as conn:
            rows = [dict(r._mapping) for r in conn.execute(query)]
        for row in rows:
            row["errors"] = json.loads(row["errors"])
        return rows

    def best_scores(self, *, student_id: str | None = None) -> list[ScoreRow]:
        """Best and latest score per (student, exercise), sorted by student then exercise."""
        s = submissions.c
        group = (
            sa.select(
                s.student_id,
                s.exercise_id,
                sa.func.count().label("n"),
                sa.func.max(s.score).label("best_score"),
                sa.func.max(s.points).label("best_points"),
                sa.func.max(s.id).label("latest_id"),
            )
            .group_by(s.student_id, s.exercise_id)
        )
        if student_id is not None:
            group = group.where(s.student_id == check_student_id(student_id))
        grouped = group.subquery()
        latest = submissions.alias("latest")
        query = (
            sa.select(grouped, latest.c.score, latest.c.points, latest.c.max_points)
            .join(latest, latest.c.id == grouped.c.latest_id)
            .order_by(grouped.c.student_id, grouped.c.exercise_id)
        )
        with self.engine.connect() as conn:
            return [
                ScoreRow(
                    student_id=r.student_id,
                    exercise_id=r.exercise_id,
                    attempts=int(r.n),
                    best_score=float(r.best_score),
                    best_points=float(r.best_points),
                    latest_score=float(r.score),
                    latest_points=float(r.points),
                    max_points=float(r.max_points),
                )
                for r in conn.execute(query)
            ]

    def exercise_stats(self) -> list[ExerciseStats]:
        """Per-exercise statistics over every stored graded answer, sorted by exercise id.

        Returns
        -------
        list of ExerciseStats
            One per exercise with at least one graded answer.

        Notes
        -----
        For an exercise with graded answer scores s_1..s_n from m students whose best
        scores are b_1..b_m: ``mean_score = (s_1 + ... + s_n) / n``,
        ``mean_best_score = (b_1 + ... + b_m) / m``, and a misconception recognised in k
        answers has the share ``k / n``.

        Examples
        --------
        >>> Gradebook("sqlite://").exercise_stats()
        []
        """
        s = submissions.c
        best = (
            sa.select(s.exercise_id, s.student_id, sa.func.max(s.score).label("best"))
            .group_by(s.exercise_id, s.student_id)
            .subquery()
        )
        overall = (
            sa.select(
                s.exercise_id,
                sa.func.count().label("n"),
                sa.func.avg(s.score).label("mean_score"),
                sa.func.max(s.max_points).label("max_points"),
            )
            .group_by(s.exercise_id)
            .order_by(s.exercise_id)
        )
        per_student = sa.select(
            best.c.exercise_id,
            sa.func.count().label("students"),
            sa.func.avg(best.c.best).label("mean_best"),
        ).group_by(best.c.exercise_id)
        recognised = (
            sa.select(s.exercise_id, s.misconception, sa.func.count().label("n"))
            .where(s.misconception.is_not(None))
            .group_by(s.exercise_id, s.misconception)
        )
        with self.engine.connect() as conn:
            totals = list(conn.execute(overall))
            students_of = {r.exercise_id: (int(r.students), float(r.mean_best)) for r in conn.execute(per_student)}
            counts: dict[str, list[tuple[str, int]]] = {}
            for r in conn.execute(recognised):
                counts.setdefault(r.exercise_id, []).append((r.misconception, int(r.n)))
        stats = []
        for r in totals:
            n_students, mean_best = students_of[r.exercise_id]
            # Most frequent first; ties by name, so the order does not depend on the database.
            ranked = sorted(counts.get(r.exercise_id, []), key=lambda item: (-item[1], item[0]))
            stats.append(
                ExerciseStats(
                    exercise_id=r.exercise_id,
                    students=n_students,
                    attempts=int(r.n),
                    mean_score=float(r.mean_score),
                    mean_best_score=mean_best,
                    max_points=float(r.max_points),
                    misconceptions=dict(ranked),
                )
            )
        return stats

    def export_csv(
        self,
        target: str | Path | IO[str],
        *,
        long: bool = False,
        exercise_ids: Sequence[str] | None = None,
    ) -> None:
        """Write the gradebook as CSV.

        Parameters
        ----------
        target : path or text file
            Where to write.
        long : bool
            False (wide): a row per student, a column per exercise with the best points,
            and ``total``, after a ``points possible`` row with each column's maximum.
            True (long): a row per stored graded answer (an unreadable answer is a row
            with 0 points).
        exercise_ids : sequence of str, optional
            Wide format: the exercise columns (default: every exercise in the gradebook).
        """
        if isinstance(target, str | Path):
            with open(target, "w", newline="", encoding="utf-8") as handle:
                self._write_csv(handle, long=long, exercise_ids=exercise_ids)
        else:
            self._write_csv(target, long=long, exercise_ids=exercise_ids)

    def csv_text(self, *, long: bool = False, exercise_ids: Sequence[str] | None = None) -> str:
        """The CSV export as a string (see :meth:`export_csv`)."""
        buffer = io.StringIO()
        self._write_csv(buffer, long=long, exercise_ids=exercise_ids)
        return buffer.getvalue()

    def best_points_table(
        self, exercise_ids: Sequence[str] | None = None
    ) -> tuple[list[str], dict[str, dict[str, float]], dict[str, float]]:
        """The wide exports' data: exercise ids, best points per student and exercise, maxima.

        Returns
        -------
        ids : list of str
            ``exercise_ids``, or every exercise in the gradebook, sorted.
        best : dict
            ``best[student][exercise]``: the best points (absent: not answered).
        possible : dict
            ``possible[exercise]``: its maximum points (absent: no answer stored).
        """
        scores = self.best_scores()
        ids = sorted({r.exercise_id for r in scores}) if exercise_ids is None else list(exercise_ids)
        best: dict[str, dict[str, float]] = {}
        possible: dict[str, float] = {}
        for r in scores:
            best.setdefault(r.student_id, {})[r.exercise_id] = r.best_points
            possible[r.exercise_id] = max(possible.get(r.exercise_id, 0.0), r.max_points)
        return ids, best, possible

    def _write_csv(self, handle: IO[str], *, long: bool, exercise_ids: Sequence[str] | None) -> None:
        writer = csv.writer(handle, lineterminator="\n")
        if long:
            columns = [
                "student_id", "exercise_id", "attempt_id", "source", "created_at",
                "score", "points", "max_points", "misconception", "seed", "answer",
            ]
            writer.writerow(columns)
            query = sa.select(*(submissions.c[c] for c in columns)).order_by(submissions.c.id)
            with self.engine.connect() as conn:
                for row in conn.execute(query):
                    values = list(row)
                    values[4] = values[4].isoformat() if values[4] is not None else ""
                    writer.writerow([_cell(v) for v in values])
            return
        ids, table, possible = self.best_points_table(exercise_ids)
        writer.writerow([_cell(c) for c in ["student_id", *ids, "total"]])
        # What each column is out of, so a blank or a 0 reads against its maximum.
        maxima = [_number(possible[i]) if i in possible else "" for i in ids]
        writer.writerow([POINTS_POSSIBLE, *maxima, _number(sum(possible.get(i, 0.0) for i in ids))])
        for student in self.students():
            best = table.get(student, {})
            cells = [_number(best[i]) if i in best else "" for i in ids]
            total = sum(best.get(i, 0.0) for i in ids)
            writer.writerow([_cell(student), *cells, _number(total)])


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    """A CSV cell a spreadsheet shows as text: a leading formula character gets a ``'``.

    A stored answer is JSON, so a typed ``=...`` is held as ``"=..."``: the quotes
    are looked through too.
    """
    if isinstance(value, str) and value.lstrip('"').startswith(_FORMULA_START):
        return "'" + value
    return value


def _number(value: float) -> str:
    return f"{value:g}"
