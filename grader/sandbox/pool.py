"""Warm sandboxed workers in the grader's process: :class:`Pool` and the one-shot :func:`run`.

Each worker is one bubblewrap sandbox running ``zygote.py``; it takes one job at a time
over its stdin and stdout (length-prefixed JSON, never pickle). A worker that stops
answering is killed and replaced, so a hostile submission costs at most one restart.
"""

from __future__ import annotations

import json
import math
import os
import queue
import re
import selectors
import struct
import subprocess
import tempfile
import threading
import time
from collections.abc import Mapping
from typing import IO

from grader.sandbox.command import worker_command
from grader.sandbox.limits import DEFAULT_LIMITS, Limits, Outcome
from grader.sandbox.verdict import SandboxError, outcome_from_report

#: How long a cold worker may take to import numpy and say it is ready.
START_SECONDS = 30.0
_FILE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}")
_MAX_FRAME = 64 << 20


def _encode_job(harness: str, files: Mapping[str, str], payload: object,
                limits: Limits) -> bytes:
    if not isinstance(harness, str):
        raise TypeError(f"harness must be Python source text, got {type(harness).__name__}")
    if not isinstance(files, Mapping):
        raise TypeError(f"files must map file names to text, got {type(files).__name__}")
    for name, text in files.items():
        if not isinstance(name, str) or not _FILE_NAME.fullmatch(name) or name in {".", ".."}:
            raise ValueError(f"files: {name!r} is not a plain file name (letters, digits, . _ -)")
        if not isinstance(text, str):
            raise TypeError(f"files[{name!r}] must be text, got {type(text).__name__}")
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ValueError(f"files[{name!r}] is not valid Unicode text: {exc.reason} at "
                             f"character {exc.start}") from exc
    if not isinstance(limits, Limits):
        raise TypeError(f"limits must be a Limits, got {type(limits).__name__}")
    try:
        body = json.dumps({"harness": harness, "files": dict(files), "payload": payload,
                           "limits": limits.as_json()}, allow_nan=True)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"payload must be JSON data (numbers, strings, lists, dicts): {exc}") \
            from exc
    data = body.encode("utf-8")
    return struct.pack(">I", len(data)) + data


