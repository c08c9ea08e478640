"""A small hosted course for the API, remote-CLI and load tests: roster, tokens, answers."""

from __future__ import annotations

from typing import Any

from grader import Gradebook, Registry, variant_for
from grader.access import Member, issue_token
from grader.roster import import_roster
from grader.sheet import toml_key, toml_value

#: A course secret strong enough for hosted mode (tests only).
SECRET = "test-secret-0123456789-abcdefghijklmnopqrstuvwxyz"
Q3 = "interview.perplexity_from_nll"
Q6 = "interview.beta_binomial_posterior"


def enrol(book: Gradebook, students: int = 2, instructors: int = 1) -> dict[str, str]:
    """Put ``s1..sN`` and ``t1..tM`` on the roster; return each member's fresh token by id."""
    roster = [Member(f"s{i}", f"Student {i}", f"s{i}@uni.test", "student") for i in range(1, students + 1)]
    roster += [Member(f"t{i}", f"Teacher {i}", f"t{i}@uni.test", "instructor") for i in range(1, instructors + 1)]
    import_roster(book, roster)
    return {m.id: issue_token(book, m.id) for m in roster}


def right_answers(registry: Registry, student: str, exercise_ids: list[str]) -> dict[str, Any]:
    """The expected answer of each exercise for this student's variant, as a student types it."""
    answers = {}
    for exercise_id in exercise_ids:
        exercise = registry.get(exercise_id)
        params = variant_for(student, exercise, secret=SECRET).params
        answers[exercise_id] = exercise.answer.to_raw(exercise.expected(params))
    return answers


def to_toml(answers: dict[str, Any], student: str | None = None) -> str:
    """A submission file's text."""
    head = [] if student is None else [f"student_id = {toml_value(student)}"]
    lines = [*head, "[answers]", *(f"{toml_key(k)} = {toml_value(v)}" for k, v in answers.items())]
    return "\n".join(lines) + "\n"


def code_toml(answers: dict[str, str]) -> str:
    """A submission file answering code exercises with ``{ code = '''...''' }``."""
    lines = ["[answers]"] + [f"\"{k}\" = {{ code = '''{v}''' }}" for k, v in answers.items()]
    return "\n".join(lines) + "\n"
