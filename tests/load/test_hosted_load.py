"""A hosted course under load: 4 API workers and 2 dashboard servers on one PostgreSQL.

200 simulated students each send 5 submission files at once (1000 requests) to
``probstats serve --workers 4``; halfway through, one worker process is killed with
SIGKILL. The clients retry a broken request with the same idempotency key, as
``probstats submit`` does. Afterwards: every file is stored exactly once, each with all
of its graded answers (no partial submission), every score is the one the answers
deserve (right answers score 1, answers a million off score 0), and PostgreSQL's
``amcheck`` finds the gradebook's B-tree indexes intact. Two ``streamlit run`` servers
on the same database are probed throughout and must stay healthy.

Bounded: loopback only, a fixed number of requests, a deadline on every wait, every
process it starts stopped in ``finally``. Needs PostgreSQL (``PROBSTATS_TEST_POSTGRES_URL``;
fails under ``CI=true`` without it).
"""

from __future__ import annotations

import asyncio
import os
import signal
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from grader import Gradebook, build_registry, variant_for
from grader.access import Member, issue_tokens
from grader.roster import import_roster
from tests.databases import fresh_postgres_url
from tests.hosted.course import SECRET, to_toml
from tests.load.conftest import REPORT_PROPERTY
from tests.processes import free_port, stop, wait_healthy

ROOT = Path(__file__).resolve().parents[2]
STUDENTS = 200
FILES_PER_STUDENT = 5
WORKERS = 4
DASHBOARDS = 2
#: Number-answer exercises (cheap to grade; a wrong number scores exactly 0).
EXERCISES = (
    "fisher.bernoulli",
    "interview.perplexity_from_nll",
    "interview.weight_decay_prior",
    "moments.variance_discrete",
    "information.entropy_bits",
)
PER_FILE = 3
RETRIES = 5
# Bounds, not timings: on a machine shared with other work, start-up alone can take a minute.
STARTUP = 180.0  # seconds for the servers to answer their health checks
DEADLINE = 240.0  # seconds for the whole client run; an idle 2-core machine needs a fraction

pytestmark = pytest.mark.slow


@dataclass
class Plan:
    """What one file holds and what it must score."""

    student: str
    name: str
    body: str
    expected: dict[str, float]


@dataclass
class Outcome:
    latencies: list[float] = field(default_factory=list)
    retries: int = 0
    errors: list[str] = field(default_factory=list)
    responses: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    done: int = 0


def plans(registry: Any) -> list[Plan]:
    """Each student's 5 files: 3 exercises each, some answered right and some a million off."""
    out = []
    for i in range(1, STUDENTS + 1):
        student = f"s{i:03d}"
        for k in range(FILES_PER_STUDENT):
            answers: dict[str, float] = {}
            expected: dict[str, float] = {}
            for j in range(PER_FILE):
                exercise = registry.get(EXERCISES[(i + k + j) % len(EXERCISES)])
                right = float(exercise.expected(variant_for(student, exercise, secret=SECRET).params))
                correct = (i * 7 + k * 3 + j) % 4 != 0
                answers[exercise.id] = right if correct else right * 1000 + 1e6
                expected[exercise.id] = 1.0 if correct else 0.0
            out.append(Plan(student, f"hw{k}.toml", to_toml(answers), expected))
    return out


def worker_pids(parent: int) -> list[int]:
    """uvicorn's worker processes: the children of ``probstats serve`` started by multiprocessing."""
    pids = []
    for child in Path(f"/proc/{parent}/task/{parent}/children").read_text().split():
        cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
        if b"spawn_main" in cmdline or (b"multiprocessing" in cmdline and b"resource_tracker" not in cmdline):
            pids.append(int(child))
    return pids


def start(command: list[str], env: dict[str, str], log: Path, stack: ExitStack) -> subprocess.Popen[bytes]:
    handle = stack.enter_context(log.open("wb"))
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT)
    stack.callback(stop, process)
    return process


