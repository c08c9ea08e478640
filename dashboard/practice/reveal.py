"""The reveal rule for a page opened from an exercise's "see it move" link.

The Exercises page links to a topic page with the student's numbers and adds
``exercise=<id>`` (and ``student=<id>`` when the student typed one). Such a page shows
the exercise's answer only when the course's ``reveal_answers`` rule allows
(``course.toml``, :mod:`grader.course`; by default after the student's first attempt):
the link is there to help think, not to copy. A topic page asks :func:`answers_revealed` before it shows an
output that is an exercise's answer, and calls :func:`show_reveal_note` once so the
learner knows why a number is missing.

A page opened any other way (from the navigation, or a hand-typed link without
``exercise=``) reveals everything: it is the free explorer it always was.

Stable API (other branches copy this file): :func:`answers_revealed`,
:func:`linked_exercise`, :func:`show_reveal_note`, :func:`with_exercise`, :data:`HIDDEN`
and :data:`NOTE`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode

import streamlit as st

from dashboard.common import access
from dashboard.practice import gradebook
from grader.course import ExerciseRules, current_course
from grader.variants import check_student_id

__all__ = ["HIDDEN", "NOTE", "answers_revealed", "linked_exercise", "show_reveal_note", "with_exercise"]

#: What a page shows in place of a hidden value (e.g. as a metric's value).
HIDDEN = "hidden until you submit"

#: The note under a page's title while its answers are hidden.
NOTE = (
    "You opened this page from an exercise. Submit your answer once on the Exercises page "
    "to see the computed value here; until then the page shows the inputs and the "
    "pictures, not the answer."
)

#: Session keys of (student, exercise) pairs already found to have an attempt: once a
#: student has submitted, the answer stays shown without asking the gradebook again.
_SEEN = "reveal_seen_attempts"


def with_exercise(url: str, exercise_id: str, student: str) -> str:
    """``url`` with ``exercise=<exercise_id>`` and ``student=<student>`` added to its query.

    Examples
    --------
    >>> with_exercise("sampling?top_p=0.9", "sampling.top_p_kept_set", "s1")
    'sampling?top_p=0.9&exercise=sampling.top_p_kept_set&student=s1'
    >>> with_exercise("fisher-information", "fisher.gaussian", "s 1")
    'fisher-information?exercise=fisher.gaussian&student=s+1'
    """
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}{urlencode({'exercise': exercise_id, 'student': student})}"


def linked_exercise() -> str | None:
    """The exercise id in the page's URL (``exercise=``), or None for a page opened freely."""
    value = st.query_params.get("exercise")
    return value.strip() or None if value else None


def _student() -> str | None:
    """Whose attempts count: a hosted course's logged-in student; else the URL's valid id.

    In a hosted course a student cannot borrow another's attempts by editing
    ``student=`` (an instructor, or the local app, follows the URL).
    """
    who = access.member(login=False)
    if who is not None and not who.is_instructor:
        return who.id
    value = (st.query_params.get("student") or "").strip()
    if not value:
        return None
    try:
        check_student_id(value, "student id")
    except ValueError:
        return None
    return value


def answers_revealed() -> bool:
    """True unless the page came from an exercise link and the course rules hide its answer.

    Returns
    -------
    bool
        True for a page opened without ``exercise=`` in its URL. For a linked page,
        the exercise's ``reveal_answers`` rule decides (:meth:`grader.course.ExerciseRules.reveals`),
        counting the stored attempts of its ``student=`` in the course gradebook
        (``PROBSTATS_DB``); with the default rule, False until that student has one.
    """
    exercise_id = linked_exercise()
    if exercise_id is None:
        return True
    rules = current_course().rules_for(exercise_id)
    now = datetime.now(UTC)
    if rules.reveals("answers", now, 0):
        return True
    student = _student()
    if student is None:
        return False
    seen: set[tuple[str, str]] = st.session_state.setdefault(_SEEN, set())
    if (student, exercise_id) in seen:
        return True
    # One grouped count; a few milliseconds.
    attempts = gradebook.current_gradebook().attempt_counts(student).get(exercise_id, 0)
    if rules.reveals("answers", now, attempts):
        seen.add((student, exercise_id))
        return True
    return False


def _note(rules: ExerciseRules) -> str:
    if rules.reveal["answers"] == "after_first_attempt":
        return f"**Submit your answer once to see the computed value.** {NOTE}"
    return f"**The computed value is hidden.** {rules.reveal_note('answers')}"


def show_reveal_note() -> bool:
    """Show why answers are hidden, when they are; return :func:`answers_revealed`.

    Call it once near the top of a page and use the returned flag for each output that
    is an exercise's answer.
    """
    revealed = answers_revealed()
    exercise_id = linked_exercise()
    if not revealed and exercise_id is not None:
        st.info(_note(current_course().rules_for(exercise_id)), icon=":material/visibility_off:")
    return revealed
