"""The remote CLI's client: a hosted course's API (``probstats serve``) over HTTP.

``probstats sheet --server URL --token T`` and ``probstats submit FILE --server URL
--token T`` (or ``PROBSTATS_SERVER`` / ``PROBSTATS_TOKEN``) call :func:`fetch_sheet`
and :func:`submit`, so a student never needs the course secret: the server draws the
variants and grades. Standard library only (``urllib``).

A submission carries an ``Idempotency-Key``; when the connection breaks or the server
answers 502/503/504, :func:`submit` sends the same request with the same key again, so
an answer that was stored before the break is stored once and its result returned.

When the server queues code answers (202, ``grading``), :func:`wait_for_grading` asks
``GET /api/v1/submissions/{job}`` until they are graded, for a bounded time.
"""

from __future__ import annotations

import http.client
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = [
    "SERVER_ENV",
    "TOKEN_ENV",
    "RemoteError",
    "fetch_sheet",
    "server_and_token",
    "submit",
    "wait_for_grading",
]

SERVER_ENV = "PROBSTATS_SERVER"
TOKEN_ENV = "PROBSTATS_TOKEN"
#: Statuses worth retrying: the proxy or server is restarting or overloaded.
_RETRY_STATUSES = frozenset({502, 503, 504})
_CONTENT_TYPES = {"toml": "application/toml", "json": "application/json"}


class RemoteError(ValueError):
    """The server refused a request, or could not be reached; ``status`` is None for the latter."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


def server_and_token(server: str | None, token: str | None) -> tuple[str, str]:
    """The server URL and token from the arguments, else ``PROBSTATS_SERVER`` / ``PROBSTATS_TOKEN``.

    Raises
    ------
    ValueError
        If either is missing, or the URL is not ``http(s)://host[:port][/prefix]``.
    """
    url = server or os.environ.get(SERVER_ENV) or ""
    secret = token or os.environ.get(TOKEN_ENV) or ""
    if not url:
        raise ValueError(f"--server is missing (or set {SERVER_ENV})")
    if not secret:
        raise ValueError(f"--token is missing (or set {TOKEN_ENV}); your instructor gives you one")
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"--server must be an http:// or https:// URL; got {url!r}")
    return url.rstrip("/"), secret.strip()


def _call(
    server: str,
    token: str,
    method: str,
    path: str,
    *,
    body: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float,
) -> Any:
    request = urllib.request.Request(server + path, data=body, method=method)
    request.add_header("Authorization", f"Bearer {token}")
    request.add_header("Accept", "application/json")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        raise RemoteError(f"{server}: {exc.code} {_reason(exc)}", exc.code) from None
    except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:
        reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
        raise RemoteError(f"{server}: cannot reach the server: {reason}") from None


def _reason(error: urllib.error.HTTPError) -> str:
    """The server's ``{"error": ...}`` message, or the HTTP reason phrase."""
    try:
        data = json.loads(error.read().decode("utf-8"))
    except (ValueError, OSError):
        return str(error.reason)
    return str(data.get("error", error.reason)) if isinstance(data, dict) else str(error.reason)


def fetch_sheet(
    server: str,
    token: str,
    *,
    fmt: str = "toml",
    exercises: Sequence[str] | None = None,
    timeout: float = 60.0,
) -> dict[str, Any]:
    """The caller's own sheet: ``{"student_id", "sheet", "template", "format", "variants"}``."""
    query = urllib.parse.urlencode([("format", fmt), *(("exercise", e) for e in exercises or ())])
    data: dict[str, Any] = _call(server, token, "GET", f"/api/v1/sheet?{query}", timeout=timeout)
    return data


