"""Running the probstats command line in-process, as the CLI tests do."""

from __future__ import annotations

import pytest

from probstats import cli

#: The course secret the CLI tests run with (set by the ``workdir`` fixture).
SECRET = "cli-secret"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``probstats ARGV``: the exit status, stdout and stderr."""
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err
