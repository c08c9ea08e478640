"""Every CLI test runs in a fresh working folder with a known course secret."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.probstats.helpers import SECRET


@pytest.fixture(autouse=True)
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PROBSTATS_COURSE_SECRET", SECRET)
    monkeypatch.delenv("PROBSTATS_DB", raising=False)
    monkeypatch.delenv("PROBSTATS_PLUGINS_DIR", raising=False)
    monkeypatch.delenv("PROBSTATS_MAX_SUBMISSION_BYTES", raising=False)
    return tmp_path
