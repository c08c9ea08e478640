"""AppTest tests of the Exercises page, run on its own, against a gradebook in tmp_path.

References: the course's closed forms. Perplexity of an average NLL in nats is e^NLL
(so 2^NLL is the bits-for-nats mistake); the Beta(1, 1) prior updated by h heads and t
tails is Beta(1 + h, 1 + t) with mean (h + 1)/(h + t + 2) and MAP = MLE = h/(h + t).
"""

from __future__ import annotations

import math

import pytest

from grader import (
    AnswerError,
    Choice,
    Exercise,
    Gradebook,
    MultipleChoice,
    Vector,
    load_exercises,
    variant_for,
)
from tests.dashboard.helpers import page_test

Q3 = "interview.perplexity_from_nll"
Q6 = "interview.beta_binomial_posterior"
SECRET = "exercises-page-test-secret"
PAGE = "student_exercises.py"


def stored(db_url: str, student: str) -> list[dict]:
    book = Gradebook(db_url)
    try:
        return book.attempts(student_id=student)
    finally:
        book.close()


def nats_student() -> tuple[str, float]:
    """A student whose Q3 variant gives the NLL in nats (variants are in nats or bits)."""
    exercise = load_exercises().get(Q3)
    for i in range(100):
        params = variant_for(f"s{i}", exercise, secret=SECRET).params
        if params.get("unit", "nats") == "nats":
            return f"s{i}", params["nll"]
    raise AssertionError("no student with an NLL in nats among 100")


def open_page(student: str, exercise_id: str):
    at = page_test(PAGE)
    at.query_params.update({"student": student, "exercise": exercise_id})
    return at.run()


def submit(at, exercise_id: str, **fields: str):
    """Type into the answer inputs (``answer=`` for a single input, else one per field) and submit."""
    for name, text in fields.items():
        key = f"answer:{exercise_id}" if name == "answer" else f"answer:{exercise_id}:{name}"
        at.text_input(key=key).set_value(text)
    return at.button[0].click().run()


def metric(at, label: str) -> str:
    (value,) = [m.value for m in at.metric if m.label == label]
    return value


def table_with(at, column: str):
    (frame,) = [d.value for d in at.dataframe if column in d.value.columns]
    return frame


def test_without_a_student_id_the_page_asks_for_one(db_url):
    at = page_test(PAGE).run()
    assert not at.exception and not at.error
    assert any("student id" in i.value for i in at.info)


def test_a_bad_student_id_is_refused_with_a_message(db_url):
    at = page_test(PAGE).run()
    at.text_input(key="student").set_value("a b").run()
    assert not at.exception
    assert any("`student id` may hold only letters, digits and . _ - @; got 'a b'" in e.value for e in at.error)


def test_a_fullwidth_student_id_is_the_same_student(db_url):
    # The page reads the id with the grader's rule, so it sees s1's variant, as the sheet does.
    at = page_test(PAGE).run()
    at.text_input(key="student").set_value("ｓ１").run()
    at.selectbox(key="topic").set_value("interview").run()
    at.selectbox(key="exercise").set_value(Q3).run()
    assert not at.exception and not at.error
    nll = variant_for("s1", load_exercises().get(Q3), secret=SECRET).params["nll"]
    assert any(f"{nll:.2f} nats" in m.value for m in at.markdown)


def test_right_answer_scores_one_and_is_stored(db_url):
    student, nll = nats_student()
    at = page_test(PAGE).run()
    at.text_input(key="student").set_value(student).run()
    at.selectbox(key="topic").set_value("interview").run()
    at.selectbox(key="exercise").set_value(Q3).run()
    assert not at.exception
    assert any(f"{nll:.2f} nats" in m.value for m in at.markdown)  # the student's own variant

    answer = repr(math.exp(nll))  # perplexity = e^NLL
    submit(at, Q3, answer=answer)
    assert not at.exception
    assert metric(at, "Score") == "100%"
    assert any(s.value == "Correct." for s in at.success)
    attempts = table_with(at, "answer")
    assert list(attempts["answer"]) == [answer]
    assert list(attempts["score"]) == [1.0]
    assert list(attempts["source"]) == ["web"]
    (row,) = stored(db_url, student)
    assert (row["exercise_id"], row["answer"], row["score"], row["source"]) == (Q3, answer, 1.0, "web")
    assert row["seed"] == variant_for(student, load_exercises().get(Q3), secret=SECRET).seed


def test_expressions_are_accepted_for_numbers(db_url):
    student, nll = nats_student()
    at = submit(open_page(student, Q3), Q3, answer=f"exp({nll})")
    assert metric(at, "Score") == "100%"
    assert stored(db_url, student)[0]["answer"] == f"exp({nll})"


def test_bits_for_nats_shows_the_misconception(db_url):
    student, nll = nats_student()
    exercise = load_exercises().get(Q3)
    params = variant_for(student, exercise, secret=SECRET).params
    # The exercise's misconception whose wrong answer is 2^NLL (closed form) is the one to name.
    (bits,) = [m for m in exercise.misconceptions if math.isclose(m.answer(params), 2**nll, rel_tol=1e-9)]

    at = submit(open_page(student, Q3), Q3, answer=repr(2**nll))
    assert not at.exception
    assert metric(at, "Score") == "0%"
    assert any(bits.feedback in w.value for w in at.warning)
    assert any(f"`{bits.name}`" in c.value for c in at.caption)
    (row,) = stored(db_url, student)
    assert (row["score"], row["misconception"]) == (0.0, bits.name)


