"""docs/hosting.md: every `probstats` command line in it is one the command line accepts."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from grader.cli import build_parser

DOC = Path(__file__).resolve().parents[2] / "docs" / "hosting.md"
# A command at the start of a line, or after a venv's bin/ (the systemd units).
COMMAND = re.compile(r"(?:^|/bin/)probstats ([^\n#]+)", re.M)


def commands() -> list[str]:
    blocks = "\n".join(re.findall(r"```[a-z]*\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S))
    return [m.strip() for m in COMMAND.findall(blocks)]


def test_the_doc_has_the_hosting_commands() -> None:
    found = {c.split()[0] for c in commands()}
    assert {"secret", "roster", "serve", "dashboard", "gradebook", "sheet", "submit", "course", "check", "worker"} <= found


@pytest.mark.parametrize("line", commands())
def test_each_command_parses(line: str) -> None:
    # As grader.cli.run parses: an unknown subcommand exits (SystemExit 2), and only
    # `dashboard` passes options it does not know on (to streamlit).
    args, extra = build_parser().parse_known_args(shlex.split(line))
    assert args.command == line.split()[0]
    assert not extra or args.command == "dashboard", f"unknown options {extra} in {line!r}"
