"""Login tokens: random, hashed at rest, revocable, expiring; failures rate-limited per client."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from grader import Gradebook
from grader.access import (
    FAILURE_WINDOW,
    MAX_FAILURES,
    AccessDenied,
    Forbidden,
    Member,
    RateLimited,
    authenticate,
    issue_token,
    issue_tokens,
    member_by_email,
    require_instructor,
    revoke_token,
    token_holders,
)
from grader.gradebook import login_failures, login_tokens
from grader.roster import import_roster
from tests.databases import gradebook_url

ADA = Member("s1", "Ada", "ada@x.org", "student")
GRACE = Member("t1", "Grace", "grace@x.org", "instructor")
NOW = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
def book(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Gradebook]:
    gradebook = Gradebook(gradebook_url(request.param, tmp_path, "access"))
    import_roster(gradebook, [ADA, GRACE])
    yield gradebook
    gradebook.close()


def test_a_token_logs_its_member_in(book: Gradebook) -> None:
    token = issue_token(book, "s1", now=NOW)
    assert authenticate(book, token, client="1.2.3.4", now=NOW) == ADA
    assert authenticate(book, issue_token(book, "t1"), client="x") == GRACE


def test_tokens_are_long_random_and_stored_only_as_a_hash(book: Gradebook) -> None:
    tokens = {issue_token(book, "s1") for _ in range(20)}
    assert len(tokens) == 20
    _selector, verifier = issue_token(book, "s1").split(".")
    assert len(verifier) >= 43  # 32 bytes of URL-safe base64: 256 bits
    with book.engine.connect() as conn:
        rows = list(conn.execute(sa.select(login_tokens)))
    assert len(rows) == 1  # one token per member
    stored = " ".join(str(v) for v in rows[0])
    assert verifier not in stored
    assert rows[0].verifier_hash == hashlib.sha256(verifier.encode()).hexdigest()


def test_reissuing_replaces_the_old_token(book: Gradebook) -> None:
    old = issue_token(book, "s1")
    new = issue_token(book, "s1")
    assert authenticate(book, new, client="c") == ADA
    with pytest.raises(AccessDenied, match="unknown login token") as info:
        authenticate(book, old, client="c")
    assert info.value.status == 401


def test_revoked_token_is_refused(book: Gradebook) -> None:
    token = issue_token(book, "s1")
    assert revoke_token(book, "s1") is True
    assert revoke_token(book, "s1") is False  # already revoked
    assert token_holders(book) == set()
    with pytest.raises(AccessDenied, match="revoked") as info:
        authenticate(book, token, client="c")
    assert info.value.status == 401
    # Re-issuing after a revocation gives a working token again.
    assert authenticate(book, issue_token(book, "s1"), client="c") == ADA


def test_expired_token_is_refused(book: Gradebook) -> None:
    token = issue_token(book, "s1", lifetime=timedelta(days=1), now=NOW)
    assert authenticate(book, token, client="c", now=NOW + timedelta(hours=23)) == ADA
    assert token_holders(book, now=NOW + timedelta(hours=23)) == {"s1"}
    with pytest.raises(AccessDenied, match="expired"):
        authenticate(book, token, client="c", now=NOW + timedelta(days=1))
    assert token_holders(book, now=NOW + timedelta(days=1)) == set()
    with pytest.raises(ValueError, match="`lifetime` must be positive"):
        issue_token(book, "s1", lifetime=timedelta(0))


@pytest.mark.parametrize("token", [None, "", "nodot", ".x", "x.", "a" * 200, "deadbeef.wrong"])
def test_missing_or_malformed_token_is_refused(book: Gradebook, token: str | None) -> None:
    with pytest.raises(AccessDenied, match="login token"):
        authenticate(book, token, client="c")


def test_right_selector_wrong_verifier_is_refused(book: Gradebook) -> None:
    selector, verifier = issue_token(book, "s1").split(".")
    flipped = "B" if verifier.endswith("A") else "A"
    with pytest.raises(AccessDenied, match="unknown login token"):
        authenticate(book, f"{selector}.{verifier[:-1]}{flipped}", client="c")


def test_unknown_member_gets_no_token(book: Gradebook) -> None:
    with pytest.raises(ValueError, match="`member_id` 'nobody' is not on the roster"):
        issue_token(book, "nobody")
    with pytest.raises(ValueError, match="`member_id` may hold only"):
        revoke_token(book, "../x")


def test_failed_logins_are_rate_limited_per_client(book: Gradebook) -> None:
    token = issue_token(book, "s1", now=NOW)
    for i in range(MAX_FAILURES):
        with pytest.raises(AccessDenied, match="unknown login token"):
            authenticate(book, "bad.guess", client="10.0.0.1", now=NOW + timedelta(seconds=i))
    # Now even the right token is refused from that client, with how long to wait...
    with pytest.raises(RateLimited, match="too many failed logins") as info:
        authenticate(book, token, client="10.0.0.1", now=NOW + timedelta(seconds=MAX_FAILURES))
    assert info.value.status == 429
    assert 0 < info.value.retry_after <= FAILURE_WINDOW.total_seconds()
    # ...while another client is not affected,
    assert authenticate(book, token, client="10.0.0.2", now=NOW + timedelta(seconds=MAX_FAILURES)) == ADA
    # and the client may log in again once the failures leave the window.
    later = NOW + FAILURE_WINDOW + timedelta(seconds=MAX_FAILURES)
    assert authenticate(book, token, client="10.0.0.1", now=later) == ADA


def test_failures_are_shared_through_the_database(book: Gradebook) -> None:
    # A second Gradebook object stands for another server process on the same database.
    other = Gradebook(book.url)
    try:
        for i in range(MAX_FAILURES):
            with pytest.raises(AccessDenied):
                authenticate(other if i % 2 else book, "x.y", client="c", now=NOW + timedelta(seconds=i))
        with pytest.raises(RateLimited):
            authenticate(other, issue_token(book, "s1"), client="c", now=NOW + timedelta(seconds=MAX_FAILURES))
    finally:
        other.close()


def test_old_failures_are_pruned(book: Gradebook) -> None:
    with pytest.raises(AccessDenied):
        authenticate(book, "x.y", client="c", now=NOW)
    with pytest.raises(AccessDenied):
        authenticate(book, "x.y", client="d", now=NOW + 2 * FAILURE_WINDOW)
    with book.engine.connect() as conn:
        assert list(conn.scalars(sa.select(login_failures.c.client))) == ["d"]


def test_require_instructor() -> None:
    assert require_instructor(GRACE) is GRACE
    with pytest.raises(Forbidden, match="only instructors may do this; 's1' is a student") as info:
        require_instructor(ADA)
    assert info.value.status == 403


def test_issue_tokens_is_all_or_nothing(book: Gradebook) -> None:
    first, second = issue_tokens(book, ["s1", "t1"])
    assert (authenticate(book, first, client="c"), authenticate(book, second, client="c")) == (ADA, GRACE)
    with pytest.raises(ValueError, match="`member_id` 'ghost' is not on the roster"):
        issue_tokens(book, ["s1", "ghost"])
    assert authenticate(book, first, client="c") == ADA  # s1's token was not replaced


def test_a_single_sign_on_email_maps_to_its_member(book: Gradebook) -> None:
    assert member_by_email(book, " Grace@X.org ") == GRACE
    with pytest.raises(AccessDenied, match=r"'eve@x\.org' is not on the course roster") as info:
        member_by_email(book, "eve@x.org")
    assert info.value.status == 401
