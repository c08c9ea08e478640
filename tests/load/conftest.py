"""Print the load test's figures at the end of the run (also from xdist workers)."""

from __future__ import annotations

import json
from typing import Any

#: The user property the load test stores its figures under.
REPORT_PROPERTY = "load_report"


def pytest_terminal_summary(terminalreporter: Any) -> None:
    for reports in terminalreporter.stats.values():
        for report in reports:
            for name, value in getattr(report, "user_properties", ()):
                if name == REPORT_PROPERTY and getattr(report, "when", "call") == "call":
                    terminalreporter.write_sep("-", "load test figures")
                    terminalreporter.write_line(json.dumps(value, indent=2))
