"""Exercises page: a student's own variant of an exercise, an answer form, feedback, history."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import streamlit as st

from dashboard.common import access, exercise_links
from dashboard.common.code_editor import code_editor
from dashboard.common.pages import PAGES
from dashboard.practice import code_jobs, gradebook, reveal
from grader import (
    AnswerError,
    Choice,
    Code,
    Exercise,
    Feedback,
    GradedSubmission,
    MultipleChoice,
    Number,
    Record,
    Vector,
    grade_submission,
    parse_submission,
    variant_for,
)
from grader.course import CourseError, current_course
from grader.variants import check_student_id

#: Where the last graded submission is kept, so its feedback survives later reruns.
LAST_RESULT = "exercises_last_result"

# Hosted: the logged-in member (or the login page); a student works only as themself.
member = access.member()

st.title("Exercises")
st.markdown(
    "Each student gets a personal version of every exercise: the numbers in the question "
    "are drawn from your student id, so they match your `probstats sheet` and nobody "
    "else's. Type your answer (numbers may be expressions such as `exp(3)` or `5/7`), "
    "submit, and the grader tells you what was right, which common mistake it "
    "recognises, and where in the dashboard to watch the idea move with your numbers. "
    "Every submission is stored in the course gradebook, next to the ones made from the "
    "command line."
)

registry = exercise_links.registry()
topics = registry.topics()
if not topics:
    st.info("No exercises are loaded. The Instructor page lists the plugins and their errors.")
    st.stop()

# A shared link may name only the exercise: open on its topic then.
linked = st.query_params.get("exercise")
topic_names = list(topics)
default_topic = linked.split(".", 1)[0] if linked in registry.exercises else topic_names[0]

col_student, col_topic, col_exercise = st.columns([1, 1, 2])
if member is not None and not member.is_instructor:
    student = member.id
    col_student.text_input("Your student id", value=student, disabled=True, key="hosted_student")
else:
    # Locally, and for an instructor in a hosted course: any student's view.
    student = col_student.text_input(
        "Your student id", max_chars=64, placeholder="e.g. s123", key="student", bind="query-params"
    ).strip()
topic = col_topic.selectbox(
    "Topic", topic_names, index=topic_names.index(default_topic), key="topic", bind="query-params"
)
# Shown by title; the URL keeps the id (a bound selectbox would write the title there),
# so the picker is synced to `exercise=` by hand.
exercise_ids = [e.id for e in topics[topic]]
exercise_id = col_exercise.selectbox(
    "Exercise", exercise_ids, key="exercise",
    index=exercise_ids.index(linked) if linked in exercise_ids else 0,
    format_func=lambda i: registry.get(i).title,
)
if st.query_params.get("exercise") != exercise_id:
    st.query_params["exercise"] = exercise_id

if not student:
    st.info("Enter your student id to see your own version of the exercise.")
    st.stop()
try:
    student = check_student_id(student, "student id")
except ValueError as exc:
    col_student.error(str(exc))
    st.stop()

try:
    course = current_course()
except CourseError as exc:  # the instructor's course.toml: say so, not the student's fault
    st.error(f"The course settings cannot be read: {exc}. Please tell your instructor.")
    st.stop()
exercise = registry.get(exercise_id)
try:
    params = variant_for(student, exercise).params
    prompt = exercise.render_prompt(params)
    dashboard_url = exercise.dashboard_url(params)
except Exception as exc:  # the exercise's own code failed: a plugin bug, not the student's
    st.error(
        f"This exercise cannot be shown (plugin {registry.owner(exercise.id)!r}): "
        f"{type(exc).__name__}: {exc}. Please tell your instructor."
    )
    st.stop()

# The course rules (course.toml) decide what is shown before and after an attempt.
book = gradebook.current_gradebook()
rules = course.rules_for(exercise.id)
used = book.attempt_counts(student).get(exercise.id, 0)

points = f"{exercise.points:g} point{'s' if exercise.points != 1 else ''}"
st.subheader(exercise.title)
st.caption(f"`{exercise.id}` · {points}")
with st.container(border=True):
    st.markdown(prompt)
if dashboard_url is not None and not rules.reveals("links", datetime.now(UTC), used):
    st.caption(rules.reveal_note("links"))
elif dashboard_url is not None:
    page_name = dashboard_url.split("?", 1)[0].strip("/")
    titles = {spec.url_path: spec.title for spec in PAGES}
    label = titles.get(page_name, page_name)
    # Relative to this page's URL, so the link also works under a server base path. The
    # exercise and student let the page hide the answer until a first attempt (reveal.py).
    link = reveal.with_exercise(dashboard_url.lstrip("/"), exercise.id, student)
    st.markdown(f"See it move: [{label}]({link}) opens with your numbers.")


def answer_widgets(exercise: Exercise) -> tuple[Any, dict[str, Any]]:
    """Draw the input that fits the answer kind; return the raw answer and a slot per input.

    A slot is an empty element right under its input, where the grader's message about
    that input is shown.
    """
    answer = exercise.answer
    key = f"answer:{exercise.id}"
    if isinstance(answer, Record):
        columns = st.columns(len(answer.fields))
        raw: dict[str, str] = {}
        slots = {}
        for column, (name, field) in zip(columns, answer.fields.items(), strict=True):
            text = column.text_input(
                name, key=f"{key}:{name}", placeholder="number or expression", help=field.describe()
            )
            slots[name] = column.empty()
            if text.strip():
                raw[name] = text.strip()
        return raw, slots
    if isinstance(answer, Code):
        # Line numbers while typing, since the checks' messages name lines; the submitted
        # code is shown numbered beside the checks' results too.
        source = code_editor(answer.starter(), key=key, height=260,
                             label=f"Your code: define {answer.signature}")
        st.caption(f"Runs in a sandbox on random inputs and edge cases; only "
                   f"{', '.join(answer.imports)} may be imported.")
        return {"code": source}, {"answer": st.empty()}
    if isinstance(answer, Number):
        text = st.text_input("Your answer", key=key, placeholder="a number or an expression, e.g. exp(3)")
        return text.strip(), {"answer": st.empty()}
    if isinstance(answer, Vector):
        text = st.text_area(
            "Your answer: one number (or expression) per line", key=key, placeholder="0.25\n1/3"
        )
        return [line.strip() for line in text.splitlines() if line.strip()], {"answer": st.empty()}
    if isinstance(answer, Choice):
        choice = st.radio("Your answer", answer.options, index=None, key=key, horizontal=True)
        return choice or "", {"answer": st.empty()}
    if isinstance(answer, MultipleChoice):
        chosen = st.multiselect("Your answer: every option that applies", answer.options, key=key)
        return list(chosen), {"answer": st.empty()}
    # A kind added by a plugin: the answer as in a submission file, written as JSON.
    example = json.dumps(answer.template())
    text = st.text_input(f"Your answer, as JSON (like {example})", key=key).strip()
    try:
        return json.loads(text), {"answer": st.empty()}
    except json.JSONDecodeError:
        return text, {"answer": st.empty()}


def unreadable_parts(exercise: Exercise, raw: Any) -> dict[str, str]:
    """The grader's message for each input it cannot read (empty when all are readable)."""
    try:
        value = exercise.answer.parse(raw)
    except AnswerError as exc:
        return {"answer": str(exc)}
    if isinstance(exercise.answer, Record):
        # Fields left blank are graded as missing; only typed ones that cannot be read stop us.
        return {name: message for name, message in value.problems.items() if name not in value.missing}
    return {}


