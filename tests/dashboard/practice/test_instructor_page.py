"""AppTest tests of the Instructor page, run on its own, against a gradebook in tmp_path.

Submissions are made through the grader's public API (as `probstats grade` does); the
expected tables are worked out by hand from them: perplexity of an NLL in nats is e^NLL
(the course's closed form), so e^NLL scores 1 and 1.5·e^NLL scores 0 (outside every
tolerance and no misconception).
"""

from __future__ import annotations

import csv
import io
import math
import pkgutil

import pytest
from streamlit.delta_generator import DeltaGenerator

import exercises
from grader import Gradebook, grade_submission, load_exercises, parse_submission, variant_for
from tests.dashboard.helpers import page_test

Q3 = "interview.perplexity_from_nll"
Q6 = "interview.beta_binomial_posterior"
SECRET = "instructor-page-test-secret"
PAGE = "instructor.py"


@pytest.fixture
def downloads(monkeypatch):
    """What the page passes to download buttons (drawn in columns), by file name."""
    captured: dict[str, str] = {}
    original = DeltaGenerator.download_button

    def recording(self, label, data, file_name=None, *args, **kwargs):
        captured[file_name] = data
        return original(self, label, data, file_name, *args, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "download_button", recording)
    return captured


def nats_students(n: int) -> list[tuple[str, float]]:
    """``n`` students whose Q3 variant gives the NLL in nats (variants are in nats or bits)."""
    exercise = load_exercises().get(Q3)
    found = []
    for i in range(200):
        params = variant_for(f"s{i}", exercise, secret=SECRET).params
        if params.get("unit", "nats") == "nats":
            found.append((f"s{i}", params["nll"]))
        if len(found) == n:
            return found
    raise AssertionError(f"fewer than {n} students with an NLL in nats among 200")


def submit_all(db_url: str, answers: list[tuple[str, str, object]]) -> None:
    book = Gradebook(db_url)
    for student, exercise_id, answer in answers:
        submission = parse_submission({"student_id": student, "answers": {exercise_id: answer}}, source="test")
        result = grade_submission(submission, load_exercises(), gradebook=book)
        assert result.errors == []
    book.close()


def table_with(at, column: str):
    (frame,) = [d.value for d in at.dataframe if column in d.value.columns]
    return frame


def test_empty_gradebook_reads_as_a_sentence(db_url, downloads):
    at = page_test(PAGE).run()
    assert not at.exception and not at.error
    assert any("Nothing is graded yet" in i.value for i in at.info)
    assert downloads == {}


def test_plugins_table_lists_the_built_in_modules(db_url):
    at = page_test(PAGE).run()
    plugins = table_with(at, "plugin")
    # Every plain module of the exercises package is a plugin, plus the grader's answer kinds
    # (a subpackage is walked: its modules are the plugins).
    modules = {
        f"exercises.{m.name}" for m in pkgutil.iter_modules(exercises.__path__)
        if not m.name.startswith("_") and not m.ispkg
    }
    assert modules | {"grader.answers"} <= set(plugins["plugin"])
    # A subpackage's modules are plugins too: the interview questions, one module each.
    q3 = plugins.set_index("plugin").loc["exercises.interview.q3_perplexity"]
    assert q3["source"] == "built-in" and q3["hooks"] == "register_exercises"
    assert q3["exercises"] == len([e for e in load_exercises().exercises if e.startswith("interview.perplexity") or e == "interview.uniform_perplexity"])


def test_tables_and_csv_after_some_submissions(db_url, downloads):
    (alice, nll_a), (bob, nll_b) = nats_students(2)
    exercise = load_exercises().get(Q3)
    params_b = variant_for(bob, exercise, secret=SECRET).params
    # Bob's second answer is 2^NLL: the exercise's misconception with that answer is named.
    (bits,) = [m for m in exercise.misconceptions if math.isclose(m.answer(params_b), 2**nll_b, rel_tol=1e-9)]
    q6 = variant_for(alice, load_exercises().get(Q6), secret=SECRET).params
    h, t = q6["heads"], q6["tails"]
    q6_right = {"alpha": 1 + h, "beta": 1 + t, "mean": (h + 1) / (h + t + 2), "map": h / (h + t), "mle": h / (h + t)}
    submit_all(db_url, [
        (alice, Q3, repr(math.exp(nll_a))),  # 1
        (bob, Q3, repr(1.5 * math.exp(nll_b))),  # 0, no misconception
        (bob, Q3, repr(2**nll_b)),  # 0, bits for nats
        (alice, Q6, q6_right),  # 2 points of 2
    ])

    at = page_test(PAGE).run()
    assert not at.exception and not at.error

    wide = table_with(at, "total")
    assert list(wide.columns) == ["student_id", Q6, Q3, "total"]
    assert list(wide["student_id"]) == ["points possible", *sorted([alice, bob])]
    by_student = wide.set_index("student_id")
    assert (by_student.loc["points possible", Q3], by_student.loc["points possible", Q6]) == (1, 2)
    assert by_student.loc[alice, Q3] == 1 and by_student.loc[alice, Q6] == 2 and by_student.loc[alice, "total"] == 3
    assert by_student.loc[bob, Q3] == 0 and math.isnan(by_student.loc[bob, Q6]) and by_student.loc[bob, "total"] == 0

    stats = table_with(at, "mean best score").set_index("exercise")
    assert (stats.loc[Q3, "students"], stats.loc[Q3, "answers"]) == (2, 3)
    assert stats.loc[Q3, "mean score"] == pytest.approx((1 + 0 + 0) / 3)
    assert stats.loc[Q3, "mean best score"] == pytest.approx((1 + 0) / 2)
    assert (stats.loc[Q6, "answers"], stats.loc[Q6, "mean score"], stats.loc[Q6, "max points"]) == (1, 1.0, 2.0)

    shares = table_with(at, "share")
    assert shares.to_dict("records") == [{"exercise": Q3, "misconception": bits.name, "answers": 1, "share": 1 / 3}]

    wide_csv = list(csv.reader(io.StringIO(downloads["gradebook-wide.csv"])))
    assert wide_csv == [
        ["student_id", Q6, Q3, "total"],
        ["points possible", "2", "1", "3"],
        *sorted([[alice, "2", "1", "3"], [bob, "", "0", "0"]]),
    ]
    canvas_csv = list(csv.reader(io.StringIO(downloads["gradebook-canvas.csv"])))
    assert canvas_csv == [
        ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", Q6, Q3],
        ["    Points Possible", "", "", "", "", "2", "1"],
        *sorted([[alice, "", alice, "", "", "2", "1"], [bob, "", bob, "", "", "", "0"]]),
    ]
    long_csv = list(csv.DictReader(io.StringIO(downloads["gradebook-long.csv"])))
    assert [(r["student_id"], r["exercise_id"], float(r["score"]), r["misconception"]) for r in long_csv] == [
        (alice, Q3, 1.0, ""),
        (bob, Q3, 0.0, ""),
        (bob, Q3, 0.0, bits.name),
        (alice, Q6, 1.0, ""),
    ]


def test_check_button_shows_the_report(db_url):
    at = page_test(PAGE).run()
    at.number_input(key="check_variants").set_value(2)
    at.multiselect(key="check_exercises").set_value([Q3, Q6])
    (run,) = [b for b in at.button if b.label == "Run the check"]
    run.click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["2 of 2 exercises passed."]
    (report,) = [c.value for c in at.code]
    assert report.splitlines() == [
        f"{Q3}: ok (2 distinct of 2 variants)",
        f"{Q6}: ok (2 distinct of 2 variants)",
        "2 of 2 exercises passed",
    ]
