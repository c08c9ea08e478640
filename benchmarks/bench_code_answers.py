"""Code answers end to end: the eight ``code.*`` exercises graded through the local pool.

Each grading is what ``probstats grade`` does for one code answer: the static source
checks, the variant's property checks run in a warm bubblewrap worker, and the
comparison with core outside the sandbox. Correct student solutions (numpy only, from
``tests/exercises/code_solutions.py``) for many students, four callers at a time, on the
pool's default size (one worker per core). Goal (issue 15): >= 50 gradings/s with p99
under 200 ms over the eight exercises.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from benchmarks.timing import Row
from grader import Exercise

GOAL_PER_SECOND = 50.0
GOAL_P99 = 0.200
STUDENTS = 40  # x 8 exercises = 320 gradings
CALLERS = 4


def rows() -> list[Row]:
    from grader import grade_answer, load_exercises
    from grader.sandbox import SandboxUnavailable, find_bwrap
    from tests.exercises.code_solutions import CORRECT

    try:
        find_bwrap()
    except SandboxUnavailable as err:
        return [Row("code answers: gradings/s over the eight exercises", None, GOAL_PER_SECOND, "goal", str(err), "/s")]
    registry = load_exercises()
    jobs = [(registry.get(i), code, f"s{n:03d}") for n in range(STUDENTS) for i, code in sorted(CORRECT.items())]

    def grade(job: tuple[Exercise, str, str]) -> float:
        exercise, code, student = job
        start = time.perf_counter()
        feedback = grade_answer(exercise, {"code": code}, student_id=student, secret="bench-secret-0123456789abcdef")
        if feedback.score != 1.0:
            raise RuntimeError(f"{exercise.id} for {student}: a correct solution scored {feedback.score}")
        return time.perf_counter() - start

    grade(jobs[0])  # starts the pool's workers: the cold cost is the sandbox benchmark's row
    start = time.perf_counter()
    with ThreadPoolExecutor(CALLERS) as callers:
        latencies = list(callers.map(grade, jobs))
    elapsed = time.perf_counter() - start
    p50, p99 = np.percentile(latencies, [50, 99])
    load = os.getloadavg()[0]
    note = f"{len(jobs)} gradings, {CALLERS} callers, load average {load:.1f}"
    return [
        Row("code answers: gradings/s over the eight exercises (local pool)", len(jobs) / elapsed,
            GOAL_PER_SECOND, "goal", note, "/s"),
        Row("code answers: p50 latency of one grading", float(p50), GOAL_P99, "p99 goal", note, "s"),
        Row("code answers: p99 latency of one grading", float(p99), GOAL_P99, "goal", note, "s"),
    ]
