"""Turn a worker's report (untrusted JSON) into an :class:`Outcome` with plain words."""

from __future__ import annotations

import json
import re
import signal

from grader.sandbox.limits import Limits, Outcome

_CRASH_SIGNALS = {signal.SIGSEGV, signal.SIGBUS, signal.SIGABRT, signal.SIGILL, signal.SIGFPE}
_ZYGOTE_FRAME = re.compile(r'  File "/sandbox/zygote\.py", line \d+, in \w+\n(?:    .*\n)*')
_SUBMISSION_LINE = re.compile(r'File "([^"/]+\.py)", line (\d+)')


class SandboxError(RuntimeError):
    """The sandbox itself failed (not the student's code): the run should be retried."""


def size_words(size: float) -> str:
    """``1 << 30`` -> ``"1 GiB"``: sizes as a student reads them."""
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:g} {unit}"
    return f"{size:g} bytes"


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _clean_traceback(text: str) -> str:
    """Drop the zygote's own frames and the ``/work/`` prefix: the student sees their file."""
    return _ZYGOTE_FRAME.sub("", text).replace('File "/work/', 'File "')


def _error_message(kind: str, text: str) -> str:
    last = text.strip().splitlines()[-1] if text.strip() else kind
    where = _SUBMISSION_LINE.findall(text)
    place = f" ({where[-1][0]}, line {where[-1][1]})" if where else ""
    return f"your code raised {last}{place}"


def _decode(body: object) -> dict[str, object] | None:
    if not isinstance(body, str) or not body:
        return None
    try:
        value = json.loads(body)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def outcome_from_report(report: object, limits: Limits) -> Outcome:
    """Classify one run from the zygote's report; raise SandboxError for our own failures."""
    if not isinstance(report, dict) or "internal" in report:
        detail = report.get("internal") if isinstance(report, dict) else report
        raise SandboxError(f"the sandbox failed: {detail}")
    stdout, stderr = str(report.get("stdout", "")), str(report.get("stderr", ""))
    seconds = float(report.get("seconds", 0.0))
    cpu = float(report.get("cpu_seconds", 0.0))
    sig, code = report.get("signal"), report.get("exit_code")

    def outcome(status: str, message: str, **extra: object) -> Outcome:
        return Outcome(status=status, stdout=stdout, stderr=stderr, seconds=seconds,
                       message=message, cpu_seconds=cpu, **extra)  # type: ignore[arg-type]

    stopped = report.get("stopped")
    if stopped == "wall":
        return outcome("timeout", f"your code ran past the {limits.wall_seconds:g} s time limit",
                       result=None)
    if stopped == "output":
        return outcome("output",
                       f"your code printed more than {size_words(limits.output_bytes)}",
                       result=None)
    if stopped == "result":
        return outcome("output", "the value returned was larger than "
                       f"{size_words(limits.result_bytes)}", result=None)
    if sig == signal.SIGXCPU or (sig == signal.SIGKILL and cpu >= limits.cpu_seconds - 0.05):
        return outcome("cpu", f"your code ran past the {limits.cpu_seconds:g} s CPU limit",
                       result=None)
    frame = _decode(report.get("result"))
    if frame is not None and "setup" in frame:
        raise SandboxError(f"the sandbox failed to start the code: {frame['setup']}")
    if frame is not None and code == 0 and "result" in frame:
        return outcome("ok", "", result=frame["result"])
    if frame is not None and code == 0 and "error" in frame:
        kind = str(frame["error"])
        text = _clean_traceback(str(frame.get("traceback", "")))
        if kind == "MemoryError":
            return outcome("memory", "your code tried to use more than "
                           f"{size_words(limits.memory_bytes)} of memory",
                           result=None, traceback=text, error_type=kind)
        message = _error_message(kind, text)
        if kind == "SystemExit":
            message = "your code called sys.exit() instead of returning a value"
        return outcome("error", message, result=None, traceback=text,
                       error_type=kind)
    if isinstance(sig, int):
        name = _signal_name(sig)
        if sig in _CRASH_SIGNALS:
            return outcome("crashed", f"the Python process crashed ({name}); a recursion too "
                           "deep for the C stack is the usual cause", result=None)
        return outcome("killed", f"your code was stopped by {name}", result=None)
    return outcome("crashed", f"your code ended the process (exit code {code}) before "
                   "main() returned", result=None)
