"""Bounded reads and writes that stay inside their folder (grader.files)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from grader.files import FileRefused, max_bytes_from_env, read_bounded, write_inside


@pytest.mark.parametrize("name", ["", ".", "..", "a/b", "../x", "a\0b"])
def test_write_inside_takes_plain_names_only(tmp_path: Path, name: str) -> None:
    with pytest.raises(FileRefused, match=r"`name` must be a plain file name"):
        write_inside(tmp_path, name, "x")


def test_write_inside_creates_the_folder_and_overwrites_a_file(tmp_path: Path) -> None:
    target = write_inside(tmp_path / "new", "a.md", "one")
    assert target == tmp_path / "new" / "a.md" and target.read_text() == "one"
    write_inside(tmp_path / "new", "a.md", "two")
    assert target.read_text() == "two"


def test_write_inside_never_follows_a_link(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("keep")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "a.md").symlink_to(outside)
    (tmp_path / "out" / "dangling.md").symlink_to(tmp_path / "nowhere.txt")
    for name in ("a.md", "dangling.md"):
        with pytest.raises(FileRefused, match="is a symbolic link; refusing to write through it"):
            write_inside(tmp_path / "out", name, "evil")
    assert outside.read_text() == "keep" and not (tmp_path / "nowhere.txt").exists()


def test_read_bounded_reads_up_to_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_bytes(b"x" * 10)
    assert read_bounded(path, 10) == b"x" * 10
    with pytest.raises(FileRefused, match=r"a.json: the file has 10 bytes; the limit is 9$"):
        read_bounded(path, 9)
    with pytest.raises(ValueError, match=r"`max_bytes` must be an integer >= 1; got 0"):
        read_bounded(path, 0)
    with pytest.raises(FileRefused, match=r"nope.json: no such file"):
        read_bounded(tmp_path / "nope.json", 10)


def test_read_bounded_refuses_what_is_not_a_file(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo")
    with pytest.raises(FileRefused, match=r"not a regular file \(a FIFO\)"):
        read_bounded(tmp_path / "fifo", 10)
    with pytest.raises(FileRefused, match=r"not a regular file \(a folder\)"):
        read_bounded(tmp_path, 10)
    with pytest.raises(FileRefused, match=r"not a regular file \(a device\)"):
        read_bounded("/dev/zero", 10)


@pytest.mark.parametrize(("value", "expected"), [(None, 1_000_000), ("", 1_000_000), ("2048", 2048)])
def test_max_bytes_from_env(monkeypatch: pytest.MonkeyPatch, value: str | None, expected: int) -> None:
    if value is None:
        monkeypatch.delenv("PROBSTATS_MAX_SUBMISSION_BYTES", raising=False)
    else:
        monkeypatch.setenv("PROBSTATS_MAX_SUBMISSION_BYTES", value)
    assert max_bytes_from_env() == expected


def test_max_bytes_from_env_must_be_positive(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROBSTATS_MAX_SUBMISSION_BYTES", "0")
    with pytest.raises(ValueError, match=r"PROBSTATS_MAX_SUBMISSION_BYTES must be at least 1; got 0"):
        max_bytes_from_env()
