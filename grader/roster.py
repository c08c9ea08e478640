"""The course roster: who may log in to a hosted course, and with which role.

A roster is a CSV file with the header ``id,name,email,role`` (in any order; other
columns are refused) and one member a line::

    id,name,email,role
    s123,Ada Lovelace,ada@example.edu,student
    t1,Grace Hopper,grace@example.edu,instructor

Ids follow :func:`grader.ids.check_student_id`; ``role`` is ``student`` or
``instructor``; emails are stored lower-cased (single sign-on maps an identity's email
to its member). :func:`read_roster` reads the whole file first and reports every bad
line by number (a malformed row, a duplicate id or email, an unknown role, a bad
email), so a roster is imported whole or not at all.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa

from grader.access import ROLES, Member
from grader.files import FileRefused, read_bounded
from grader.gradebook import members
from grader.ids import check_student_id

if TYPE_CHECKING:
    from grader.gradebook import Gradebook

__all__ = ["COLUMNS", "MAX_ROSTER_BYTES", "RosterError", "RosterImport", "import_roster", "parse_roster", "read_roster"]

#: The roster's columns.
COLUMNS = ("id", "name", "email", "role")
#: The largest roster file read (a class of thousands is well under it).
MAX_ROSTER_BYTES = 10_000_000
_MAX_NAME = 256
# One @, a dotted domain, no spaces or angle brackets: enough to catch typos and
# pasted "Name <a@b>" cells, without claiming to validate RFC 5322.
_EMAIL = re.compile(r"^[^@\s<>,;\"]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")


class RosterError(ValueError):
    """A roster that cannot be imported; the message names every bad line."""


@dataclass(frozen=True)
class RosterImport:
    """What an import changed: ids added, ids updated (name, email or role), unchanged."""

    added: tuple[str, ...]
    updated: tuple[str, ...]
    unchanged: tuple[str, ...]


def check_email(email: str, name: str = "email") -> str:
    """The email lower-cased and stripped, or ValueError naming ``name``.

    Examples
    --------
    >>> check_email(" Ada@Example.EDU ")
    'ada@example.edu'
    """
    normal = email.strip().lower()
    if len(normal) > 320 or not _EMAIL.match(normal):
        raise ValueError(f"`{name}` is not an email address: {email!r}")
    return normal


def parse_roster(text: str, *, source: str = "roster") -> list[Member]:
    """The members of a roster CSV text, or :class:`RosterError` naming each bad line.

    Examples
    --------
    >>> parse_roster("id,name,email,role\\ns1,Ada,ada@x.org,student\\n")
    [Member(id='s1', name='Ada', email='ada@x.org', role='student')]
    >>> parse_roster("id,name,email,role\\ns1,Ada,ada@x.org,teacher\\n")
    Traceback (most recent call last):
    ...
    grader.roster.RosterError: roster: line 2: unknown role 'teacher'; expected student or instructor
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise RosterError(f"{source}: empty file; expected the header {','.join(COLUMNS)}") from None
    except csv.Error as exc:
        raise RosterError(f"{source}: line 1: malformed header: {exc}") from None
    names = [h.strip().lower() for h in header]
    if sorted(names) != sorted(COLUMNS):
        raise RosterError(
            f"{source}: line 1: the header must name the columns {','.join(COLUMNS)}; got {','.join(header)!r}"
        )
    problems: list[str] = []
    found: list[Member] = []
    first_line_of_id: dict[str, int] = {}
    first_line_of_email: dict[str, int] = {}
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(f"line {reader.line_num}: malformed row: {exc}")
            break  # the csv reader cannot resynchronise after a broken quote
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue  # blank lines are allowed (a trailing newline, a spacer)
        if len(cells) != len(COLUMNS):
            problems.append(f"line {line}: malformed row: {len(cells)} cells, expected {len(COLUMNS)} ({','.join(names)})")
            continue
        row = dict(zip(names, (c.strip() for c in cells), strict=True))
        try:
            member = _member(row)
        except ValueError as exc:
            problems.append(f"line {line}: {exc}")
            continue
        if member.id in first_line_of_id:
            problems.append(f"line {line}: duplicate id {member.id!r} (first on line {first_line_of_id[member.id]})")
            continue
        if member.email in first_line_of_email:
            problems.append(
                f"line {line}: duplicate email {member.email!r} (first on line {first_line_of_email[member.email]})"
            )
            continue
        first_line_of_id[member.id] = line
        first_line_of_email[member.email] = line
        found.append(member)
    if problems:
        raise RosterError(f"{source}: " + f"\n{source}: ".join(problems))
    return found


def _member(row: dict[str, str]) -> Member:
    member_id = check_student_id(row["id"], "id")
    name = row["name"]
    if not name or len(name) > _MAX_NAME:
        raise ValueError(f"`name` must be 1 to {_MAX_NAME} characters; got {len(name)}")
    role = row["role"].lower()
    if role not in ROLES:
        raise ValueError(f"unknown role {row['role']!r}; expected {' or '.join(ROLES)}")
    return Member(member_id, name, check_email(row["email"]), role)


def read_roster(path: str | Path) -> list[Member]:
    """Read a roster CSV file (UTF-8, an optional byte-order mark); see :func:`parse_roster`."""
    path = Path(path)
    try:
        data = read_bounded(path, MAX_ROSTER_BYTES)
    except FileRefused as exc:
        raise RosterError(str(exc)) from None
    try:
        text = data.decode("utf-8-sig")  # spreadsheets often write a BOM
    except UnicodeDecodeError as exc:
        raise RosterError(f"{path}: not UTF-8 text: {exc}") from None
    return parse_roster(text, source=str(path))


def import_roster(gradebook: Gradebook, roster: str | Path | Iterable[Member]) -> RosterImport:
    """Add or update the roster's members in one transaction.

    Members absent from the roster are kept (their submissions stay attached); an
    email already held by another member is refused with :class:`RosterError`.
    """
    incoming = read_roster(roster) if isinstance(roster, str | Path) else list(roster)
    now = datetime.now(UTC)
    added: list[str] = []
    updated: list[str] = []
    unchanged: list[str] = []
    with gradebook.engine.begin() as conn:
        existing = {r.id: r for r in conn.execute(sa.select(members))}
        owner_of_email = {r.email: r.id for r in existing.values()}
        incoming_ids = {m.id for m in incoming}
        for m in incoming:
            holder = owner_of_email.get(m.email)
            # Another member keeps the email unless this roster moves it away from them.
            if holder is not None and holder != m.id and holder not in incoming_ids:
                raise RosterError(f"email {m.email!r} of {m.id!r} already belongs to member {holder!r}")
        # Clear moved emails first, so swapping two members' emails does not collide.
        for m in incoming:
            old = existing.get(m.id)
            if old is not None and old.email != m.email:
                conn.execute(members.update().where(members.c.id == m.id).values(email=f"moving:{m.id}"))
        for m in incoming:
            old = existing.get(m.id)
            values = {"name": m.name, "email": m.email, "role": m.role}
            if old is None:
                conn.execute(members.insert().values(id=m.id, created_at=now, **values))
                added.append(m.id)
            elif (old.name, old.email, old.role) != (m.name, m.email, m.role):
                conn.execute(members.update().where(members.c.id == m.id).values(**values))
                updated.append(m.id)
            else:
                unchanged.append(m.id)
    return RosterImport(tuple(added), tuple(updated), tuple(unchanged))
