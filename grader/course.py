"""The course: ``course.toml``'s mode, secret, due dates, attempt limits, late and reveal rules.

Where it comes from: the file named by ``PROBSTATS_COURSE``; else ``./course.toml`` if
there is one; else the local defaults (no due dates, no limits, the secret from
``PROBSTATS_COURSE_SECRET``). ``PROBSTATS_MODE`` overrides the file's ``mode``. A file
with an unknown key, a wrong type or a due date without a timezone is refused with a
:class:`CourseError` naming the key and its line (or its table).

The rules of one exercise are resolved by :meth:`Course.rules_for`: the exercise's own
table (``[exercises."topic.name"]``) overrides its topic's (``[topics.topic]``), which
overrides ``[defaults]``, which overrides the built-in defaults (:data:`BUILTIN`). The
grader enforces them in one place, :func:`grader.submissions.grade_submission`; see
``docs/course.md``.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

__all__ = [
    "BUILTIN",
    "COURSE_ENV",
    "COURSE_FILE",
    "DEFAULT_SECRET",
    "MODES",
    "MODE_ENV",
    "REVEAL_KINDS",
    "REVEAL_WHEN",
    "SECRET_ENV",
    "Course",
    "CourseError",
    "ExerciseRules",
    "RuleSet",
    "current_course",
    "load_course",
    "parse_course",
]

#: The environment variable naming the course file.
COURSE_ENV = "PROBSTATS_COURSE"
#: The file looked for in the working folder when ``PROBSTATS_COURSE`` is unset.
COURSE_FILE = "course.toml"
#: The environment variable that overrides the file's ``mode``.
MODE_ENV = "PROBSTATS_MODE"
#: The environment variable holding the course secret (when the file gives none).
SECRET_ENV = "PROBSTATS_COURSE_SECRET"
#: Used when no secret is given anywhere: fine for trying things out, not for a real course.
DEFAULT_SECRET = "probstats-insecure-default-secret"

MODES = ("local", "hosted")
#: When something is shown to a student.
REVEAL_WHEN = ("immediately", "after_first_attempt", "after_due", "never")
RevealWhen = Literal["immediately", "after_first_attempt", "after_due", "never"]
#: What the reveal rules govern: the expected answer, the score, the "see it move" link.
REVEAL_KINDS = ("answers", "scores", "links")

_TOP_KEYS = ("name", "mode", "secret", "secret_env", "defaults", "topics", "exercises")
_RULE_KEYS = ("due", "attempts", "late", *(f"reveal_{k}" for k in REVEAL_KINDS))
_TOPIC = re.compile(r"^[a-z][a-z0-9_]*$")
_EXERCISE = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class CourseError(ValueError):
    """A ``course.toml`` that cannot be used; the message names the file, key and line."""


@dataclass(frozen=True)
class RuleSet:
    """The rules one table of ``course.toml`` sets (None: not set there)."""

    due: datetime | None = None
    attempts: int | None = None
    late: str | float | None = None
    reveal_answers: str | None = None
    reveal_scores: str | None = None
    reveal_links: str | None = None


#: The rules when nothing is set: no due date, no limit, late refused (moot without a due
#: date), answers after the first attempt (the dashboard's rule for a linked page; a
#: graded attempt's own feedback counts), scores and links at once.
BUILTIN = RuleSet(
    due=None,
    attempts=None,
    late="refuse",
    reveal_answers="after_first_attempt",
    reveal_scores="immediately",
    reveal_links="immediately",
)


@dataclass(frozen=True)
class ExerciseRules:
    """The resolved rules of one exercise, and the table each came from.

    ``source[name]`` is where the value of ``name`` was set, as ``course.toml`` spells
    it (``exercises."bayes.x"``, ``topics.bayes``, ``defaults``) or ``built-in``. The
    enforcement helpers (:meth:`refusal`, :meth:`late_factor`, :meth:`reveals`) take the
    time and the attempts already stored, so callers and tests choose both.
    """

    exercise_id: str
    due: datetime | None
    attempts: int | None
    late: str | float
    reveal: Mapping[str, str] = field(hash=False)
    source: Mapping[str, str] = field(hash=False)

    def rule(self, name: str) -> str:
        """``"<table> <key>"``: where a rule was set, for messages."""
        return f"{self.source[name]} {name}"

    def is_late(self, now: datetime) -> bool:
        """Whether ``now`` is after the due date (never, without one)."""
        return self.due is not None and _aware(now, "now") > self.due

    def refusal(self, now: datetime, attempts_used: int) -> str | None:
        """Why a new attempt at ``now`` is refused, naming the rule; None if it is allowed.

        Parameters
        ----------
        now : datetime
            The time of the attempt (timezone-aware).
        attempts_used : int
            Graded attempts at this exercise already stored for the student.
        """
        if self.is_late(now) and self.late == "refuse":
            assert self.due is not None
            return (
                f"refused: the due date {self.due.isoformat()} ({self.rule('due')}) has passed "
                f"and late submissions are refused ({self.rule('late')} = \"refuse\"); nothing stored"
            )
        if self.attempts is not None and attempts_used >= self.attempts:
            return self.limit_message()
        return None

    def limit_message(self) -> str:
        """The refusal of an attempt past :attr:`attempts` (also used at store time)."""
        return (
            f"refused: the attempt limit of {self.attempts} is reached ({self.rule('attempts')} = "
            f"{self.attempts}); nothing stored"
        )

    def late_factor(self, now: datetime) -> float | None:
        """The score factor of a late attempt at ``now``; None if it is on time."""
        if not self.is_late(now) or self.late == "refuse":
            return None
        return float(self.late)

    def reveals(self, kind: str, now: datetime, attempts: int) -> bool:
        """Whether ``kind`` ("answers", "scores", "links") is shown to the student now.

        Parameters
        ----------
        kind : str
            One of :data:`REVEAL_KINDS`.
        now : datetime
            The time (timezone-aware).
        attempts : int
            The student's graded attempts at the exercise, counting the one just
            graded when the question is about its feedback.

        Notes
        -----
        ``after_due`` without a due date never reveals: a rule meant for an exam does
        not open up because a date was forgotten.
        """
        if kind not in REVEAL_KINDS:
            raise ValueError(f"`kind` must be one of {', '.join(REVEAL_KINDS)}; got {kind!r}")
        when = self.reveal[kind]
        if when == "immediately":
            return True
        if when == "after_first_attempt":
            return attempts >= 1
        if when == "after_due":
            return self.is_late(now)
        return False

    def reveal_note(self, kind: str) -> str:
        """A sentence saying when a withheld ``kind`` will be shown, naming the rule."""
        when = self.reveal[kind]
        what = {"answers": "The expected answer", "scores": "The score", "links": "The dashboard link"}[kind]
        rule = self.rule(f"reveal_{kind}")
        if when == "after_first_attempt":
            return f"{what} is shown after your first attempt ({rule})."
        if when == "after_due":
            due = "no due date is set" if self.due is None else self.due.isoformat()
            return f"{what} is shown after the due date, {due} ({rule})."
        return f"{what} is not shown in this course ({rule})."


@dataclass(frozen=True)
class Course:
    """A course's settings, from ``course.toml`` and the environment.

    Attributes
    ----------
    mode : {"local", "hosted"}
    path : Path or None
        The file read, or None for the local defaults.
    secret_source : str
        Where :attr:`secret` came from: ``"course.toml secret"``, ``"$NAME"`` or
        ``"default"``.
    """

    mode: str = "local"
    name: str = ""
    path: Path | None = None
    secret: str = field(default=DEFAULT_SECRET, repr=False)
    secret_source: str = "default"
    defaults: RuleSet = RuleSet()
    # Left out of the hash (read-only mappings have none); equality still compares them.
    topics: Mapping[str, RuleSet] = field(default_factory=lambda: MappingProxyType({}), hash=False)
    exercises: Mapping[str, RuleSet] = field(default_factory=lambda: MappingProxyType({}), hash=False)

    @property
    def uses_default_secret(self) -> bool:
        """True while the public :data:`DEFAULT_SECRET` is in use (fine only locally)."""
        return self.secret == DEFAULT_SECRET

    @property
    def hosted(self) -> bool:
        return self.mode == "hosted"

    def rules_for(self, exercise_id: str) -> ExerciseRules:
        """The rules of ``exercise_id``: exercise over topic over ``[defaults]`` over built-in."""
        topic = exercise_id.split(".", 1)[0]
        layers = [
            (f'exercises."{exercise_id}"', self.exercises.get(exercise_id)),
            (f"topics.{topic}", self.topics.get(topic)),
            ("defaults", self.defaults),
            ("built-in", BUILTIN),
        ]
        values: dict[str, Any] = {}
        source: dict[str, str] = {}
        for key in _RULE_KEYS:
            for where, rules in layers:
                value = None if rules is None else getattr(rules, key)
                if value is not None or where == "built-in":
                    values[key], source[key] = value, where
                    break
        reveal = {kind: values[f"reveal_{kind}"] for kind in REVEAL_KINDS}
        source.update({kind: source[f"reveal_{kind}"] for kind in REVEAL_KINDS})
        return ExerciseRules(
            exercise_id=exercise_id,
            due=values["due"],
            attempts=values["attempts"],
            late=values["late"],
            reveal=MappingProxyType(reveal),
            source=MappingProxyType(source),
        )


# -- loading ---------------------------------------------------------------------------


def course_path() -> Path | None:
    """The course file to read: ``PROBSTATS_COURSE``, else ``./course.toml`` if present."""
    named = os.environ.get(COURSE_ENV, "").strip()
    if named:
        return Path(named)
    here = Path.cwd() / COURSE_FILE
    return here if here.is_file() else None


def load_course(path: str | Path | None = None) -> Course:
    """Read a course: ``path``, or :func:`course_path`, or the local defaults.

    Raises
    ------
    CourseError
        If the file is missing, unreadable, not TOML, or breaks a rule (the message
        names the key and its line or table).
    """
    chosen = course_path() if path is None else Path(path)
    if chosen is None:
        return _with_environment(Course())
    try:
        text = chosen.read_text(encoding="utf-8")
    except OSError as exc:
        raise CourseError(f"{chosen}: cannot read the course file: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise CourseError(f"{chosen}: not UTF-8 text: {exc}") from None
    return _with_environment(replace(parse_course(text, source=str(chosen)), path=chosen))


def current_course() -> Course:
    """The course now (re-read only when the file or the environment changes).

    Cheap enough to call per grading: a ``stat`` of the file and a few environment reads.
    """
    path = course_path()
    if path is None:
        return _with_environment(Course())
    try:
        stat = path.stat()
    except OSError as exc:
        raise CourseError(f"{path}: cannot read the course file ({COURSE_ENV}): {exc.strerror}") from None
    return _with_environment(_cached_file(str(path), stat.st_mtime_ns, stat.st_size))


@lru_cache(maxsize=8)
def _cached_file(path: str, _mtime_ns: int, _size: int) -> Course:
    # Keyed by modification time and size, so an edited file is read again.
    text = Path(path).read_text(encoding="utf-8")
    return replace(parse_course(text, source=path), path=Path(path))


def _with_environment(course: Course) -> Course:
    """Apply ``PROBSTATS_MODE`` and resolve the secret from the environment."""
    mode = os.environ.get(MODE_ENV, "").strip()
    if mode and mode not in MODES:
        raise CourseError(f"{MODE_ENV} must be one of {', '.join(MODES)}; got {mode!r}")
    if course.secret_source == "course.toml secret":
        secret, source = course.secret, course.secret_source
    else:
        secret, source = DEFAULT_SECRET, "default"
        names = [course.secret_source[1:]] if course.secret_source.startswith("$") else []
        for name in [*names, SECRET_ENV]:
            if os.environ.get(name):
                secret, source = os.environ[name], f"${name}"
                break
    return replace(course, mode=mode or course.mode, secret=secret, secret_source=source)


# -- parsing and validation ------------------------------------------------------------


def parse_course(text: str, *, source: str = COURSE_FILE) -> Course:
    """Validate the text of a ``course.toml`` (the environment is not consulted).

    Raises
    ------
    CourseError
        Naming ``source``, the key, and its line when it can be found (else its table).
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CourseError(f"{source}: not valid TOML: {exc}") from None
    where = _Locator(text, source)
    _only_keys(data, _TOP_KEYS, "", where)
    name = data.get("name", "")
    if not isinstance(name, str):
        raise where.error("", "name", f"must be a string; got {_kind(name)}")
    mode = data.get("mode", "local")
    if mode not in MODES:
        raise where.error("", "mode", f"must be one of {', '.join(map(repr, MODES))}; got {mode!r}")
    if "secret" in data and "secret_env" in data:
        raise where.error("", "secret_env", "give either `secret` or `secret_env`, not both")
    secret, secret_source = DEFAULT_SECRET, "default"
    if "secret" in data:
        secret = data["secret"]
        if not isinstance(secret, str) or not secret:
            raise where.error("", "secret", "must be a non-empty string")
        secret_source = "course.toml secret"
    elif "secret_env" in data:
        env = data["secret_env"]
        if not isinstance(env, str) or not _ENV_NAME.match(env):
            raise where.error("", "secret_env", f"must be an environment variable name; got {env!r}")
        secret_source = f"${env}"
    defaults = _rules(data.get("defaults", {}), "defaults", where)
    topics = _tables(data.get("topics", {}), "topics", _TOPIC, "a topic name such as 'bayes'", where)
    exercises = _tables(
        data.get("exercises", {}), "exercises", _EXERCISE, "an exercise id such as 'bayes.posterior'", where
    )
    return Course(
        mode=mode,
        name=name,
        secret=secret,
        secret_source=secret_source,
        defaults=defaults,
        topics=topics,
        exercises=exercises,
    )


