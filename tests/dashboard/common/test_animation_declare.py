"""The animation component is declared on first use, not on import: Streamlit serves a
component only when it was declared inside a script run, and the server's warm-up
thread imports the page modules (and so this one) outside any."""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_module_declares_no_component():
    code = ("import dashboard.common.animation as a, dashboard.topics.mcmc.motion_view; "
            "print(a._component.cache_info().currsize)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.strip() == "0"
