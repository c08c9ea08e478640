"""The personal problem sheet (markdown) and the answer template (TOML or JSON)."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from grader.course import Course, current_course
from grader.exercise import Exercise
from grader.ids import check_student_id
from grader.variants import variant_for

__all__ = ["render_sheet", "render_template", "sheet_bundle", "toml_value"]

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def render_sheet(
    exercises: Sequence[Exercise],
    student_id: str,
    *,
    secret: str | None = None,
    course: Course | None = None,
    now: datetime | None = None,
) -> str:
    """The markdown problem sheet of ``student_id``: their variant of each exercise.

    Exercises are grouped by topic in the given order; each shows its id, points, prompt,
    what to type, its due date if the course sets one, and the dashboard page that
    visualises it (when the course's ``reveal_links`` rule shows it before any attempt;
    otherwise a sentence saying when it will be shown). ``student_id`` is read with
    :func:`grader.ids.check_student_id` (ValueError outside the rule). ``course`` is
    :func:`grader.course.current_course` and ``now`` the current time by default.
    """
    student_id = check_student_id(student_id)
    course = current_course() if course is None else course
    now = datetime.now(UTC) if now is None else now
    lines = [f"# ProbStats problem sheet for `{student_id}`", ""]
    lines.append(
        f"Fill in `answers-{student_id}.toml` and submit it with "
        f"`probstats grade answers-{student_id}.toml`. Numbers may be typed as expressions "
        "such as `5/7`, `exp(3)` or `log(2)`."
    )
    topic = None
    for exercise in exercises:
        if exercise.topic != topic:
            topic = exercise.topic
            lines += ["", f"## {topic}"]
        params = variant_for(student_id, exercise, secret=secret).params
        points = f"{exercise.points:g} point{'s' if exercise.points != 1 else ''}"
        lines += ["", f"### `{exercise.id}`: {exercise.title} ({points})", ""]
        lines.append(exercise.render_prompt(params).strip())
        lines += ["", f"*Answer:* {exercise.answer.describe()}."]
        rules = course.rules_for(exercise.id)
        if rules.due is not None:
            lines.append(f"*Due:* {rules.due.isoformat()}.")
        url = exercise.dashboard_url(params)
        if url is not None and rules.reveals("links", now, 0):
            lines.append(f"*See it move:* dashboard page `{url}`.")
        elif url is not None:
            lines.append(f"*See it move:* {rules.reveal_note('links')}")
    return "\n".join(lines) + "\n"


def render_template(exercises: Sequence[Exercise], student_id: str, *, fmt: str = "toml") -> str:
    """An answer file to fill in: the student id and a placeholder per exercise.

    Placeholders left untouched are skipped by the grader, not marked wrong.
    """
    student_id = check_student_id(student_id)
    if fmt == "json":
        data = {"student_id": student_id, "answers": {e.id: e.answer.template() for e in exercises}}
        return json.dumps(data, indent=2) + "\n"
    if fmt != "toml":
        raise ValueError(f"`fmt` must be one of 'toml', 'json'; got {fmt!r}")
    lines = [
        f"# Answers of {student_id}. Fill in, then run: probstats grade <this file>",
        f"student_id = {toml_value(student_id)}",
        "",
        "[answers]",
    ]
    for exercise in exercises:
        lines.append(f"# {exercise.title}: {exercise.answer.describe()}")
        lines.append(f"{toml_key(exercise.id)} = {toml_value(exercise.answer.template())}")
    return "\n".join(lines) + "\n"


def toml_key(key: str) -> str:
    """A TOML key, quoted unless bare (``"a.b"`` must be quoted to stay one key)."""
    return key if _BARE_KEY.match(key) else json.dumps(key)


def toml_value(value: Any) -> str:
    """A TOML value for strings, numbers, booleans, lists and (inline) tables.

    Examples
    --------
    >>> toml_value({"alpha": "", "mean": 0.5})
    '{ alpha = "", mean = 0.5 }'
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)  # a JSON string is a valid TOML basic string
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        return "{ " + ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def sheet_bundle(
    exercises: Sequence[Exercise],
    student_id: str,
    *,
    fmt: str = "toml",
    secret: str | None = None,
    course: Course | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Everything a student needs to work: the sheet, the answer template and the variants.

    The shape of ``probstats sheet --json`` and of the API's ``GET /api/v1/sheet``:
    ``{"student_id", "sheet", "template", "format", "variants": {id: {"seed", "params",
    "dashboard"}}}``; ``dashboard`` is None where the course's ``reveal_links`` rule does
    not show the link before an attempt. ``course`` and ``now`` as in :func:`render_sheet`.
    """
    student_id = check_student_id(student_id)
    course = current_course() if course is None else course
    now = datetime.now(UTC) if now is None else now
    variants = {}
    for e in exercises:
        v = variant_for(student_id, e, secret=secret)
        shown = course.rules_for(e.id).reveals("links", now, 0)
        variants[e.id] = {"seed": v.seed, "params": v.params, "dashboard": e.dashboard_url(v.params) if shown else None}
    return {
        "student_id": student_id,
        "sheet": render_sheet(exercises, student_id, secret=secret, course=course, now=now),
        "template": render_template(exercises, student_id, fmt=fmt),
        "format": fmt,
        "variants": variants,
    }
