"""What a sandboxed run may use (:class:`Limits`) and what came of it (:class:`Outcome`)."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields

#: Every status an :class:`Outcome` can carry.
STATUSES = ("ok", "error", "timeout", "cpu", "memory", "output", "killed", "crashed")


@dataclass(frozen=True)
class Limits:
    """Resource limits of one sandboxed run.

    Parameters
    ----------
    cpu_seconds : float
        CPU time before the kernel stops the code (rounded up to whole seconds).
    wall_seconds : float
        Wall-clock time before the supervisor kills the code.
    memory_bytes : int
        Address-space limit of the student's process (numpy's own mappings count).
    processes : int
        Process limit (``RLIMIT_NPROC``; the seccomp filter refuses fork anyway).
    file_bytes : int
        Largest file the code may write in its working folder.
    output_bytes : int
        Stdout and stderr each captured up to this many bytes; more ends the run.
    result_bytes : int
        Largest JSON text the harness's ``main`` may return.
    """

    cpu_seconds: float = 5.0
    wall_seconds: float = 10.0
    memory_bytes: int = 1 << 30
    processes: int = 16
    file_bytes: int = 10 << 20
    output_bytes: int = 1 << 20
    result_bytes: int = 4 << 20

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise TypeError(f"Limits.{field.name} must be a number, got {value!r}")
            if not math.isfinite(value) or value <= 0:
                raise ValueError(f"Limits.{field.name} must be positive and finite, got {value!r}")

    def as_json(self) -> dict[str, float]:
        """The limits as a plain dict, as the zygote reads them."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: object) -> Limits:
        """Limits from :meth:`as_json`'s dict (e.g. a queued job's); unknown keys refused."""
        if not isinstance(data, dict):
            raise TypeError(f"limits must be a dict of numbers, got {type(data).__name__}")
        known = {field.name: field.type for field in fields(cls)}
        unknown = sorted(set(data) - set(known))
        if unknown:
            raise ValueError(f"limits: unknown keys {unknown}")
        values = {name: int(value) if known[name] == "int" and float(value).is_integer() else value
                  for name, value in data.items()}
        return cls(**values)


#: The issue's limits: 5 s CPU, 10 s wall clock, 1 GiB, 16 processes, 10 MiB files, 1 MiB output.
DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class Outcome:
    """What one sandboxed run came to.

    Parameters
    ----------
    status : str
        One of :data:`STATUSES`: ``"ok"`` (``main`` returned), ``"error"`` (an exception
        escaped ``main``), ``"timeout"`` (wall clock), ``"cpu"``, ``"memory"``,
        ``"output"`` (too much printed), ``"killed"`` (a signal ended it) or
        ``"crashed"`` (the process ended without a result).
    result : object or None
        The JSON value ``main`` returned, decoded in the grader (plain dict, list, str,
        int, float, bool or None); None unless ``status == "ok"``.
    stdout, stderr : str
        What the code printed, each cut at ``Limits.output_bytes``.
    seconds : float
        Wall-clock time of the run.
    message : str
        Plain words for a student, e.g. "your code ran past the 5 s CPU limit".
    traceback : str
        For ``"error"``: the traceback, with the lines in ``submission.py`` kept.
    error_type : str
        For ``"error"``: the exception's class name, e.g. ``"ZeroDivisionError"``.
    cpu_seconds : float
        CPU time the student's process used.
    """

    status: str
    result: object | None
    stdout: str
    stderr: str
    seconds: float
    message: str
    traceback: str = ""
    error_type: str = ""
    cpu_seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True when ``main`` returned a value."""
        return self.status == "ok"
