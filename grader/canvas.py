"""The gradebook as a Canvas gradebook CSV, ready for Canvas's "Import" of grades.

The layout of the CSV that Canvas exports and imports:

- a header ``Student, ID, SIS User ID, SIS Login ID, Section``, then one column per
  assignment (here: per exercise, named by its id, so a later import updates the same
  column instead of making a new assignment);
- a second row whose first cell is ``Points Possible`` (Canvas writes it indented by
  spaces), with each assignment's maximum, which Canvas uses for a new assignment;
- one row per student: the student's name (the id when no roster name is given), an
  empty ``ID`` (Canvas's own numeric user id, unknown here), the student id as
  ``SIS User ID`` (Canvas matches rows on it), empty ``SIS Login ID`` and ``Section``,
  and the best points per exercise; an exercise not answered stays blank, which
  Canvas's import leaves alone rather than setting to 0.

Student ids go out as they are (Canvas matches them exactly; the id rule allows no
character a spreadsheet formula could call a function with); names are free text, so
they get the same formula escape as the other exports.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO

from grader.gradebook import Gradebook, _cell, _number

__all__ = ["CANVAS_COLUMNS", "POINTS_POSSIBLE_ROW", "canvas_csv_text", "export_canvas_csv"]

#: The identity columns Canvas expects before the assignment columns.
CANVAS_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
#: The first cell of the points-possible row, spelled (and indented) as Canvas writes it.
POINTS_POSSIBLE_ROW = "    Points Possible"


def export_canvas_csv(
    book: Gradebook,
    target: str | Path | IO[str],
    *,
    exercise_ids: Sequence[str] | None = None,
    names: Mapping[str, str] | None = None,
) -> None:
    """Write ``book`` as a Canvas gradebook CSV.

    Parameters
    ----------
    book : Gradebook
        The gradebook.
    target : path or text file
        Where to write.
    exercise_ids : sequence of str, optional
        The assignment columns, in order (default: every exercise in the gradebook).
    names : mapping, optional
        Student id -> display name for the ``Student`` column (e.g. from the roster).
    """
    if isinstance(target, str | Path):
        with open(target, "w", newline="", encoding="utf-8") as handle:
            _write(book, handle, exercise_ids, names or {})
    else:
        _write(book, target, exercise_ids, names or {})


def canvas_csv_text(
    book: Gradebook, *, exercise_ids: Sequence[str] | None = None, names: Mapping[str, str] | None = None
) -> str:
    """The Canvas CSV as a string (see :func:`export_canvas_csv`)."""
    buffer = io.StringIO()
    _write(book, buffer, exercise_ids, names or {})
    return buffer.getvalue()


def _write(book: Gradebook, handle: IO[str], exercise_ids: Sequence[str] | None, names: Mapping[str, str]) -> None:
    ids, best, possible = book.best_points_table(exercise_ids)
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow([*CANVAS_COLUMNS, *(_cell(i) for i in ids)])
    writer.writerow([POINTS_POSSIBLE_ROW, "", "", "", "", *(_number(possible[i]) if i in possible else "" for i in ids)])
    for student in book.students():
        points = best.get(student, {})
        writer.writerow([
            _cell(names.get(student, student)), "", student, "", "",
            *(_number(points[i]) if i in points else "" for i in ids),
        ])