def show_result(result: GradedSubmission) -> None:
    """Score, per-part verdicts, the recognised misconception, and any error.

    A code answer's feedback sits beside the submitted code, shown with line numbers
    (the checks' messages name lines of it).
    """
    for feedback in result.feedback:
        code = feedback.answer.get("code") if isinstance(feedback.answer, dict) else None
        if isinstance(code, str):
            code_col, result_col = st.columns([1, 1])
            with code_col:
                st.caption("The code you submitted")
                # st.code drops one leading newline; keep a leading blank line so that the
                # numbers match the lines the feedback names.
                st.code("\n" + code if code.startswith("\n") else code, language="python", line_numbers=True)
            with result_col:
                show_feedback(feedback)
        else:
            show_feedback(feedback)
    for error in result.errors:
        st.error(str(error), icon=":material/error:")
    for observer_error in result.observer_errors:
        st.warning(f"A plugin failed after grading (your answer is stored): {observer_error}")


def show_feedback(feedback: Feedback) -> None:
    """One exercise's score, verdicts per part (or per check) and misconception."""
    if "scores" in feedback.withheld:
        # The course keeps the score back: say it was stored, and when it will show.
        st.info(feedback.message, icon=":material/inventory:")
        return
    score_col, points_col = st.columns(2)
    score_col.metric("Score", f"{feedback.score:.0%}")
    points_col.metric("Points", f"{feedback.points:g} / {feedback.max_points:g}")
    if feedback.score == 1.0:
        st.success(feedback.message, icon=":material/check_circle:")
    elif feedback.misconception is not None:
        st.warning(feedback.message, icon=":material/psychology_alt:")
        st.caption(f"Recognised misconception: `{feedback.misconception}`")
    else:
        st.info(feedback.message, icon=":material/info:")
    st.dataframe(
        [
            {"part": p.part, "verdict": p.verdict, "score": p.score, "message": p.message}
            for p in feedback.parts
        ],
        hide_index=True,
        column_config={"score": st.column_config.NumberColumn("score", format="%.2f")},
    )
    if feedback.expected is not None:
        st.caption(f"Expected answer: `{json.dumps(feedback.expected)}`")


