"""``probstats roster import|tokens`` and ``probstats secret new``."""

from __future__ import annotations

import csv
import io
import stat
from pathlib import Path

import pytest

from grader import Gradebook
from grader.access import AccessDenied, authenticate
from grader.secret_strength import (
    MIN_SECRET_LENGTH,
    WeakSecret,
    check_hosted_secret,
    secret_weakness,
)
from grader.variants import DEFAULT_SECRET
from tests.probstats.helpers import run

ROSTER = "id,name,email,role\ns1,Ada,ada@x.org,student\ns2,Bob,bob@x.org,student\nt1,Grace,g@x.org,instructor\n"


@pytest.fixture
def db(workdir: Path, capsys: pytest.CaptureFixture[str]) -> str:
    (workdir / "roster.csv").write_text(ROSTER)
    url = f"sqlite:///{workdir / 'gb.db'}"
    code, out, _ = run(capsys, "roster", "import", "roster.csv", "--db", url)
    assert code == 0
    assert "3 added, 0 updated, 0 unchanged" in out
    return url


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def login(url: str, token: str) -> str:
    book = Gradebook(url)
    try:
        return authenticate(book, token, client="test").id
    finally:
        book.close()


def test_roster_import_reports_bad_lines(capsys: pytest.CaptureFixture[str], workdir: Path) -> None:
    (workdir / "bad.csv").write_text("id,name,email,role\ns1,Ada,ada@x.org,student\ns1,Al,al@x.org,student\n")
    code, _, err = run(capsys, "roster", "import", "bad.csv", "--db", f"sqlite:///{workdir / 'gb.db'}")
    assert code == 1
    assert "bad.csv: line 3: duplicate id 's1' (first on line 2)" in err


def test_tokens_go_to_members_without_one_then_reissue_and_revoke(
    capsys: pytest.CaptureFixture[str], db: str
) -> None:
    code, out, _ = run(capsys, "roster", "tokens", "--db", db)
    assert code == 0
    issued = rows(out)
    assert [r["id"] for r in issued] == ["s1", "s2", "t1"]
    token_of = {r["id"]: r["token"] for r in issued}
    assert all(login(db, token_of[m]) == m for m in token_of)
    # Everyone holds a valid token now: a second run issues none.
    assert rows(run(capsys, "roster", "tokens", "--db", db)[1]) == []
    # --student re-issues: the old token stops working.
    new = rows(run(capsys, "roster", "tokens", "--student", "s1", "--db", db)[1])
    assert [r["id"] for r in new] == ["s1"]
    assert login(db, new[0]["token"]) == "s1"
    with pytest.raises(AccessDenied, match="unknown login token"):
        login(db, token_of["s1"])
    code, _, err = run(capsys, "roster", "tokens", "--revoke", "s2", "--db", db)
    assert (code, err.strip()) == (0, "revoked the token of s2")
    with pytest.raises(AccessDenied, match="revoked"):
        login(db, token_of["s2"])
    # A revoked member is again without a valid token, so a plain run issues one.
    assert [r["id"] for r in rows(run(capsys, "roster", "tokens", "--db", db)[1])] == ["s2"]


def test_tokens_out_file_is_private(capsys: pytest.CaptureFixture[str], db: str, workdir: Path) -> None:
    code, out, err = run(capsys, "roster", "tokens", "--out", "tokens.csv", "--days", "30", "--db", db)
    assert (code, out) == (0, "")
    assert "wrote 3 token(s) to tokens.csv" in err
    path = workdir / "tokens.csv"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(rows(path.read_text())) == 3


def test_tokens_bad_arguments(capsys: pytest.CaptureFixture[str], db: str) -> None:
    code, _, err = run(capsys, "roster", "tokens", "--student", "nobody", "--db", db)
    assert code == 1
    assert "`member_id` 'nobody' is not on the roster" in err
    code, _, err = run(capsys, "roster", "tokens", "--days", "-1", "--db", db)
    assert code == 1
    assert "--days must be 0 (never expire) or more; got -1" in err


def test_secret_new_is_strong_and_fresh(capsys: pytest.CaptureFixture[str]) -> None:
    code, first, _ = run(capsys, "secret", "new")
    second = run(capsys, "secret", "new")[1]
    assert code == 0
    assert first != second
    assert len(first.strip()) >= MIN_SECRET_LENGTH
    assert secret_weakness(first.strip()) is None


@pytest.mark.parametrize(
    ("secret", "reason"),
    [
        (None, "public default"),
        ("", "public default"),
        (DEFAULT_SECRET, "public default"),
        ("course-2026", "11 characters long; use at least 32"),
        ("ab" * 20, "only 2 distinct characters"),
    ],
)
def test_weak_secrets_are_refused(secret: str | None, reason: str) -> None:
    assert reason in (secret_weakness(secret) or "")
    with pytest.raises(WeakSecret, match=f"refusing to start a hosted course with a weak PROBSTATS_COURSE_SECRET: it .*{reason}"):
        check_hosted_secret(secret)


def test_serve_refuses_a_weak_secret_and_bad_options(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    # The CLI tests' secret is short: the server must not start with it.
    code, _, err = run(capsys, "serve", "--port", "0")
    assert code == 1
    assert "--port must be in 1..65535; got 0" in err
    code, _, err = run(capsys, "serve")
    assert code == 1
    assert "refusing to start a hosted course with a weak PROBSTATS_COURSE_SECRET: it is 10 characters long" in err
    monkeypatch.delenv("PROBSTATS_COURSE_SECRET")
    assert "public default secret" in run(capsys, "serve")[2]
    assert "--workers must be at least 1; got 0" in run(capsys, "serve", "--workers", "0")[2]


def test_help_lists_the_hosted_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        run(capsys, "--help")
    out = capsys.readouterr().out
    for command in ("roster", "secret", "serve", "submit"):
        assert command in out
