"""Installing a plugin package from examples/ the way a course would, for the tests.

The package is installed with pip into a temporary folder (from a copy, so the source tree
stays clean; no dependencies, no index); the `probstats` CLI then runs in a subprocess with
that folder on PYTHONPATH and entry-point autoload on. Nothing is installed into the
project's virtualenv.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


def install_example(name: str, work: Path) -> Path:
    """Install ``examples/<name>`` into ``work/site``; return that folder."""
    source = work / "src"
    shutil.copytree(REPO_ROOT / "examples" / name, source,
                    ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    target = work / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation", "--no-index",
         "--target", str(target), str(source)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return target


def plugin_env(site: Path, **extra: str) -> dict[str, str]:
    """The environment of a course with the plugin installed: autoload on, ``site`` on the path."""
    env = {k: v for k, v in os.environ.items() if k not in ("PROBSTATS_DISABLE_PLUGIN_AUTOLOAD", "PROBSTATS_LOAD_PLUGINS")}
    env["PYTHONPATH"] = os.pathsep.join([str(site), str(REPO_ROOT)])
    env.update(extra)
    return env
