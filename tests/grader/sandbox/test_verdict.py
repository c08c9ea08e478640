"""Verdicts from worker reports, and the sandbox's command line (no bubblewrap needed)."""

from __future__ import annotations

import json
import signal
import sys
import sysconfig
from pathlib import Path

import pytest

import grader
from grader.sandbox import Limits, SandboxError, SandboxUnavailable, command
from grader.sandbox.verdict import outcome_from_report, size_words

LIMITS = Limits()


def report(**fields: object) -> dict[str, object]:
    base: dict[str, object] = {"stopped": None, "signal": None, "exit_code": 0, "seconds": 0.5,
                               "cpu_seconds": 0.25, "stdout": "out", "stderr": "err", "result": None}
    return {**base, **fields}


def test_a_result_frame_is_decoded_as_plain_json() -> None:
    outcome = outcome_from_report(report(result='{"result": [1, Infinity, NaN]}'), LIMITS)
    assert outcome.status == "ok" and outcome.ok
    assert outcome.result[:2] == [1, float("inf")]
    assert (outcome.stdout, outcome.stderr, outcome.seconds, outcome.cpu_seconds) == ("out", "err", 0.5, 0.25)


@pytest.mark.parametrize(
    ("fields", "status", "message"),
    [
        ({"stopped": "wall"}, "timeout", "your code ran past the 10 s time limit"),
        ({"stopped": "output"}, "output", "your code printed more than 1 MiB"),
        ({"stopped": "result"}, "output", "the value returned was larger than 4 MiB"),
        ({"signal": signal.SIGXCPU, "exit_code": None}, "cpu", "your code ran past the 5 s CPU limit"),
        ({"signal": signal.SIGKILL, "exit_code": None, "cpu_seconds": 6.0}, "cpu",
         "your code ran past the 5 s CPU limit"),
        ({"signal": signal.SIGKILL, "exit_code": None}, "killed", "your code was stopped by SIGKILL"),
        ({"signal": signal.SIGSEGV, "exit_code": None}, "crashed",
         "the Python process crashed (SIGSEGV); a recursion too deep for the C stack is the usual cause"),
        ({"exit_code": 3}, "crashed", "your code ended the process (exit code 3) before main() returned"),
        ({"result": '{"error": "MemoryError", "traceback": "MemoryError\\n"}'}, "memory",
         "your code tried to use more than 1 GiB of memory"),
        ({"result": '{"error": "SystemExit", "traceback": "SystemExit: 2\\n"}'}, "error",
         "your code called sys.exit() instead of returning a value"),
        # a forged result after the process was killed by a signal is not believed
        ({"result": '{"result": 1}', "signal": signal.SIGTERM, "exit_code": None}, "killed",
         "your code was stopped by SIGTERM"),
        # garbage where JSON should be is no result at all
        ({"result": "{not json"}, "crashed", "your code ended the process (exit code 0) before main() returned"),
        ({"result": "[1, 2]"}, "crashed", "your code ended the process (exit code 0) before main() returned"),
    ],
)
def test_reports_become_verdicts_in_plain_words(fields: dict, status: str, message: str) -> None:
    outcome = outcome_from_report(report(**fields), LIMITS)
    assert (outcome.status, outcome.message, outcome.result) == (status, message, None)


def test_an_error_keeps_the_students_lines_and_drops_the_zygotes() -> None:
    trace = (
        "Traceback (most recent call last):\n"
        '  File "/sandbox/zygote.py", line 230, in _student\n'
        "    value = namespace['main'](job['payload'])\n"
        "            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n"
        '  File "harness.py", line 3, in main\n'
        "    return submission.f(payload)\n"
        '  File "/work/submission.py", line 7, in f\n'
        "    return 1 / x\n"
        "ZeroDivisionError: division by zero\n"
    )
    frame = json.dumps({"error": "ZeroDivisionError", "traceback": trace})
    outcome = outcome_from_report(report(result=frame), LIMITS)
    assert outcome.status == "error"
    assert outcome.traceback == (
        "Traceback (most recent call last):\n"
        '  File "harness.py", line 3, in main\n'
        "    return submission.f(payload)\n"
        '  File "submission.py", line 7, in f\n'
        "    return 1 / x\n"
        "ZeroDivisionError: division by zero\n"
    )
    assert outcome.message == "your code raised ZeroDivisionError: division by zero (submission.py, line 7)"


@pytest.mark.parametrize("bad", [None, [], "text", {"internal": "mount failed"}])
def test_a_broken_report_is_the_sandboxs_failure_not_the_students(bad: object) -> None:
    with pytest.raises(SandboxError, match="the sandbox failed"):
        outcome_from_report(bad, LIMITS)


def test_a_setup_failure_is_the_sandboxs_failure() -> None:
    with pytest.raises(SandboxError, match="failed to start the code: OSError"):
        outcome_from_report(report(result='{"setup": "OSError()"}', exit_code=70), LIMITS)


@pytest.mark.parametrize(("size", "words"), [(1 << 30, "1 GiB"), (10 << 20, "10 MiB"),
                                             (1536, "1.5 KiB"), (12, "12 bytes")])
def test_size_words(size: int, words: str) -> None:
    assert size_words(size) == words


def test_missing_bwrap_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(command, "BWRAP", "/nonexistent/bwrap")
    monkeypatch.setattr(command.shutil, "which", lambda name: None)
    with pytest.raises(SandboxUnavailable, match=r"bubblewrap is not installed.*apt-get install bubblewrap"):
        command.worker_command()


def test_binds_hold_the_runtime_and_numpy_but_not_the_repository_or_the_venv() -> None:
    import numpy

    binds = command.read_only_binds()
    hosts = [Path(host) for host, _ in binds]
    repo = Path(grader.__file__).resolve().parents[1]
    numpy_dir = Path(numpy.__file__).resolve().parent
    site = numpy_dir.parent
    zygote = Path(command.__file__).with_name("zygote.py")
    for host in hosts:
        if host == zygote:
            continue  # the zygote script alone, at /sandbox/zygote.py
        if host.is_relative_to(site):
            assert host in {numpy_dir, numpy_dir.with_name("numpy.libs")}, host
        else:
            assert not host.is_relative_to(repo), host
    inside = [sandbox for _, sandbox in binds]
    assert "/sandbox/site/numpy" in inside
    assert str(Path(sys.executable).resolve()) in inside


def test_worker_command_unshares_everything_and_clears_the_environment(monkeypatch) -> None:
    monkeypatch.setattr(command, "find_bwrap", lambda: "/usr/bin/bwrap")
    line = command.worker_command()
    for flag in ("--unshare-all", "--unshare-user", "--die-with-parent", "--new-session",
                 "--clearenv", "--cap-drop"):
        assert flag in line
    assert "--bind" not in line  # everything from the host is read-only
    stdlib = Path(sysconfig.get_path("stdlib")).resolve()
    remounted = [line[i + 1] for i, flag in enumerate(line) if flag == "--remount-ro"]
    assert "/" in remounted
    if (stdlib / "site-packages").is_dir():
        assert str(stdlib / "site-packages") in remounted