class _Worker:
    """One sandbox process; not thread-safe (the pool hands it to one caller at a time)."""

    def __init__(self) -> None:
        self._log: IO[bytes] = tempfile.TemporaryFile()
        started = time.monotonic()
        self._process = subprocess.Popen(
            worker_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=self._log, env={}, close_fds=True, start_new_session=True,
        )
        assert self._process.stdin is not None and self._process.stdout is not None
        self._in, self._out = self._process.stdin, self._process.stdout
        self._selector = selectors.DefaultSelector()
        self._selector.register(self._out, selectors.EVENT_READ)
        ready = self._read_frame(started + START_SECONDS)
        if not isinstance(ready, dict) or ready.get("ready") is not True:
            log = self.log_tail()
            self.close()
            raise SandboxError(f"the sandbox worker did not start: {log or ready!r}")
        self.seccomp = bool(ready.get("seccomp"))
        self.cold_seconds = time.monotonic() - started

    def log_tail(self) -> str:
        """The end of the worker's own stderr (bwrap's or the zygote's complaints)."""
        self._log.seek(0)
        return self._log.read()[-2000:].decode("utf-8", errors="replace").strip()

    def _read_exact(self, size: int, deadline: float) -> bytes:
        data = bytearray()
        fd = self._out.fileno()
        while len(data) < size:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not self._selector.select(remaining):
                raise SandboxError("the sandbox worker did not answer in time")
            chunk = os.read(fd, size - len(data))
            if not chunk:
                raise SandboxError(f"the sandbox worker stopped: {self.log_tail()}")
            data += chunk
        return bytes(data)

    def _read_frame(self, deadline: float) -> object:
        (size,) = struct.unpack(">I", self._read_exact(4, deadline))
        if size > _MAX_FRAME:
            raise SandboxError("the sandbox worker sent an oversized reply")
        return json.loads(self._read_exact(size, deadline))

    def run(self, job: bytes, limits: Limits) -> Outcome:
        self._in.write(job)
        self._in.flush()
        report = self._read_frame(time.monotonic() + limits.wall_seconds + 15)
        return outcome_from_report(report, limits)

    def alive(self) -> bool:
        return self._process.poll() is None

    def close(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        for stream in (self._in, self._out):
            stream.close()
        self._selector.close()
        self._log.close()


class Pool:
    """Warm sandboxed workers; ``run`` is safe to call from several threads at once.

    Parameters
    ----------
    size : int
        Number of workers, each one sandbox serving one job at a time.

    Examples
    --------
    >>> with Pool(size=2) as pool:  # doctest: +SKIP
    ...     pool.run("def main(p):\\n    return p * 2\\n", files={}, payload=21).result
    42
    """

    def __init__(self, size: int = 2) -> None:
        if isinstance(size, bool) or not isinstance(size, int) or size < 1:
            raise ValueError(f"size must be a whole number of workers >= 1, got {size!r}")
        self.size = size
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._closed = False
        self._all: list[_Worker] = []
        try:
            for _ in range(size):
                self._add(_Worker())
        except BaseException:
            self.close()
            raise

    def _add(self, worker: _Worker) -> None:
        with self._lock:
            self._all.append(worker)
        self._idle.put(worker)

    def _discard(self, worker: _Worker) -> None:
        with self._lock:
            if worker in self._all:
                self._all.remove(worker)
        worker.close()

    def _replace(self, worker: _Worker) -> None:
        self._discard(worker)
        if not self._closed:
            self._add(_Worker())

    def _take(self) -> _Worker:
        """An idle worker that is still alive (a dead one is replaced by a cold one)."""
        worker = self._idle.get()
        if worker.alive():
            return worker
        self._discard(worker)
        fresh = _Worker()
        with self._lock:
            self._all.append(fresh)
        return fresh

    @property
    def seccomp(self) -> bool:
        """True when the workers load the seccomp filter (libseccomp was found)."""
        with self._lock:
            return all(worker.seccomp for worker in self._all)

    def run(self, harness: str, *, files: Mapping[str, str], payload: object,
            limits: Limits = DEFAULT_LIMITS) -> Outcome:
        """Run ``main(payload)`` of ``harness`` in a fresh sandboxed child; see :func:`run`."""
        job = _encode_job(harness, files, payload, limits)
        if self._closed:
            raise RuntimeError("the pool is closed")
        worker = self._take()
        try:
            outcome = worker.run(job, limits)
        except (SandboxError, OSError, ValueError):
            self._replace(worker)
            raise
        if worker.alive():
            self._idle.put(worker)
        else:
            self._replace(worker)
        return outcome

    def close(self) -> None:
        """Stop every worker (idempotent)."""
        self._closed = True
        with self._lock:
            workers, self._all = self._all, []
        for worker in workers:
            worker.close()

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def run(harness: str, *, files: Mapping[str, str], payload: object,
        limits: Limits = DEFAULT_LIMITS) -> Outcome:
    """Run trusted ``harness`` source's ``main(payload)`` on student files in the sandbox.

    Parameters
    ----------
    harness : str
        Trusted Python source defining ``main(payload)`` that returns JSON data.
    files : Mapping[str, str]
        Plain file names to text, written to the run's empty working folder
        (e.g. ``{"submission.py": source}``; ``import submission`` works).
    payload : object
        JSON data handed to ``main`` (floats, including inf and nan, round-trip).
    limits : Limits
        CPU, wall-clock, memory, process, file and output limits.

    Returns
    -------
    Outcome
        The verdict; its ``result`` is decoded JSON, never an object the code made.

    Raises
    ------
    SandboxUnavailable
        bubblewrap is not installed.
    SandboxError
        The sandbox itself failed (not the submission).

    Notes
    -----
    This starts a cold worker (numpy imported afresh) for one job; use :class:`Pool`
    to grade many submissions.
    """
    job = _encode_job(harness, files, payload, limits)
    worker = _Worker()
    try:
        return worker.run(job, limits)
    finally:
        worker.close()


def default_size() -> int:
    """Workers for this machine: one per core, at least one."""
    return max(1, math.floor(len(os.sched_getaffinity(0))))