@pytest.mark.parametrize("typed", ["exp(3", "nan", "2**"])
def test_unreadable_answer_shows_the_graders_message_and_stores_nothing(db_url, typed):
    student, _ = nats_student()
    at = submit(open_page(student, Q3), Q3, answer=typed)
    assert not at.exception
    with pytest.raises(AnswerError) as refused:
        load_exercises().get(Q3).answer.parse(typed)
    assert [e.value for e in at.error] == [str(refused.value)]
    assert not at.metric  # no score: nothing was graded
    assert stored(db_url, student) == []
    book = Gradebook(db_url)
    assert book.uploads() == []  # not even an empty attempt
    book.close()


def test_record_answer_with_named_fields(db_url):
    student = "rec1"
    params = variant_for(student, load_exercises().get(Q6), secret=SECRET).params
    h, t = params["heads"], params["tails"]
    right = {
        "alpha": str(1 + h),
        "beta": str(1 + t),
        "mean": f"{h + 1}/{h + t + 2}",
        "map": f"{h}/{h + t}",
        "mle": f"{h}/{h + t}",
    }
    at = open_page(student, Q6)
    assert any(f"**{h} heads** and **{t} tails**" in m.value for m in at.markdown)
    submit(at, Q6, **right)
    assert not at.exception
    assert (metric(at, "Score"), metric(at, "Points")) == ("100%", "2 / 2")

    # The MLE typed as the posterior mean: 4 of 5 equally weighted fields right.
    submit(at, Q6, mean=f"{h}/{h + t}")
    assert metric(at, "Score") == "80%"
    parts = table_with(at, "verdict")
    assert dict(zip(parts["part"], parts["verdict"], strict=True)) == {
        "alpha": "correct", "beta": "correct", "mean": "wrong", "map": "correct", "mle": "correct",
    }
    first, second = stored(db_url, student)
    assert (first["score"], second["score"]) == (1.0, pytest.approx(4 / 5))
    assert second["misconception"] is not None
    assert any(f"`{second['misconception']}`" in c.value for c in at.caption)
    scores = table_with(at, "best points")
    assert list(scores["best points"]) == [2.0] and list(scores["answers"]) == [2]

    # An unreadable field: the message under that field, nothing stored.
    submit(at, Q6, mean="(1/3")
    assert not at.exception
    assert len(at.error) == 1 and "field 'mean'" in at.error[0].value
    assert len(stored(db_url, student)) == 2


def test_query_params_reproduce_the_view(db_url):
    student = "linked"
    exercise = load_exercises().get(Q6)
    params = variant_for(student, exercise, secret=SECRET).params
    at = open_page(student, Q6)
    assert not at.exception
    assert at.text_input(key="student").value == student
    assert (at.selectbox(key="topic").value, at.selectbox(key="exercise").value) == ("interview", Q6)
    assert any(f"**{params['heads']} heads** and **{params['tails']} tails**" in m.value for m in at.markdown)
    # The link to the visualising page carries this student's numbers.
    url = exercise.dashboard_url(params).lstrip("/")
    assert f"heads={params['heads']}" in url and f"tails={params['tails']}" in url
    # ... and names the exercise and student, so that page can hold the answer back.
    assert any(f"]({url}&exercise={Q6}&student={student})" in m.value for m in at.markdown)


def first_of_kind(kind: type) -> Exercise:
    return next(e for e in load_exercises().exercises.values() if type(e.answer) is kind)


@pytest.mark.parametrize("kind", [Vector, Choice, MultipleChoice], ids=lambda k: k.__name__)
def test_each_answer_widget_submits_what_the_student_chose(db_url, kind):
    # The widget must turn the input into the raw answer a submission file would hold:
    # typing (or picking) the reference answer must score full marks.
    exercise = first_of_kind(kind)
    student = "widgets"
    params = variant_for(student, exercise, secret=SECRET).params
    reference = exercise.answer.to_raw(exercise.expected(params))
    at = open_page(student, exercise.id)
    key = f"answer:{exercise.id}"
    typed = [repr(x) for x in reference] if kind is Vector else reference  # one entry per line
    if kind is Vector:
        at.text_area(key=key).set_value("\n".join(typed))
    elif kind is Choice:
        at.radio(key=key).set_value(reference)
    else:
        at.multiselect(key=key).set_value(reference)
    at.button[0].click().run()
    assert not at.exception
    assert metric(at, "Score") == "100%"
    (row,) = stored(db_url, student)
    assert (row["exercise_id"], row["answer"], row["score"]) == (exercise.id, typed, 1.0)


def test_the_exercise_picker_shows_titles_and_the_url_keeps_the_id(db_url):
    at = open_page("s1", Q6)
    assert not at.exception
    picker = at.selectbox(key="exercise")
    exercise = load_exercises().get(Q6)
    assert picker.value == Q6
    assert exercise.title in picker.options and Q6 not in picker.options  # titles shown
    assert at.query_params["exercise"] == Q6
    picker.set_value(Q3).run()
    assert not at.exception
    assert at.query_params["exercise"] == Q3
    assert any(m.value == load_exercises().get(Q3).title for m in at.subheader)


def test_every_answer_states_its_tolerance_table_fields_included(db_url):
    # Q6 is a table: each field's tolerance is spelled out, in the caption and the input's help.
    exercise = load_exercises().get(Q6)
    at = open_page("s1", Q6)
    (caption,) = [c.value for c in at.caption if c.value.startswith("Answer:")]
    for name, field in exercise.answer.fields.items():
        assert field.tolerance_words() in caption and name in caption
        assert at.text_input(key=f"answer:{Q6}:{name}").help == field.describe()
    number = open_page("s1", Q3)
    (caption,) = [c.value for c in number.caption if c.value.startswith("Answer:")]
    assert load_exercises().get(Q3).answer.tolerance_words() in caption
