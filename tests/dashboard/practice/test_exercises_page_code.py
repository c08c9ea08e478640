"""AppTest tests of the Exercises page's code area: code in, checks' results beside it.

The code is graded by the grader in the sandbox (bubblewrap); nothing runs in the test's
process. The solutions are the numpy-only ones of tests/exercises/code_solutions.py.
"""

from __future__ import annotations

import pytest

from grader import Gradebook
from tests.dashboard.helpers import code_editor_args, page_test, type_code
from tests.exercises.code_solutions import CORRECT, WRONG
from tests.sandbox import need_sandbox

SECRET = "exercises-page-code-secret"
PAGE = "student_exercises.py"
KL = "code.kl_divergence"


@pytest.fixture(scope="module")
def sandbox() -> None:
    need_sandbox()


def open_code_page(exercise_id: str = KL):
    at = page_test(PAGE)
    at.query_params.update({"student": "s5", "exercise": exercise_id})
    return at.run()


def submit_code(at, exercise_id: str, code: str):
    return type_code(at, f"answer:{exercise_id}", code).button[0].click().run()


def stored(db_url: str) -> list[dict]:
    book = Gradebook(db_url)
    try:
        return book.attempts(student_id="s5")
    finally:
        book.close()


def test_the_code_area_starts_from_the_signature(db_url):
    at = open_code_page()
    assert not at.exception and not at.error
    editor = code_editor_args(at, f"answer:{KL}")
    assert "def kl_divergence(p, q):" in editor["value"]
    assert editor["label"] == "Your code: define kl_divergence(p, q)"
    assert any("Python code defining `kl_divergence(p, q)`" in c.value for c in at.caption)
    assert any("only numpy, math may be imported" in c.value for c in at.caption)


def test_the_starter_code_is_what_is_graded_when_nothing_is_typed(db_url, sandbox):
    # Under AppTest no browser sends the editor's text: the page submits the initial text.
    at = open_code_page()
    starter = code_editor_args(at, f"answer:{KL}")["value"]
    at = at.button[0].click().run()
    assert not at.exception
    (shown,) = at.code
    assert shown.value.splitlines() == starter.splitlines()
    (row,) = stored(db_url)
    assert row["answer"] == {"code": starter}


def test_a_correct_function_scores_full_marks_beside_its_numbered_code(db_url, sandbox):
    at = submit_code(open_code_page(), KL, CORRECT[KL])
    assert not at.exception
    (score,) = [m.value for m in at.metric if m.label == "Score"]
    assert score == "100%"
    (shown,) = at.code
    assert shown.value.splitlines() == CORRECT[KL].splitlines() and shown.proto.show_line_numbers
    (checks,) = [d.value for d in at.dataframe if "verdict" in d.value.columns]
    assert set(checks["verdict"]) == {"correct"}
    assert {"zeros in p", "q = 0 < p"} <= set(checks["part"])
    (row,) = stored(db_url)
    assert row["exercise_id"] == KL and row["score"] == 1.0 and row["source"] == "web"


def test_a_wrong_function_gets_per_check_feedback_and_its_misconception(db_url, sandbox):
    code = next(c for e, c, m in WRONG if m == "bits_for_nats")
    at = submit_code(open_code_page(), KL, code)
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    (checks,) = [d.value for d in at.dataframe if "verdict" in d.value.columns]
    wrong = checks[checks["verdict"] == "wrong"]
    assert len(wrong) == 4 and all(m.startswith("on p=") and "expected" in m for m in wrong["message"])
    assert any("bits" in w.value for w in at.warning)


def test_a_forbidden_import_is_shown_with_its_line_and_not_submitted(db_url):
    at = submit_code(open_code_page(), KL, "import numpy as np\nimport scipy.special\n\ndef kl_divergence(p, q):\n    return 0.0\n")
    assert not at.exception
    assert any("line 2: `import scipy.special` is not allowed" in e.value for e in at.error)
    assert stored(db_url) == []