def submit(
    server: str,
    token: str,
    data: bytes,
    *,
    fmt: str,
    source: str,
    key: str | None = None,
    retries: int = 3,
    backoff: float = 0.5,
    timeout: float = 120.0,
) -> dict[str, Any]:
    """Send a submission to be graded and stored; return the graded result.

    Parameters
    ----------
    server, token : str
        From :func:`server_and_token`.
    data : bytes
        The file's content.
    fmt : str
        ``"toml"`` or ``"json"``.
    source : str
        The file's name, stored with the attempt.
    key : str, optional
        The idempotency key; a fresh UUID by default. Every retry sends the same one.
    retries : int
        Further tries after a broken connection or a 502/503/504.
    backoff : float
        Seconds before the first retry; doubled for each next one.
    """
    if fmt not in _CONTENT_TYPES:
        raise ValueError(f"`fmt` must be one of {', '.join(_CONTENT_TYPES)}; got {fmt!r}")
    if retries < 0:
        raise ValueError(f"`retries` must be >= 0; got {retries}")
    headers = {"Content-Type": _CONTENT_TYPES[fmt], "Idempotency-Key": key or str(uuid.uuid4())}
    path = "/api/v1/submissions?" + urllib.parse.urlencode({"source": source})
    for attempt in range(retries + 1):
        try:
            result: dict[str, Any] = _call(server, token, "POST", path, body=data, headers=headers, timeout=timeout)
            return result
        except RemoteError as exc:
            retryable = exc.status is None or exc.status in _RETRY_STATUSES
            if not retryable or attempt == retries:
                raise
        time.sleep(backoff * 2**attempt)
    raise AssertionError("unreachable: the loop returns or raises")


def _merged(result: Mapping[str, Any], graded: Mapping[str, Any]) -> dict[str, Any]:
    """The POST's answer with the queued code answers' stored result folded in."""
    points = None if result["points"] is None or graded["points"] is None else result["points"] + graded["points"]
    return {
        **result,
        "points": points,
        "max_points": result["max_points"] + graded["max_points"],
        "feedback": [*result["feedback"], *graded["feedback"]],
        "errors": [*result["errors"], *graded["errors"]],
        "skipped": [*result["skipped"], *graded["skipped"]],
        "code_attempt_id": graded.get("attempt_id"),
        "grading": [],
    }


def wait_for_grading(
    server: str,
    token: str,
    result: Mapping[str, Any],
    *,
    wait: float = 120.0,
    poll: float = 1.0,
    timeout: float = 60.0,
) -> dict[str, Any]:
    """``result`` (a POST's answer) once its queued code answers are graded.

    Asks ``GET /api/v1/submissions/{job}`` every ``poll`` seconds for at most ``wait``
    seconds. A result with nothing queued comes back as it is. After ``wait`` seconds,
    or when the worker failed, the result comes back with ``grading`` still listing the
    code answers (each with its ``status``) and ``grading_message`` saying what to do.
    """
    if not wait >= 0 or not poll > 0:
        raise ValueError(f"`wait` must be >= 0 and `poll` > 0 seconds; got wait={wait!r}, poll={poll!r}")
    job = result.get("job")
    if not result.get("grading") or not isinstance(job, str):
        return dict(result)
    path = "/api/v1/submissions/" + urllib.parse.quote(job, safe="")
    deadline = time.monotonic() + wait
    while True:
        state: dict[str, Any] = _call(server, token, "GET", path, timeout=timeout)
        if state["status"] == "graded":
            return _merged(result, state["result"])
        if state["status"] == "failed" or time.monotonic() >= deadline:
            break
        time.sleep(min(poll, max(deadline - time.monotonic(), 0.0)))
    ids = ", ".join(g["exercise_id"] for g in result["grading"])
    if state["status"] == "failed":
        message = f"grading {ids} failed on the course's worker (job {job}): {state.get('error', '')}"
    else:
        message = (f"{ids} still being graded after {wait:g} s (job {job}); the answers are stored: "
                   f"see the result later at {server}{path}")
    return {**result, "grading": [{**g, "status": state["status"]} for g in result["grading"]],
            "grading_message": message}
