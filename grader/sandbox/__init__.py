"""Run trusted harness code on untrusted student files inside a bubblewrap sandbox.

``run(harness, files=..., payload=...)`` starts one sandbox for one job;
:class:`Pool` keeps warm workers (numpy imported once, a fresh forked child per job).
See ``docs/sandbox.md`` for what the sandbox defends against and what it does not.
"""

from grader.sandbox.command import SandboxUnavailable, find_bwrap
from grader.sandbox.limits import DEFAULT_LIMITS, STATUSES, Limits, Outcome
from grader.sandbox.pool import Pool, default_size, run
from grader.sandbox.verdict import SandboxError

__all__ = [
    "DEFAULT_LIMITS",
    "STATUSES",
    "Limits",
    "Outcome",
    "Pool",
    "SandboxError",
    "SandboxUnavailable",
    "default_size",
    "find_bwrap",
    "run",
]
