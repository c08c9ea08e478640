"""What the code-answer tests need: bubblewrap, and one warm sandbox worker per test process."""

from __future__ import annotations

import os

from grader.code_answers import WORKERS_ENV
from grader.sandbox import SandboxUnavailable, find_bwrap
from tests.ci import skip_or_fail_in_ci

__all__ = ["need_sandbox"]


def need_sandbox() -> None:
    """Skip without bubblewrap (fail under CI=true); grade with one warm worker."""
    os.environ.setdefault(WORKERS_ENV, "1")
    try:
        find_bwrap()
    except SandboxUnavailable as err:
        skip_or_fail_in_ci(str(err), "CI must grade code answers (.ci/run installs bubblewrap)")
