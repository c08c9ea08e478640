"""The whole built-in catalogue: `probstats check --variants 200`, size, and well-posedness.

One test per exercise id, so pytest-xdist spreads them. The check runs through the CLI
exactly as an instructor types it; the well-posedness test then walks the same 200
synthetic students (same secret, same seeds, so exercise caches are warm) and asks more
than `check` does: no misconception's answer lies even in the "imprecise" band around the
right answer, and no two misconceptions give the same answer.
"""

from __future__ import annotations

from collections import Counter

import pytest

from grader import (
    Choice,
    MultipleChoice,
    Number,
    Record,
    RecordValue,
    Vector,
    build_registry,
    variant_for,
)
from grader.answers import IMPRECISE_FACTOR
from grader.checks import CHECK_SECRET
from grader.cli import main
from grader.code_answers import ANY, NONFINITE, Code, compare

REGISTRY = build_registry()
EXERCISE_IDS = sorted(REGISTRY.exercises)
N_VARIANTS = 200

#: The course's sections, each with at least three exercises (issue 6).
TOPICS = ("interview", "moments", "distributions", "bayes", "information", "sampling", "mcmc", "fisher", "lm")


def test_registry_loads_without_errors() -> None:
    assert REGISTRY.errors == []


def test_at_least_40_exercises_and_three_per_topic() -> None:
    assert len(EXERCISE_IDS) >= 40
    per_topic = Counter(REGISTRY.get(i).topic for i in EXERCISE_IDS)
    for topic in TOPICS:
        assert per_topic[topic] >= 3, f"topic {topic!r} has {per_topic[topic]} exercises"


def test_every_interview_question_is_gradable() -> None:
    # Q1–Q8 of the course, by the exercises that make each one gradable.
    questions = {
        "Q1": {"interview.cross_entropy_mle"},
        "Q2": {"interview.forward_reverse_kl"},
        "Q3": {"interview.perplexity_from_nll", "interview.perplexity_from_nll_bits", "interview.uniform_perplexity"},
        "Q4": {"interview.weight_decay_prior", "interview.ridge_map"},
        "Q5": {"interview.importance_sampling", "interview.ppo_clip"},
        "Q6": {"interview.beta_binomial_posterior"},
        "Q7": {"interview.mutual_information"},
        "Q8": {"interview.fisher_cramer_rao", "interview.natural_gradient"},
    }
    for question, ids in questions.items():
        assert ids <= set(EXERCISE_IDS), question


@pytest.mark.parametrize("exercise_id", EXERCISE_IDS)
def test_check_200_variants_and_well_posed(exercise_id: str, capsys: pytest.CaptureFixture[str]) -> None:
    # One test, so the well-posedness pass reuses what `check` computed in this process.
    status = main(["check", "--exercise", exercise_id, "--variants", str(N_VARIANTS)])
    out = capsys.readouterr().out
    assert status == 0, out
    assert f"{exercise_id}: ok" in out
    _assert_well_posed(exercise_id)


def _assert_well_posed(exercise_id: str) -> None:
    exercise = REGISTRY.get(exercise_id)
    kind = exercise.answer
    distinct: set[str] = set()
    for i in range(N_VARIANTS):
        params = variant_for(f"check-{i}", exercise, secret=CHECK_SECRET).params
        distinct.add(repr(sorted(params.items())))
        expected = exercise.expected(params)
        wrongs = [(m.name, w) for m, w in exercise.wrong_answers(params)]
        for name, wrong in wrongs:
            problem = _too_close(kind, expected, wrong)
            assert problem is None, f"variant {i}: misconception {name!r}: {problem}"
        # No two misconceptions give the same answer (the second could never be named).
        for a in range(len(wrongs)):
            for b in range(a + 1, len(wrongs)):
                assert not _same_wrong(kind, wrongs[a][1], wrongs[b][1]), (
                    f"variant {i}: misconceptions {wrongs[a][0]!r} and {wrongs[b][0]!r} coincide"
                )
    # Different students mostly get different variants.
    assert len(distinct) >= N_VARIANTS // 3


def _outside_band(number: Number, value: float, expected: float) -> bool:
    """True when ``value`` is not even "imprecise" for ``expected``."""
    return abs(value - expected) > IMPRECISE_FACTOR * number.tolerance(expected)


def _too_close(kind: object, expected: object, wrong: object) -> str | None:
    """Why ``wrong`` could be mistaken for ``expected``, or None when it cannot."""
    if isinstance(kind, Number):
        return None if _outside_band(kind, wrong, expected) else f"{wrong} is within 10 tolerances of {expected}"
    if isinstance(kind, Vector):
        number = Number(rtol=kind.rtol, atol=kind.atol)
        if len(wrong) != len(expected) or any(
            _outside_band(number, w, e) for w, e in zip(wrong, expected, strict=True)
        ):
            return None
        return f"{wrong} is within 10 tolerances of {expected} in every entry"
    if isinstance(kind, Record):
        assert isinstance(expected, RecordValue)
        if any(_outside_band(kind.fields[k], v, expected.values[k]) for k, v in wrong.items()):
            return None
        return f"{wrong} is within 10 tolerances of the expected fields"
    if isinstance(kind, Choice | MultipleChoice):
        return None if wrong != expected else f"{wrong!r} is the right option"
    return None  # a plugin's own kind: `check` covers it


def _same_wrong(kind: object, a: object, b: object) -> bool:
    if isinstance(kind, Code):
        # Code misconceptions coincide when every check gives both the same output.
        return all(
            x.expected is not ANY and y.expected is not ANY
            and (x.expected is NONFINITE) == (y.expected is NONFINITE)
            and (x.expected is NONFINITE or not compare(x.expected, y.expected, rtol=kind.rtol, atol=kind.atol))
            for x, y in zip(a.checks, b.checks, strict=True)
        )
    if isinstance(kind, Record):
        shared = set(a) & set(b)
        return set(a) == set(b) and all(kind.fields[k].evaluate(a[k], b[k]).score == 1.0 for k in shared)
    return kind.matches(a, b) if hasattr(kind, "matches") else a == b
