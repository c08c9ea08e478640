"""The ``probstats`` command line: the grader's subcommands and ``dashboard``.

The grader's subcommands (``exercises``, ``sheet``, ``grade``, ``gradebook``, ``check``,
``plugins``, ``new-exercise``, ``worker``, and for a hosted course ``submit``, ``roster``,
``secret``, ``serve``) are :data:`grader.cli.COMMANDS`; this module adds
``dashboard``, which serves the Streamlit app. It sits above both packages, so the
grader never names the dashboard.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from grader.cli import COMMANDS, build_parser, run

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``probstats``; return the exit status."""
    return run(argv, {**COMMANDS, "dashboard": _dashboard}, build_parser())


#: Streamlit options the dashboard is served with wherever it is started from (the repo's
#: .streamlit/config.toml is read only when streamlit starts in the repo folder): no
#: Deploy button or developer menu, localhost only, no prompt, no usage statistics.
#: Options the user passes come after these, so they win.
DASHBOARD_OPTIONS = (
    "--client.toolbarMode", "viewer",
    "--server.address", "localhost",
    "--server.headless", "true",
    "--browser.gatherUsageStats", "false",
)


def _dashboard(args: argparse.Namespace) -> int:
    spec = importlib.util.find_spec("dashboard")
    if spec is None or spec.origin is None:
        raise ValueError("the dashboard package is not installed")
    app = Path(spec.origin).parent / "streamlit_app.py"
    command = [sys.executable, "-m", "streamlit", "run", str(app), *DASHBOARD_OPTIONS, *args.streamlit_args]
    # One BLAS thread unless told otherwise (as `make run`): the dashboard's work is many
    # small products, and two OpenBLAS threads on a busy two-core machine run ~10x slower.
    env = {**os.environ, "OPENBLAS_NUM_THREADS": os.environ.get("OPENBLAS_NUM_THREADS", "1")}
    return subprocess.call(command, env=env)
