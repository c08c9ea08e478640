"""``probstats sheet --server`` and ``probstats submit``: the student never needs the secret."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from grader import Gradebook, build_registry, variant_for
from grader import remote as remote_module
from grader.api import create_app
from grader.remote import RemoteError, server_and_token, submit
from tests.hosted.course import Q3, Q6, SECRET, right_answers, to_toml
from tests.hosted.server import serving
from tests.probstats.helpers import run
from tests.processes import free_port

REGISTRY = build_registry()


@pytest.fixture
def server(book: Gradebook) -> Iterator[str]:
    with serving(create_app(book, REGISTRY, secret=SECRET)) as url:
        yield url


@pytest.fixture(autouse=True)
def student_machine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A student's folder: no course secret, no gradebook, no server settings."""
    folder = tmp_path / "student"
    folder.mkdir()
    monkeypatch.chdir(folder)
    for name in ("PROBSTATS_COURSE_SECRET", "PROBSTATS_DB", "PROBSTATS_SERVER", "PROBSTATS_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    return folder


def test_sheet_from_the_server(capsys: pytest.CaptureFixture[str], server: str, tokens: dict[str, str], student_machine: Path) -> None:
    code, out, err = run(capsys, "sheet", "--server", server, "--token", tokens["s1"], "--exercise", Q3)
    assert code == 0, err
    assert out.splitlines() == ["wrote sheet-s1.md", "wrote answers-s1.toml"]
    assert "insecure default secret" not in err  # no secret is used on this side
    nll = variant_for("s1", REGISTRY.get(Q3), secret=SECRET).params["nll"]
    assert f"**{nll:.2f} nats**" in (student_machine / "sheet-s1.md").read_text()
    template = tomllib.loads((student_machine / "answers-s1.toml").read_text())
    assert template["student_id"] == "s1"
    assert list(template["answers"]) == [Q3]


def test_sheet_and_submit_from_the_environment(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, book: Gradebook, server: str,
    tokens: dict[str, str], student_machine: Path,
) -> None:
    monkeypatch.setenv("PROBSTATS_SERVER", server)
    monkeypatch.setenv("PROBSTATS_TOKEN", tokens["s2"])
    assert run(capsys, "sheet", "--format", "json")[0] == 0
    assert (student_machine / "answers-s2.json").exists()
    (student_machine / "a.toml").write_text(to_toml(right_answers(REGISTRY, "s2", [Q3, Q6])))
    code, out, err = run(capsys, "submit", "a.toml")
    assert code == 0, err
    total = REGISTRY.get(Q3).points + REGISTRY.get(Q6).points
    assert out.splitlines()[0] == f"api:a.toml (s2): {total:g}/{total:g} points"
    assert [(r["student_id"], r["score"]) for r in book.attempts()] == [("s2", 1.0), ("s2", 1.0)]


def test_submit_reports_wrong_answers_and_bad_files(
    capsys: pytest.CaptureFixture[str], book: Gradebook, server: str, tokens: dict[str, str], student_machine: Path,
) -> None:
    (student_machine / "wrong.toml").write_text(to_toml({Q3: "1", "interview.nope": 2}))
    (student_machine / "broken.toml").write_text("[answers")
    (student_machine / "notes.txt").write_text("x")
    code, out, err = run(capsys, "submit", "wrong.toml", "broken.toml", "notes.txt", "--server", server, "--token", tokens["s1"])
    assert code == 1
    assert f"api:wrong.toml (s1): 0/{REGISTRY.get(Q3).points:g} points" in out
    assert "error: interview.nope: unknown exercise" in out
    assert "422 api:broken.toml: not valid TOML" in err
    assert "notes.txt: unsupported file type '.txt'" in err
    assert len(book.attempts()) == 1


def test_submit_json_output(capsys: pytest.CaptureFixture[str], server: str, tokens: dict[str, str], student_machine: Path) -> None:
    (student_machine / "a.json").write_text(json.dumps({"answers": {Q3: "1"}}))
    code, out, _ = run(capsys, "submit", "a.json", "--json", "--server", server, "--token", tokens["s1"])
    data = json.loads(out)
    assert code == 0
    assert data["files"][0]["student_id"] == "s1"
    assert data["file_errors"] == []


def test_refused_token_and_bad_settings(capsys: pytest.CaptureFixture[str], server: str, tokens: dict[str, str], student_machine: Path) -> None:
    (student_machine / "a.toml").write_text(to_toml({Q3: "1"}))
    code, _, err = run(capsys, "submit", "a.toml", "--server", server, "--token", "nope.nope")
    assert (code, err.strip()) == (1, f"error: {server}: 401 unknown login token")
    code, _, err = run(capsys, "sheet", "--server", server, "--token", tokens["s1"], "--student", "s2")
    assert (code, err.strip()) == (1, "error: --student is for local mode; the server knows you from your token")
    code, _, err = run(capsys, "submit", "a.toml", "--server", server)
    assert "--token is missing (or set PROBSTATS_TOKEN)" in err
    code, _, err = run(capsys, "submit", "a.toml", "--server", "ftp://x", "--token", "t")
    assert "--server must be an http:// or https:// URL; got 'ftp://x'" in err
    code, _, err = run(capsys, "sheet")
    assert "--student is required (or --server and --token" in err


def test_a_lost_response_is_retried_with_the_same_key(
    monkeypatch: pytest.MonkeyPatch, book: Gradebook, server: str, tokens: dict[str, str]
) -> None:
    real = remote_module._call
    calls: list[dict[str, Any]] = []

    def lose_first_response(*args: Any, **kwargs: Any) -> Any:
        calls.append(dict(kwargs["headers"]))
        result = real(*args, **kwargs)  # the server grades and stores...
        if len(calls) == 1:
            raise RemoteError("connection reset")  # ...but the answer never arrives
        return result

    monkeypatch.setattr(remote_module, "_call", lose_first_response)
    body = to_toml(right_answers(REGISTRY, "s1", [Q3])).encode()
    result = submit(server, tokens["s1"], body, fmt="toml", source="a.toml", backoff=0)
    assert len(calls) == 2
    assert calls[0]["Idempotency-Key"] == calls[1]["Idempotency-Key"]
    assert len(book.attempts()) == 1
    assert result["attempt_id"] == book.attempts()[0]["attempt_id"]


def test_unreachable_server_after_retries() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(RemoteError, match="cannot reach the server") as info:
        submit(url, "t.t", b"[answers]\n", fmt="toml", source="x", retries=2, backoff=0)
    assert info.value.status is None
    with pytest.raises(ValueError, match="`retries` must be >= 0"):
        submit(url, "t.t", b"", fmt="toml", source="x", retries=-1)
    with pytest.raises(ValueError, match="`fmt` must be one of toml, json"):
        submit(url, "t.t", b"", fmt="yaml", source="x")
    assert server_and_token(url + "/", " tok ") == (url, "tok")