async def send(client: httpx.AsyncClient, plan: Plan, token: str, outcome: Outcome) -> None:
    """POST one file; on a broken connection or a 5xx, again with the same key."""
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/toml",
               "Idempotency-Key": str(uuid.uuid4())}
    for attempt in range(RETRIES + 1):
        began = time.perf_counter()
        try:
            response = await client.post("/api/v1/submissions", params={"source": plan.name},
                                         content=plan.body.encode(), headers=headers)
        except httpx.TransportError as exc:
            failure = f"{type(exc).__name__}: {exc}"
        else:
            if response.status_code in (200, 201):
                outcome.latencies.append(time.perf_counter() - began)
                outcome.responses[(plan.student, plan.name)] = response.json()
                outcome.done += 1
                return
            failure = f"HTTP {response.status_code}: {response.text[:200]}"
            if response.status_code < 500:
                outcome.errors.append(f"{plan.student}/{plan.name}: {failure}")
                return
        outcome.retries += 1
        await asyncio.sleep(0.05 * 2**attempt)
    outcome.errors.append(f"{plan.student}/{plan.name}: gave up after {RETRIES} retries: {failure}")


async def student(client: httpx.AsyncClient, files: list[Plan], token: str, outcome: Outcome) -> None:
    for plan in files:
        await send(client, plan, token, outcome)


async def kill_one_worker_halfway(parent: int, outcome: Outcome, total: int) -> int:
    while outcome.done < total // 2:
        await asyncio.sleep(0.01)
    victim = worker_pids(parent)[0]
    os.kill(victim, signal.SIGKILL)
    return victim


async def probe_dashboards(urls: list[str], stop_event: asyncio.Event) -> list[str]:
    """GET each dashboard's health and front page until told to stop; return the failures."""
    failures: list[str] = []
    # A connection per probe: a kept-alive one that the server has just closed is no failure of its.
    async with httpx.AsyncClient(timeout=10, headers={"Connection": "close"}) as client:
        while not stop_event.is_set():
            for url in urls:
                for path, expect in (("/_stcore/health", "ok"), ("/", "<html")):
                    try:
                        response = await client.get(url + path)
                        if response.status_code != 200 or expect not in response.text.lower():
                            failures.append(f"{url}{path}: HTTP {response.status_code}")
                    except httpx.HTTPError as exc:
                        failures.append(f"{url}{path}: {type(exc).__name__}")
            await asyncio.sleep(0.5)
    return failures


async def drive(api: str, parent: int, work: dict[str, list[Plan]], tokens: dict[str, str], dashboards: list[str]) -> tuple[Outcome, int, list[str], float]:
    outcome = Outcome()
    total = sum(len(files) for files in work.values())
    limits = httpx.Limits(max_connections=STUDENTS, max_keepalive_connections=STUDENTS)
    stop_event = asyncio.Event()
    async with httpx.AsyncClient(base_url=api, limits=limits, timeout=60) as client:
        prober = asyncio.create_task(probe_dashboards(dashboards, stop_event))
        killer = asyncio.create_task(kill_one_worker_halfway(parent, outcome, total))
        began = time.perf_counter()
        await asyncio.gather(*(student(client, files, tokens[s], outcome) for s, files in work.items()))
        elapsed = time.perf_counter() - began
        stop_event.set()
        victim = await killer
        failures = await prober
    return outcome, victim, failures, elapsed


@pytest.fixture
def database() -> Iterator[str]:
    yield fresh_postgres_url("load")


