"""The grader as the Exercises and Instructor pages see it: cached handles and tables.

The gradebook is the one the ``probstats`` CLI uses (``PROBSTATS_DB``, read through
:func:`grader.gradebook.default_url`), and variants use the same course secret
(``PROBSTATS_COURSE_SECRET``), so a web submission and a CLI submission land in the same
place and grade the same variant. Everything here only reshapes what the grader returns
into small DataFrames for ``st.dataframe``; the numbers come from the grader.
"""

from __future__ import annotations

import io
import json
from typing import Any

import pandas as pd
import streamlit as st

from grader import Gradebook, Registry
from grader.gradebook import default_url
from grader.gradebook import display_url as grader_display_url

__all__ = [
    "attempts_table",
    "current_gradebook",
    "display_url",
    "gradebook",
    "misconception_table",
    "plugins_table",
    "scores_table",
    "stats_table",
    "wide_table",
]


@st.cache_resource(max_entries=8, show_spinner=False)
def gradebook(url: str) -> Gradebook:
    """One :class:`grader.Gradebook` (and its connection pool) per database URL."""
    return Gradebook(url)


def current_gradebook() -> Gradebook:
    """The gradebook named by ``PROBSTATS_DB`` now (default ``./gradebook.db``), as in the CLI."""
    return gradebook(default_url())


def display_url(book: Gradebook) -> str:
    """The gradebook's URL with any password masked, safe to show on a page."""
    return grader_display_url(book.url)


def wide_table(book: Gradebook) -> pd.DataFrame:
    """Students × exercises: best points per exercise and the total, as the wide CSV.

    Read back from :meth:`grader.Gradebook.csv_text`, so the table on the page and the
    downloaded file cannot disagree. A blank cell means the student has not answered.
    """
    return pd.read_csv(io.StringIO(book.csv_text()), dtype={"student_id": str})


def stats_table(book: Gradebook, exercises: Registry) -> pd.DataFrame:
    """One row per answered exercise: students, answers, mean and mean-best scores."""
    rows = [
        {
            "exercise": s.exercise_id,
            "title": exercises.exercises[s.exercise_id].title if s.exercise_id in exercises.exercises else "",
            "students": s.students,
            "answers": s.attempts,
            "mean score": s.mean_score,
            "mean best score": s.mean_best_score,
            "max points": s.max_points,
        }
        for s in book.exercise_stats()
    ]
    columns = ["exercise", "title", "students", "answers", "mean score", "mean best score", "max points"]
    return pd.DataFrame(rows, columns=columns)


def misconception_table(book: Gradebook) -> pd.DataFrame:
    """One row per (exercise, recognised misconception): how many answers, and their share."""
    rows = [
        {"exercise": s.exercise_id, "misconception": name, "answers": s.misconceptions[name], "share": share}
        for s in book.exercise_stats()
        for name, share in s.misconception_shares().items()
    ]
    return pd.DataFrame(rows, columns=["exercise", "misconception", "answers", "share"])


def plugins_table(exercises: Registry) -> pd.DataFrame:
    """The loaded plugins (as ``probstats plugins``): source, version, hooks, exercises, errors."""
    rows = [
        {
            "plugin": info.name,
            "source": info.source,
            "version": info.version or "",
            "hooks": ", ".join(info.hooks),
            "exercises": len(info.exercises),
            "answer kinds": ", ".join(info.answer_types),
            "errors": "; ".join(info.errors),
        }
        for info in sorted(exercises.plugins.values(), key=lambda i: i.name)
    ]
    columns = ["plugin", "source", "version", "hooks", "exercises", "answer kinds", "errors"]
    return pd.DataFrame(rows, columns=columns)


def scores_table(book: Gradebook, student_id: str) -> pd.DataFrame:
    """A student's standing per exercise: answers, best and latest points out of the maximum."""
    rows = [
        {
            "exercise": r.exercise_id,
            "answers": r.attempts,
            "best points": r.best_points,
            "latest points": r.latest_points,
            "max points": r.max_points,
        }
        for r in book.best_scores(student_id=student_id)
    ]
    return pd.DataFrame(rows, columns=["exercise", "answers", "best points", "latest points", "max points"])


def attempts_table(book: Gradebook, student_id: str, exercise_id: str) -> pd.DataFrame:
    """A student's graded answers to one exercise, oldest first."""
    rows = [
        {
            "time (UTC)": _timestamp(a["created_at"]),
            "answer": _answer_text(a["answer"]),
            "score": a["score"],
            "points": a["points"],
            "misconception": a["misconception"] or "",
            "source": a["source"],
        }
        for a in book.attempts(student_id=student_id, exercise_id=exercise_id)
    ]
    return pd.DataFrame(rows, columns=["time (UTC)", "answer", "score", "points", "misconception", "source"])


def _timestamp(value: Any) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S") if hasattr(value, "strftime") else str(value)


def _answer_text(answer: Any) -> str:
    return answer if isinstance(answer, str) else json.dumps(answer)
