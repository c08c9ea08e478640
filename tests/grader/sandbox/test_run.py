"""The sandbox's interface: results as JSON, exceptions as tracebacks, clear refusals."""

from __future__ import annotations

import math

import pytest

from grader.sandbox import Limits, Outcome, Pool, run
from tests.grader.sandbox.conftest import CALL_F, student


def test_main_result_comes_back_as_json_with_inf_and_nan(pool: Pool) -> None:
    source = "def f(x):\n    return {'twice': x * 2, 'up': float('inf'), 'down': -1e308 * 10, 'nan': float('nan')}\n"
    outcome = pool.run(CALL_F, files=student(source), payload=21)
    assert outcome.status == "ok", outcome
    assert outcome.result["twice"] == 42
    assert outcome.result["up"] == math.inf and outcome.result["down"] == -math.inf
    assert math.isnan(outcome.result["nan"])


def test_payload_floats_round_trip_into_main(pool: Pool) -> None:
    harness = "def main(payload):\n    return [repr(x) for x in payload]\n"
    outcome = pool.run(harness, files={}, payload=[math.inf, -math.inf, math.nan, 0.1, -0.0])
    assert outcome.result == ["inf", "-inf", "nan", "0.1", "-0.0"]


def test_numpy_is_importable_and_nothing_of_ours_is(pool: Pool) -> None:
    harness = (
        "import importlib\n"
        "def main(names):\n"
        "    found = {}\n"
        "    for name in names:\n"
        "        try:\n"
        "            importlib.import_module(name)\n"
        "            found[name] = True\n"
        "        except ImportError:\n"
        "            found[name] = False\n"
        "    return found\n"
    )
    names = ["numpy", "math", "core", "grader", "exercises", "dashboard", "scipy", "pytest"]
    outcome = pool.run(harness, files={}, payload=names)
    assert outcome.result == {
        "numpy": True, "math": True, "core": False, "grader": False, "exercises": False,
        "dashboard": False, "scipy": False, "pytest": False,
    }


def test_student_output_is_captured_apart_from_the_result(pool: Pool) -> None:
    source = "import sys\ndef f(x):\n    print('hello', x)\n    print('warn', file=sys.stderr)\n    return 1\n"
    outcome = pool.run(CALL_F, files=student(source), payload="you")
    assert (outcome.status, outcome.result) == ("ok", 1)
    assert outcome.stdout == "hello you\n"
    assert outcome.stderr == "warn\n"


def test_printing_something_that_looks_like_a_result_does_not_forge_one(pool: Pool) -> None:
    source = "def f(x):\n    print('{\"result\": 100}')\n    return 0\n"
    outcome = pool.run(CALL_F, files=student(source), payload=None)
    assert outcome.result == 0


def test_exception_gives_error_with_the_students_line(pool: Pool) -> None:
    source = "def f(x):\n    y = 1\n    return y / x\n"
    outcome = pool.run(CALL_F, files=student(source), payload=0)
    assert outcome.status == "error"
    assert outcome.result is None
    assert outcome.error_type == "ZeroDivisionError"
    assert 'File "submission.py", line 3, in f' in outcome.traceback
    assert "zygote" not in outcome.traceback
    assert outcome.message == "your code raised ZeroDivisionError: division by zero (submission.py, line 3)"


def test_syntax_error_in_the_submission_is_an_error(pool: Pool) -> None:
    outcome = pool.run(CALL_F, files=student("def f(x)\n    return x\n"), payload=1)
    assert outcome.status == "error"
    assert outcome.error_type == "SyntaxError"
    assert "submission.py" in outcome.traceback


def test_a_value_json_cannot_carry_is_an_error(pool: Pool) -> None:
    outcome = pool.run(CALL_F, files=student("def f(x):\n    return object()\n"), payload=1)
    assert outcome.status == "error"
    assert outcome.error_type == "TypeError"
    assert "JSON serializable" in outcome.message


def test_one_shot_run_starts_and_stops_its_own_worker(bwrap: str) -> None:
    outcome = run(CALL_F, files=student("def f(x):\n    return x + 1\n"), payload=1)
    assert isinstance(outcome, Outcome)
    assert (outcome.status, outcome.result) == ("ok", 2)


def test_pool_serves_concurrent_callers(bwrap: str) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with Pool(size=2) as two, ThreadPoolExecutor(4) as threads:
        futures = [
            threads.submit(two.run, CALL_F, files=student("def f(x):\n    return x * x\n"), payload=n)
            for n in range(12)
        ]
        assert [future.result().result for future in futures] == [n * n for n in range(12)]


@pytest.mark.parametrize(
    ("files", "error", "match"),
    [
        ({"../escape.py": ""}, ValueError, "not a plain file name"),
        ({"sub/dir.py": ""}, ValueError, "not a plain file name"),
        ({"submission.py": b"bytes"}, TypeError, "must be text"),
    ],
)
def test_bad_file_names_and_contents_are_refused(pool: Pool, files, error, match) -> None:
    with pytest.raises(error, match=match):
        pool.run(CALL_F, files=files, payload=1)


def test_a_payload_that_is_not_json_is_refused(pool: Pool) -> None:
    with pytest.raises(TypeError, match="payload must be JSON data"):
        pool.run(CALL_F, files={}, payload={1j})


@pytest.mark.parametrize("field", ["cpu_seconds", "wall_seconds", "memory_bytes", "output_bytes"])
def test_limits_must_be_positive(field: str) -> None:
    with pytest.raises(ValueError, match=f"Limits.{field} must be positive"):
        Limits(**{field: 0})


def test_pool_size_must_be_a_positive_whole_number() -> None:
    with pytest.raises(ValueError, match="size must be a whole number"):
        Pool(size=0)


def test_a_worker_that_died_between_jobs_is_replaced(bwrap: str) -> None:
    with Pool(size=1) as one:
        (worker,) = one._all
        worker._process.kill()
        worker._process.wait()
        outcome = one.run(CALL_F, files=student("def f(x):\n    return -x\n"), payload=5)
        assert outcome.result == -5
        assert worker not in one._all and len(one._all) == 1
