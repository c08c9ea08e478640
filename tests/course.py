"""The course's worked examples, read from tests/data/course_examples.json.

Each example carries the section of the course text it comes from; tests compare core
and the exercises with these printed numbers (rounded as the course rounds them).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"


@cache
def _examples() -> dict[str, dict[str, Any]]:
    with (DATA / "course_examples.json").open(encoding="utf-8") as file:
        return json.load(file)["examples"]


def course_example(name: str) -> dict[str, Any]:
    """The worked example ``name`` (a copy; KeyError listing the names if unknown)."""
    examples = _examples()
    if name not in examples:
        raise KeyError(f"no course example {name!r}; the examples are {sorted(examples)}")
    return dict(examples[name])
