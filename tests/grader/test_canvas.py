"""The Canvas gradebook CSV: Canvas's identity columns, a Points Possible row, best points."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from grader import Gradebook
from grader.canvas import CANVAS_COLUMNS, canvas_csv_text, export_canvas_csv
from grader.cli import main
from tests.grader.test_gradebook import Q3, Q6, q3_right, submit


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_layout_and_values(book: Gradebook) -> None:
    submit(book, "s1", {Q3: 1})
    submit(book, "s1", {Q3: q3_right("s1")})  # the best of the two counts
    submit(book, "-s2", {Q6: {"alpha": 1}})
    header, possible, *students = rows(canvas_csv_text(book, names={"s1": "=Ada Lovelace"}))
    assert header == [*CANVAS_COLUMNS, Q6, Q3]
    assert possible[:5] == ["    Points Possible", "", "", "", ""]
    assert possible[5:] == ["2", "1"]
    # Sorted by id; SIS User ID is the id as is (Canvas matches it); the Student column is
    # display text, escaped like any text cell.
    assert students[0][:5] == ["'-s2", "", "-s2", "", ""]
    assert students[1][:5] == ["'=Ada Lovelace", "", "s1", "", ""]
    assert students[1][5:] == ["", "1"]  # not answered stays blank, so Canvas leaves it alone
    assert float(students[0][5]) < 2


def test_chosen_columns_and_an_empty_gradebook(book: Gradebook, tmp_path: Path) -> None:
    assert rows(canvas_csv_text(book)) == [list(CANVAS_COLUMNS), ["    Points Possible", "", "", "", ""]]
    submit(book, "s1", {Q3: 1})
    path = tmp_path / "canvas.csv"
    export_canvas_csv(book, path, exercise_ids=[Q3, "bayes.never_answered"])
    header, possible, student = rows(path.read_text(encoding="utf-8"))
    assert header[5:] == [Q3, "bayes.never_answered"] and possible[5:] == ["1", ""]
    assert student[5:] == ["0", ""]


def test_cli_writes_it_and_refuses_a_wrong_combination(
    book: Gradebook, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    submit(book, "s1", {Q3: 1})
    assert main(["gradebook", "--db", book.url, "--csv", "-", "--canvas"]) == 0
    assert capsys.readouterr().out == canvas_csv_text(book)
    assert main(["gradebook", "--db", book.url, "--canvas"]) == 1
    assert "--canvas is a CSV format: give --csv PATH, and not --long" in capsys.readouterr().err
    assert main(["gradebook", "--db", book.url, "--csv", "-", "--canvas", "--long"]) == 1
