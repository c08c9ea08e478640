"""Append every graded submission to a JSON-lines file: one JSON object per line.

The file is ``$PROBSTATS_JSONL_EXPORT``, or ``graded.jsonl`` in the working folder.
Each line is ``GradedSubmission.to_dict()`` (student, source, attempt id, points, the
feedback per exercise with its score, and the refused or unreadable parts) plus
``graded_at``, the UTC time it was written. The observer sees the full feedback, scores
included, whatever the course's reveal rules show the student.

Each line goes out in one ``write`` on a file opened for appending, so graders in
several processes can share one file without interleaving lines (POSIX appends of one
write land whole on a local file system).
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from grader import hookimpl

__version__ = "0.1.0"

#: The environment variable naming the export file.
EXPORT_ENV = "PROBSTATS_JSONL_EXPORT"


def export_path() -> Path:
    """``$PROBSTATS_JSONL_EXPORT``, or ``graded.jsonl`` in the working folder."""
    return Path(os.environ.get(EXPORT_ENV) or "graded.jsonl")


@hookimpl
def submission_graded(submission: Any) -> None:
    """Append ``submission`` as one JSON line to :func:`export_path`."""
    record = {**submission.to_dict(), "graded_at": datetime.now(UTC).isoformat()}
    line = (json.dumps(record, default=str) + "\n").encode("utf-8")
    descriptor = os.open(export_path(), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(descriptor, line)
    finally:
        os.close(descriptor)