def tolerance_caption(answer: Any) -> str:
    """The answer's description; a table's names each field's own tolerance."""
    return f"Answer: {answer.describe()}."


def keep_result(result: GradedSubmission) -> None:
    """Make ``result`` the feedback shown under the form (a queued job's, once graded)."""
    st.session_state[LAST_RESULT] = result


queued = code_jobs.enabled(course, book)
st.caption(tolerance_caption(exercise.answer))
with st.form(key=f"form:{exercise.id}"):
    raw_answer, slots = answer_widgets(exercise)
    submitted = st.form_submit_button("Submit", type="primary", icon=":material/send:")

if submitted:
    if raw_answer in ("", [], {}):
        next(iter(slots.values())).warning("Type an answer first.")
    elif problems := unreadable_parts(exercise, raw_answer):
        # Nothing is submitted: a typo should not cost an attempt.
        for part, message in problems.items():
            slots.get(part, slots[next(iter(slots))]).error(message, icon=":material/error:")
    else:
        submission = parse_submission(
            {"student_id": student, "answers": {exercise.id: raw_answer}}, source="web"
        )
        if queued:
            # Hosted on PostgreSQL: code answers go to the course's grading workers.
            st.session_state[LAST_RESULT] = code_jobs.submit(submission, registry, book, course)
        else:
            st.session_state[LAST_RESULT] = grade_submission(submission, registry, gradebook=book)

if queued:
    # "grading…" for this exercise's queued code answers (a reload finds them too).
    code_jobs.watch_pending(book, student)
    code_jobs.show_jobs(book, student, exercise.id, on_graded=keep_result)

last = st.session_state.get(LAST_RESULT)
if last is not None and last.student_id == student and exercise.id in (
    {f.exercise_id for f in last.feedback} | {e.exercise_id for e in last.errors}
):
    st.subheader("Feedback")
    show_result(last)

st.subheader("Your attempts at this exercise")
attempts = gradebook.attempts_table(book, student, exercise.id)
now = datetime.now(UTC)
if not rules.reveals("scores", now, len(attempts)):
    attempts = attempts.drop(columns=["score", "points", "misconception"])
    st.caption(rules.reveal_note("scores"))
if attempts.empty:
    st.caption("None yet.")
else:
    st.dataframe(
        attempts,
        hide_index=True,
        column_config={"score": st.column_config.NumberColumn("score", format="%.2f")},
    )

st.subheader("Your best scores so far")
scores = gradebook.scores_table(book, student)
hidden = [
    not course.rules_for(row.exercise).reveals("scores", now, row.answers) for row in scores.itertuples()
]
scores.loc[hidden, ["best points", "latest points"]] = None  # withheld by the course rules
if scores.empty:
    st.caption("Nothing graded yet for this student id.")
else:
    st.dataframe(scores, hide_index=True)