def _tables(
    data: Any, table: str, pattern: re.Pattern[str], shape: str, where: _Locator
) -> Mapping[str, RuleSet]:
    if not isinstance(data, dict):
        raise where.error("", table, f"must be a table; got {_kind(data)}")
    out = {}
    for key, value in data.items():
        if not pattern.match(key):
            raise where.error(table, key, f"must be {shape}")
        out[key] = _rules(value, f'{table}."{key}"' if "." in key else f"{table}.{key}", where)
    return MappingProxyType(out)


def _rules(data: Any, table: str, where: _Locator) -> RuleSet:
    if not isinstance(data, dict):
        raise where.error("", table, f"must be a table; got {_kind(data)}")
    _only_keys(data, _RULE_KEYS, table, where)
    values: dict[str, Any] = {}
    if "due" in data:
        values["due"] = _due(data["due"], table, where)
    if "attempts" in data:
        attempts = data["attempts"]
        if isinstance(attempts, bool) or not isinstance(attempts, int) or attempts < 1:
            raise where.error(table, "attempts", f"must be a whole number >= 1; got {attempts!r}")
        values["attempts"] = attempts
    if "late" in data:
        late = data["late"]
        if late != "refuse" and (
            isinstance(late, bool) or not isinstance(late, int | float) or not 0.0 < late <= 1.0
        ):
            raise where.error(table, "late", f'must be "refuse" or a score factor in (0, 1]; got {late!r}')
        values["late"] = late if late == "refuse" else float(late)
    for kind in REVEAL_KINDS:
        key = f"reveal_{kind}"
        if key in data:
            if data[key] not in REVEAL_WHEN:
                allowed = ", ".join(map(repr, REVEAL_WHEN))
                raise where.error(table, key, f"must be one of {allowed}; got {data[key]!r}")
            values[key] = data[key]
    return RuleSet(**values)