def test_200_students_4_workers_2_dashboards_and_a_killed_worker(
    database: str, tmp_path: Path, record_property: Any
) -> None:
    t0 = time.perf_counter()
    registry = build_registry()
    work_list = plans(registry)
    book = Gradebook(database)
    members = [Member(f"s{i:03d}", f"Student {i}", f"s{i:03d}@load.test", "student") for i in range(1, STUDENTS + 1)]
    import_roster(book, members)
    tokens = dict(zip([m.id for m in members], issue_tokens(book, [m.id for m in members]), strict=True))
    work: dict[str, list[Plan]] = {}
    for plan in work_list:
        work.setdefault(plan.student, []).append(plan)
    env = {**os.environ, "PROBSTATS_DB": database, "PROBSTATS_COURSE_SECRET": SECRET,
           "PROBSTATS_DISABLE_PLUGIN_AUTOLOAD": "1", "OPENBLAS_NUM_THREADS": "1"}
    api_port = free_port()
    api = f"http://127.0.0.1:{api_port}"
    with ExitStack() as stack:
        serve = start(
            [sys.executable, "-m", "probstats", "serve", "--port", str(api_port), "--workers", str(WORKERS),
             "--log-level", "warning", "--no-access-log"],
            env, tmp_path / "api.log", stack,
        )
        dashboards = []
        for n in range(DASHBOARDS):
            port = free_port()
            start(
                [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard" / "streamlit_app.py"),
                 "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
                 "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
                env, tmp_path / f"dashboard{n}.log", stack,
            )
            dashboards.append(f"http://127.0.0.1:{port}")
        wait_healthy(f"{api}/api/v1/health", serve, timeout=STARTUP)
        for url in dashboards:
            wait_healthy(f"{url}/_stcore/health", timeout=STARTUP)
        deadline = time.monotonic() + STARTUP
        while len(worker_pids(serve.pid)) < WORKERS:
            assert time.monotonic() < deadline, f"uvicorn did not start {WORKERS} workers"
            time.sleep(0.1)
        setup = time.perf_counter() - t0
        outcome, victim, probe_failures, elapsed = asyncio.run(
            asyncio.wait_for(drive(api, serve.pid, work, tokens, dashboards), timeout=DEADLINE)
        )
        assert serve.poll() is None, (tmp_path / "api.log").read_text()[-2000:]

    assert outcome.errors == []
    assert probe_failures == []
    # Every file stored exactly once (retries included), each with all of its answers.
    sent = {(p.student, f"api:{p.name}"): p for p in work_list}
    with book.engine.connect() as conn:
        attempts = list(conn.execute(sa.text("SELECT id, student_id, source, n_graded FROM attempts")))
        rows = list(conn.execute(sa.text("SELECT attempt_id, exercise_id, score FROM submissions")))
        keys = conn.scalar(sa.text("SELECT count(*) FROM idempotency_keys"))
    assert sorted((a.student_id, a.source) for a in attempts) == sorted(sent)
    assert keys == len(sent)
    by_attempt: dict[int, dict[str, float]] = {}
    for r in rows:
        by_attempt.setdefault(r.attempt_id, {})[r.exercise_id] = r.score
    for a in attempts:
        assert len(by_attempt[a.id]) == a.n_graded == PER_FILE  # no partial submission
        assert by_attempt[a.id] == sent[(a.student_id, a.source)].expected
    # Each client's answer is the stored attempt (a replayed retry answers as the first try did).
    attempt_of = {(a.student_id, a.source): a.id for a in attempts}
    for (who, name), response in outcome.responses.items():
        assert response["attempt_id"] == attempt_of[(who, f"api:{name}")]
    amcheck(book)
    book.close()

    latencies = sorted(outcome.latencies)
    figures = {
        "submissions": len(sent),
        "setup_seconds": round(setup, 1),
        "seconds": round(elapsed, 2),
        "submissions_per_second": round(len(sent) / elapsed, 1),
        "latency_p50_ms": round(1000 * statistics.median(latencies), 1),
        "latency_p99_ms": round(1000 * latencies[int(0.99 * (len(latencies) - 1))], 1),
        "retries": outcome.retries,
        "rows_lost": len(sent) - len(attempts),
        "killed_worker_pid": victim,
        "dashboard_probes_failed": len(probe_failures),
    }
    record_property(REPORT_PROPERTY, figures)
    print(figures)


def amcheck(book: Gradebook) -> None:
    """``bt_index_check`` (with every heap tuple looked up) on each B-tree index of the gradebook."""
    with book.engine.begin() as conn:
        conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS amcheck")
        schema = conn.exec_driver_sql(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
            "WHERE e.extname = 'amcheck'"
        ).scalar_one()
        indexes = list(conn.exec_driver_sql(
            "SELECT c.oid, c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_am a ON a.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE a.amname = 'btree' AND n.nspname = current_schema()"
        ))
        names = {r.relname for r in indexes}
        assert {"ix_submissions_student_exercise", "idempotency_keys_pkey", "attempts_pkey"} <= names
        for index in indexes:
            conn.exec_driver_sql(f'SELECT "{schema}".bt_index_check(%(oid)s, true)', {"oid": index.oid})
