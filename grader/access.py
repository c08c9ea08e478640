"""Who is asking: members, personal login tokens, failed-login limits and roles.

A hosted course gives every roster member (:mod:`grader.roster`) a personal token,
``<selector>.<verifier>``: 72 random bits that find the stored row, and 256 random bits
(:mod:`secrets`) kept only as their SHA-256, compared with :func:`hmac.compare_digest`
so the time taken says nothing about how much of a guess was right. Issuing a token
replaces the member's old one; a revoked or expired token is refused like an unknown
one, with :class:`AccessDenied` (HTTP status 401).

Failed logins are counted per client (an IP address, or whatever the caller names) in
the gradebook's ``login_failures`` table, so every web and API process shares one count:
after :data:`MAX_FAILURES` failures within :data:`FAILURE_WINDOW`, that client is refused
(:class:`RateLimited`, status 429) until the oldest failure leaves the window, even
with a right token. Nothing here imports a web framework: the API and the dashboard
both call :func:`authenticate` and :func:`require_instructor`.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Literal

import sqlalchemy as sa

from grader.gradebook import login_failures, login_tokens, members
from grader.ids import check_student_id

if TYPE_CHECKING:
    from grader.gradebook import Gradebook

__all__ = [
    "DEFAULT_TOKEN_LIFETIME",
    "FAILURE_WINDOW",
    "MAX_FAILURES",
    "ROLES",
    "AccessDenied",
    "Forbidden",
    "Member",
    "RateLimited",
    "authenticate",
    "get_member",
    "issue_token",
    "issue_tokens",
    "list_members",
    "member_by_email",
    "require_instructor",
    "revoke_token",
    "token_holders",
]

Role = Literal["student", "instructor"]
#: The roles a roster may give.
ROLES: tuple[Role, ...] = ("student", "instructor")
#: How long an issued token is valid unless the issuer says otherwise (a semester and a bit).
DEFAULT_TOKEN_LIFETIME = timedelta(days=180)
#: Failed logins per client within :data:`FAILURE_WINDOW` before it is refused.
MAX_FAILURES = 10
FAILURE_WINDOW = timedelta(minutes=15)

_SELECTOR_BYTES = 9  # 72 bits: finds the row; guessing it gains nothing without the verifier
_VERIFIER_BYTES = 32  # 256 bits, well over the 128 asked of a login secret
_MAX_TOKEN = 128
_MAX_CLIENT = 128


@dataclass(frozen=True)
class Member:
    """A roster member: id (a student id), display name, email (lower-case) and role."""

    id: str
    name: str
    email: str
    role: str

    @property
    def is_instructor(self) -> bool:
        return self.role == "instructor"


class AccessDenied(Exception):
    """A login refused: no, unknown, revoked or expired token (HTTP 401)."""

    status = 401


class RateLimited(AccessDenied):
    """Too many failed logins from one client; ``retry_after`` seconds until it may try again."""

    status = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Forbidden(Exception):
    """A logged-in member asking for what their role does not allow (HTTP 403)."""

    status = 403


def _hash(verifier: str) -> str:
    return hashlib.sha256(verifier.encode()).hexdigest()


def _member_of(row: sa.Row) -> Member:
    return Member(row.id, row.name, row.email, row.role)


def get_member(gradebook: Gradebook, member_id: str) -> Member:
    """The roster member ``member_id``; ValueError if there is none."""
    member_id = check_student_id(member_id, "member_id")
    with gradebook.engine.connect() as conn:
        row = conn.execute(sa.select(members).where(members.c.id == member_id)).first()
    if row is None:
        raise ValueError(f"`member_id` {member_id!r} is not on the roster (probstats roster import FILE.csv)")
    return _member_of(row)


def member_by_email(gradebook: Gradebook, email: str) -> Member:
    """The roster member with this email (any case), as a single sign-on identity is mapped.

    Raises
    ------
    AccessDenied
        If no member has the email: a signed-in stranger is not let in (401).
    """
    normal = email.strip().lower()
    with gradebook.engine.connect() as conn:
        row = conn.execute(sa.select(members).where(members.c.email == normal)).first()
    if row is None:
        raise AccessDenied(f"{email!r} is not on the course roster; ask your instructor to add you")
    return _member_of(row)


def list_members(gradebook: Gradebook, *, role: str | None = None) -> list[Member]:
    """The roster members sorted by id, optionally only those of one role."""
    query = sa.select(members).order_by(members.c.id)
    if role is not None:
        if role not in ROLES:
            raise ValueError(f"`role` must be one of {', '.join(ROLES)}; got {role!r}")
        query = query.where(members.c.role == role)
    with gradebook.engine.connect() as conn:
        return [_member_of(r) for r in conn.execute(query)]


def issue_token(
    gradebook: Gradebook,
    member_id: str,
    *,
    lifetime: timedelta | None = DEFAULT_TOKEN_LIFETIME,
    now: datetime | None = None,
) -> str:
    """A new personal login token for a roster member, replacing any old one.

    Parameters
    ----------
    gradebook : Gradebook
        Where the roster and tokens are stored.
    member_id : str
        The member (ValueError if not on the roster).
    lifetime : timedelta or None
        How long the token is valid; None for no expiry.
    now : datetime, optional
        The issue time (tests pass one); the current UTC time by default.

    Returns
    -------
    str
        The token. Only its hash is stored: it cannot be shown again.
    """
    return issue_tokens(gradebook, [member_id], lifetime=lifetime, now=now)[0]


def issue_tokens(
    gradebook: Gradebook,
    member_ids: Sequence[str],
    *,
    lifetime: timedelta | None = DEFAULT_TOKEN_LIFETIME,
    now: datetime | None = None,
) -> list[str]:
    """New tokens for several members in one transaction, in the order given (see :func:`issue_token`)."""
    if lifetime is not None and lifetime <= timedelta(0):
        raise ValueError(f"`lifetime` must be positive; got {lifetime}")
    ids = [check_student_id(m, "member_id") for m in member_ids]
    issued = now or datetime.now(UTC)
    expires = None if lifetime is None else issued + lifetime
    tokens = []
    rows = []
    for member_id in ids:
        selector = secrets.token_hex(_SELECTOR_BYTES)
        verifier = secrets.token_urlsafe(_VERIFIER_BYTES)
        tokens.append(f"{selector}.{verifier}")
        rows.append({
            "member_id": member_id,
            "selector": selector,
            "verifier_hash": _hash(verifier),
            "created_at": issued,
            "expires_at": expires,
            "revoked_at": None,
        })
    with gradebook.engine.begin() as conn:
        known = set(conn.scalars(sa.select(members.c.id).where(members.c.id.in_(ids))))
        missing = [m for m in ids if m not in known]
        if missing:
            raise ValueError(
                f"`member_id` {missing[0]!r} is not on the roster (probstats roster import FILE.csv)"
            )
        conn.execute(login_tokens.delete().where(login_tokens.c.member_id.in_(ids)))
        if rows:
            conn.execute(login_tokens.insert(), rows)
    return tokens


def token_holders(gradebook: Gradebook, *, now: datetime | None = None) -> set[str]:
    """Ids of the members holding a token that is neither revoked nor expired."""
    when = now or datetime.now(UTC)
    t = login_tokens.c
    query = sa.select(t.member_id, t.expires_at).where(t.revoked_at.is_(None))
    with gradebook.engine.connect() as conn:
        rows = list(conn.execute(query))
    return {r.member_id for r in rows if r.expires_at is None or _aware(r.expires_at) > when}


def revoke_token(gradebook: Gradebook, member_id: str) -> bool:
    """Revoke a member's token; True if there was one that was not yet revoked."""
    member = get_member(gradebook, member_id)
    t = login_tokens.c
    with gradebook.engine.begin() as conn:
        result = conn.execute(
            login_tokens.update()
            .where(t.member_id == member.id, t.revoked_at.is_(None))
            .values(revoked_at=datetime.now(UTC))
        )
    return bool(result.rowcount)