def _due(value: Any, table: str, where: _Locator) -> datetime:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise where.error(table, "due", f"not an ISO date and time: {value!r}") from None
    if not isinstance(value, datetime):
        got = "a date without a time" if isinstance(value, date) else _kind(value)
        raise where.error(table, "due", f"must be a date and time with a timezone offset, e.g. 2026-03-01T23:59:00+01:00; got {got}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise where.error(table, "due", f"needs a timezone offset (e.g. +00:00 or Z); got {value.isoformat()}")
    return value


def _only_keys(data: Mapping[str, Any], allowed: tuple[str, ...], table: str, where: _Locator) -> None:
    for key in data:
        if key not in allowed:
            raise where.error(table, key, f"unknown key; expected one of {', '.join(allowed)}")


def _aware(value: datetime, name: str) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"`{name}` must be a timezone-aware datetime; got {value!r}")
    return value


def _kind(value: Any) -> str:
    return {dict: "a table", list: "an array", str: "a string", bool: "a boolean"}.get(
        type(value), type(value).__name__
    )


class _Locator:
    """Finds the line of ``key = ...`` under ``[table]`` for error messages."""

    def __init__(self, text: str, source: str) -> None:
        self.lines = text.splitlines()
        self.source = source

    def line_of(self, table: str, key: str) -> int | None:
        current = ""
        names = {key, f'"{key}"', f"'{key}'"}
        for number, raw in enumerate(self.lines, start=1):
            line = raw.strip()
            if line.startswith("["):
                header = line.strip("[]").strip()
                current = header.replace(" ", "")
                if f"{table}.{key}".strip(".") in {current, current.replace('"', "")} or current in {
                    f'{table}."{key}"'.strip("."), f"{table}.'{key}'".strip(".")
                }:
                    return number
                continue
            name = line.split("=", 1)[0].strip()
            if "=" in line and name in names and current.replace('"', "") == table.replace('"', ""):
                return number
        return None

    def error(self, table: str, key: str, message: str) -> CourseError:
        line = self.line_of(table, key)
        place = f"line {line}" if line is not None else (f"[{table}]" if table else "top level")
        dotted = f"{table}.{key}" if table else key
        return CourseError(f"{self.source}: {place}: `{dotted}` {message}")
