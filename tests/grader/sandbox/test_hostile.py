"""The hostile corpus: each attack is contained with a clear verdict, and the same warm
pool then grades an honest submission correctly."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

import grader
from grader.sandbox import Limits, Outcome, Pool
from tests.grader.sandbox.conftest import CALL_F, student

#: A short CPU limit keeps the runaway cases quick (the verdict logic is the same as at
#: 5 s); the wall clock is generous so a loaded machine still reaches the CPU limit first.
QUICK = Limits(cpu_seconds=1, wall_seconds=30)
HONEST = "def f(x):\n    return x + 1\n"


def attack(pool: Pool, source: str, payload: object = 1, limits: Limits = QUICK) -> Outcome:
    """Run the hostile ``source``, then check the pool still grades an honest one."""
    outcome = pool.run(CALL_F, files=student(source), payload=payload, limits=limits)
    after = pool.run(CALL_F, files=student(HONEST), payload=41)
    assert (after.status, after.result) == ("ok", 42), after
    return outcome


def test_infinite_loop_is_stopped_at_the_cpu_limit(pool: Pool) -> None:
    outcome = attack(pool, "def f(x):\n    while True:\n        pass\n")
    assert outcome.status == "cpu"
    assert outcome.message == "your code ran past the 1 s CPU limit"


def test_default_limits_name_five_cpu_seconds(pool: Pool) -> None:
    outcome = attack(pool, "def f(x):\n    while True:\n        pass\n", limits=Limits())
    assert outcome.status in {"cpu", "timeout"}  # a loaded machine may hit the wall first
    assert outcome.message in {"your code ran past the 5 s CPU limit",
                               "your code ran past the 10 s time limit"}


def test_sleeping_forever_is_stopped_at_the_wall_clock(pool: Pool) -> None:
    outcome = attack(pool, "import time\ndef f(x):\n    time.sleep(60)\n",
                     limits=Limits(cpu_seconds=1, wall_seconds=2))
    assert outcome.status == "timeout"
    assert outcome.message == "your code ran past the 2 s time limit"


def test_closing_every_stream_then_spinning_is_still_stopped(pool: Pool) -> None:
    source = "import os\ndef f(x):\n    for fd in (0, 1, 2, 3):\n        os.close(fd)\n    while True:\n        pass\n"
    assert attack(pool, source).status == "cpu"


def test_fork_bomb_cannot_fork(pool: Pool) -> None:
    outcome = attack(pool, "import os\ndef f(x):\n    while True:\n        os.fork()\n")
    assert outcome.status == "error"
    assert outcome.error_type == "PermissionError"


def test_python_memory_bomb_hits_the_memory_limit(pool: Pool) -> None:
    source = "def f(x):\n    hoard = []\n    while True:\n        hoard.append(bytearray(10 ** 7))\n"
    outcome = attack(pool, source, limits=Limits(cpu_seconds=5, wall_seconds=10))
    assert outcome.status == "memory"
    assert outcome.message == "your code tried to use more than 1 GiB of memory"


def test_numpy_memory_bomb_hits_the_memory_limit(pool: Pool) -> None:
    outcome = attack(pool, "import numpy as np\ndef f(x):\n    return float(np.ones(10 ** 10).sum())\n")
    assert outcome.status == "memory"


def test_huge_output_is_cut_at_the_output_limit(pool: Pool) -> None:
    outcome = attack(pool, "def f(x):\n    while True:\n        print('x' * 1000)\n")
    assert outcome.status == "output"
    assert outcome.message == "your code printed more than 1 MiB"
    assert len(outcome.stdout) == 1 << 20


def test_huge_file_is_refused_by_the_file_size_limit(pool: Pool) -> None:
    outcome = attack(pool, "def f(x):\n    open('big', 'wb').write(b'x' * (20 << 20))\n")
    assert outcome.status == "error"
    assert "File too large" in outcome.message


def test_nothing_outside_the_work_folder_is_writable(pool: Pool) -> None:
    source = (
        "def f(paths):\n"
        "    verdicts = {}\n"
        "    for path in paths:\n"
        "        try:\n"
        "            with open(path, 'w') as handle:\n"
        "                handle.write('x')\n"
        "            verdicts[path] = 'wrote'\n"
        "        except OSError:\n"
        "            verdicts[path] = 'refused'\n"
        "    return verdicts\n"
    )
    import numpy

    paths = ["/x", "/etc/passwd", "/usr/x", "/dev/x", "/proc/x", "/sandbox/zygote.py",
             "/sandbox/site/numpy/__init__.py", numpy.__file__, grader.__file__, "/work/ok", "/tmp/ok"]
    outcome = attack(pool, source, payload=paths)
    assert outcome.result == {path: "wrote" if path in {"/work/ok", "/tmp/ok"} else "refused"
                              for path in paths}


def test_files_left_behind_are_gone_for_the_next_submission(pool: Pool) -> None:
    leave = "import os\ndef f(x):\n    for d in ('/work', '/tmp'):\n        open(os.path.join(d, 'left'), 'w').write('secret')\n    return sorted(os.listdir('/work'))\n"
    first = pool.run(CALL_F, files={**student(leave), "data.txt": "mine"}, payload=1)
    assert first.result == ["data.txt", "left", "submission.py"]
    look = "import os\ndef f(x):\n    return sorted(os.listdir('/work')), sorted(os.listdir('/tmp'))\n"
    second = pool.run(CALL_F, files=student(look), payload=1)
    assert second.result == [["submission.py"], []]


def test_gradebook_secret_and_repository_are_out_of_reach(
    bwrap: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gradebook = tmp_path / "gradebook.db"
    gradebook.write_text("marks")
    monkeypatch.setenv("PROBSTATS_COURSE_SECRET", "hunter2")
    monkeypatch.setenv("PROBSTATS_DB", f"sqlite:///{gradebook}")
    monkeypatch.chdir(tmp_path)
    source = (
        "import os\n"
        "def f(paths):\n"
        "    seen = {'env': dict(os.environ)}\n"
        "    for path in paths:\n"
        "        seen[path] = os.path.exists(path)\n"
        "    return seen\n"
    )
    repo = Path(grader.__file__).resolve().parents[1]
    paths = [str(gradebook), str(tmp_path), str(repo), str(repo / "core"), "/root", "/etc",
             "/work/wt", str(Path.home())]
    with Pool(size=1) as fresh:
        outcome = fresh.run(CALL_F, files=student(source), payload=paths)
    # only the folders leading to the interpreter exist (pyenv keeps it under /root)
    leading = {str(folder) for folder in Path(os.path.realpath(sys.executable)).parents}
    assert outcome.result == {"env": {}, **{path: path in leading for path in paths}}
    assert outcome.result[str(gradebook)] is False and outcome.result[str(repo)] is False


@pytest.mark.parametrize(
    "call",
    [
        "socket.socket().connect(('127.0.0.1', 5432))",
        "socket.socket(socket.AF_UNIX).connect('/var/run/postgresql/.s.PGSQL.5432')",
        "subprocess.run([sys.executable, '-c', 'print(1)'])",
        "os.execv(sys.executable, [sys.executable, '-c', 'print(1)'])",
        "os.posix_spawn(sys.executable, [sys.executable], {})",
    ],
)
def test_sockets_and_new_programs_are_refused(pool: Pool, call: str) -> None:
    source = f"import os, socket, subprocess, sys\ndef f(x):\n    {call}\n"
    outcome = attack(pool, source)
    assert (outcome.status, outcome.error_type) == ("error", "PermissionError")


def test_os_system_runs_nothing(pool: Pool) -> None:
    source = "import os\ndef f(x):\n    return os.system('echo pwned > /work/pwned'), os.path.exists('/work/pwned')\n"
    outcome = attack(pool, source)
    assert outcome.status == "ok"
    assert outcome.result[0] != 0 and outcome.result[1] is False
    assert "pwned" not in outcome.stdout


@pytest.mark.parametrize("module", ["core", "grader", "exercises", "grader.sandbox"])
def test_our_packages_are_not_importable(pool: Pool, module: str) -> None:
    outcome = attack(pool, f"import {module}\ndef f(x):\n    return 1\n")
    assert (outcome.status, outcome.error_type) == ("error", "ModuleNotFoundError")


def test_monkeypatching_numpy_dies_with_the_submission(pool: Pool) -> None:
    patch = (
        "import numpy as np, math, builtins\n"
        "np.exp = lambda x: 0.0\n"
        "np.sum = lambda *a, **k: 42\n"
        "math.log = lambda x: 0.0\n"
        "builtins.abs = lambda x: 0\n"
        "def f(x):\n"
        "    return float(np.exp(1.0))\n"
    )
    assert attack(pool, patch).result == 0.0
    check = "import numpy as np, math\ndef f(x):\n    return [float(np.exp(1.0)), float(np.sum([1, 2])), math.log(math.e), abs(-3)]\n"
    outcome = pool.run(CALL_F, files=student(check), payload=1)
    assert outcome.result == [pytest.approx(2.718281828459045), 3.0, 1.0, 3]


def test_patching_numpy_files_on_disk_is_refused(pool: Pool) -> None:
    source = "import numpy, os\ndef f(x):\n    open(os.path.join(os.path.dirname(numpy.__file__), 'evil.py'), 'w')\n"
    assert attack(pool, source).error_type == "OSError"


LIARS = (
    "class Liar(float):\n"
    "    def __eq__(self, other):\n        return True\n"
    "    def __float__(self):\n        raise RuntimeError('no float for you')\n"
    "    def __repr__(self):\n        return 'Liar()'\n"
    "    def __array__(self, *a, **k):\n        raise RuntimeError('no array either')\n"
    "class Weird(dict):\n"
    "    def items(self):\n        raise RuntimeError('no items')\n"
)


def test_lying_objects_reach_the_parent_only_as_plain_json(pool: Pool) -> None:
    harness = "def main(payload):\n    import submission\n    return [submission.f(payload)]\n"
    source = LIARS + "def f(x):\n    return Liar(3.5)\n"
    outcome = pool.run(harness, files=student(source), payload=1)
    assert outcome.status == "ok"
    assert outcome.result == [3.5]
    assert type(outcome.result[0]) is float


def test_objects_that_raise_while_encoding_give_an_error(pool: Pool) -> None:
    source = LIARS + "def f(x):\n    return Weird(a=1)\n"
    outcome = attack(pool, source)
    assert outcome.status in {"ok", "error"}
    assert json.loads(json.dumps(outcome.result)) == outcome.result


def test_an_exception_that_lies_about_itself_is_still_reported(pool: Pool) -> None:
    source = (
        "class Nasty(Exception):\n"
        "    def __str__(self):\n        raise RuntimeError('no str')\n"
        "def f(x):\n    raise Nasty()\n"
    )
    outcome = attack(pool, source)
    assert outcome.status == "error"
    assert "Nasty" in outcome.traceback


def test_recursion_bomb_is_a_recursion_error(pool: Pool) -> None:
    outcome = attack(pool, "def f(x):\n    return f(x)\n")
    assert (outcome.status, outcome.error_type) == ("error", "RecursionError")
    assert "submission.py, line 2" in outcome.message


def test_raising_the_recursion_limit_ends_in_a_crash_or_a_limit(pool: Pool) -> None:
    source = "import sys\nsys.setrecursionlimit(10 ** 8)\ndef f(x):\n    return f(x + 1)\n"
    outcome = attack(pool, source, limits=Limits(cpu_seconds=3, wall_seconds=6))
    assert outcome.status in {"crashed", "memory", "cpu", "timeout"}
    assert outcome.message


def test_c_stack_overflow_is_a_crash(pool: Pool) -> None:
    source = "import json\ndef f(x):\n    deep = []\n    for _ in range(10 ** 6):\n        deep = [deep]\n    return repr(deep)\n"
    outcome = attack(pool, source)
    assert outcome.status in {"crashed", "error"}


def test_segfault_is_a_crash(pool: Pool) -> None:
    outcome = attack(pool, "import ctypes\ndef f(x):\n    return ctypes.string_at(0)\n")
    assert outcome.status == "crashed"
    assert "SIGSEGV" in outcome.message


@pytest.mark.parametrize("target", ["os.getppid()", "0", "-1", "1"])
def test_signals_reach_nobody_outside(pool: Pool, target: str) -> None:
    source = f"import os, signal\ndef f(x):\n    os.kill({target}, signal.SIGKILL)\n    return 'alive'\n"
    outcome = attack(pool, source)
    # either the kill is refused or lands on the submission itself, never on the grader
    assert outcome.status in {"ok", "error", "killed"}
    if outcome.status == "killed":
        assert outcome.message == "your code was stopped by SIGKILL"


def test_sys_exit_is_an_error_with_plain_words(pool: Pool) -> None:
    outcome = attack(pool, "import sys\ndef f(x):\n    sys.exit(0)\n")
    assert (outcome.status, outcome.error_type) == ("error", "SystemExit")
    assert outcome.message == "your code called sys.exit() instead of returning a value"


def test_os_exit_is_a_crash_before_main_returned(pool: Pool) -> None:
    outcome = attack(pool, "import os\ndef f(x):\n    os._exit(0)\n")
    assert outcome.status == "crashed"
    assert outcome.message == "your code ended the process (exit code 0) before main() returned"


def test_killing_itself_is_killed(pool: Pool) -> None:
    outcome = attack(pool, "import os, signal\ndef f(x):\n    os.kill(os.getpid(), signal.SIGTERM)\n    return 1\n")
    assert outcome.status == "killed"
    assert outcome.message == "your code was stopped by SIGTERM"


@pytest.mark.parametrize(
    "source",
    [
        # a right-to-left override hiding the real return value from a reader
        "def f(x):\n    return x  # \u202e 1 + x nruter \u202c\n",
        # a Cyrillic 'а' in a name: a different variable from the Latin one
        "def f(x):\n    \u0430 = 5\n    a = x\n    return a\n",
        # a NUL byte can't crash the sandbox either
        "def f(x):\n    return x\x00\n",
        # a BOM and odd line endings
        "\ufeffdef f(x):\r\n    return x\r\n",
    ],
)
def test_unicode_tricks_in_the_source_get_a_verdict(pool: Pool, source: str) -> None:
    outcome = attack(pool, source, payload=7)
    assert outcome.status in {"ok", "error"}
    if outcome.status == "ok":
        assert outcome.result == 7


def test_a_lone_surrogate_in_the_source_is_refused_before_the_sandbox(pool: Pool) -> None:
    with pytest.raises(ValueError, match=r"files\['submission.py'\] is not valid Unicode"):
        pool.run(CALL_F, files=student("def f(x):\n    return '\udcff'\n"), payload=1)


def test_printing_invalid_utf8_is_captured_with_replacement(pool: Pool) -> None:
    source = "import os\ndef f(x):\n    os.write(1, b'\\xff\\xfe ok')\n    return 1\n"
    outcome = attack(pool, source)
    assert outcome.stdout == "\ufffd\ufffd ok"