def authenticate(gradebook: Gradebook, token: str | None, *, client: str, now: datetime | None = None) -> Member:
    """The member a token belongs to, or :class:`AccessDenied`.

    Parameters
    ----------
    gradebook : Gradebook
        Where tokens and failed logins are stored.
    token : str or None
        As presented (e.g. from ``Authorization: Bearer ...``).
    client : str
        Who presents it (an IP address): failures are counted per client.
    now : datetime, optional
        The current time (tests pass one).

    Raises
    ------
    RateLimited
        If ``client`` failed :data:`MAX_FAILURES` times within :data:`FAILURE_WINDOW`.
    AccessDenied
        If the token is missing, unknown, revoked or expired (each failure is counted).
    """
    when = now or datetime.now(UTC)
    client = client[:_MAX_CLIENT] or "unknown"
    _check_rate(gradebook, client, when)
    try:
        return _member_for(gradebook, token, when)
    except AccessDenied:
        _record_failure(gradebook, client, when)
        raise


def _member_for(gradebook: Gradebook, token: str | None, when: datetime) -> Member:
    if not token:
        raise AccessDenied("no login token given (send Authorization: Bearer TOKEN)")
    selector, dot, verifier = token.strip().partition(".")
    if not dot or not selector or not verifier or len(token) > _MAX_TOKEN:
        raise AccessDenied("unknown login token")
    t = login_tokens.c
    query = (
        sa.select(t.verifier_hash, t.expires_at, t.revoked_at, members)
        .join(members, members.c.id == t.member_id)
        .where(t.selector == selector)
    )
    with gradebook.engine.connect() as conn:
        row = conn.execute(query).first()
    # Hash a dummy when the selector is unknown, so both paths do the same work.
    stored = row.verifier_hash if row is not None else _hash("")
    if not hmac.compare_digest(_hash(verifier), stored) or row is None:
        raise AccessDenied("unknown login token")
    if row.revoked_at is not None:
        raise AccessDenied("this login token was revoked; ask your instructor for a new one")
    if row.expires_at is not None and _aware(row.expires_at) <= when:
        raise AccessDenied("this login token has expired; ask your instructor for a new one")
    return _member_of(row)


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; every stored time is UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _check_rate(gradebook: Gradebook, client: str, when: datetime) -> None:
    f = login_failures.c
    since = when - FAILURE_WINDOW
    query = (
        sa.select(f.created_at)
        .where(f.client == client, f.created_at > since)
        .order_by(f.created_at.desc())
        .limit(MAX_FAILURES)
    )
    with gradebook.engine.connect() as conn:
        recent = list(conn.scalars(query))
    if len(recent) < MAX_FAILURES:
        return
    # Free again once the oldest of the last MAX_FAILURES failures leaves the window.
    retry = _aware(recent[-1]) + FAILURE_WINDOW - when
    seconds = max(1, int(retry.total_seconds()) + 1)
    raise RateLimited(
        f"too many failed logins from this client ({MAX_FAILURES} within "
        f"{int(FAILURE_WINDOW.total_seconds() // 60)} minutes); try again in {seconds} s",
        retry_after=seconds,
    )


def _record_failure(gradebook: Gradebook, client: str, when: datetime) -> None:
    with gradebook.engine.begin() as conn:
        conn.execute(login_failures.insert().values(client=client, created_at=when))
        # Old failures count for nothing: drop them, so the table stays small.
        conn.execute(login_failures.delete().where(login_failures.c.created_at <= when - FAILURE_WINDOW))


def require_instructor(member: Member) -> Member:
    """``member`` if an instructor, else :class:`Forbidden` (HTTP 403)."""
    if not member.is_instructor:
        raise Forbidden(f"only instructors may do this; {member.id!r} is a {member.role}")
    return member
