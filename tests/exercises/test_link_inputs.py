"""Issue 12 §2: a dashboard link carries the problem's inputs, never its answer."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from grader import DashboardLink, Exercise, Number, Record, Vector, build_registry, variant_for

REGISTRY = build_registry()
SECRET = "link-inputs"


def _query(exercise_id: str, student: str) -> tuple[dict, dict[str, str]]:
    exercise = REGISTRY.get(exercise_id)
    params = variant_for(student, exercise, secret=SECRET).params
    return params, dict(parse_qsl(urlsplit(exercise.dashboard_url(params) or "").query))


def test_dirichlet_link_opens_the_prior_not_the_posterior() -> None:
    for i in range(20):
        params, query = _query("bayes.dirichlet_posterior_mean", f"s{i}")
        assert query == {"family": "Dirichlet", "a1": "1.0", "a2": "1.0", "a3": "1.0"}
        assert any(c > 0 for c in params["counts"])  # the posterior (1 + n_k) would differ


def test_perplexity_from_logits_link_has_no_nll() -> None:
    for i in range(20):
        params, query = _query("information.perplexity_from_logits", f"s{i}")
        assert "nll" not in query
        assert query["p_logits"] == ", ".join(str(z) for z in params["logits"][0])


def test_js_prompt_mentions_zeros_only_when_there_are_some() -> None:
    exercise = REGISTRY.get("information.js_divergence_bound")
    seen = set()
    for i in range(60):
        params = variant_for(f"s{i}", exercise, secret=SECRET).params
        has_zero = 0 in params["p"] or 0 in params["q"]
        assert ("zeros included" in exercise.render_prompt(params)) == has_zero
        seen.add(has_zero)
    assert seen == {True, False}


# -- catalogue-wide: no link value tracks an answer ------------------------------------------

N_STUDENTS = 50
#: A link value "tracks" an answer component when it equals it, within the answer's own
#: tolerance, for at least this share of the students. Equal for one or two students is a
#: coincidence of small numbers (a probability 2/11 in a joint table whose covariance is
#: 2/11); a leak matches every student, or every student of one kind of variant.
LEAK_SHARE = 0.1

#: Modules not yet rewritten whose link still carries an answer (on the sampling rewrite's
#: branch): strict, so the entry must go when the fix arrives.


def _numbers(text: str) -> list[float]:
    """The numbers in a query value (a number, or a list by ``,`` / ``;``); text is skipped."""
    found = []
    for token in re.split(r"[,;\s]+", text.strip()):
        try:
            found.append(float(token))
        except ValueError:
            continue
    return found


def _components(exercise: Exercise, expected: Any) -> list[tuple[str, float, Number]]:
    """The expected answer's numbers, each with the tolerance it is graded with."""
    kind = exercise.answer
    if isinstance(kind, Number):
        return [("answer", float(expected), kind)]
    if isinstance(kind, Vector):
        entry = Number(rtol=kind.rtol, atol=kind.atol)
        return [(f"entry {i}", float(x), entry) for i, x in enumerate(expected)]
    if isinstance(kind, Record):
        return [(name, float(expected.values[name]), kind.fields[name]) for name in kind.fields]
    return []  # a choice is a label: a link of numbers cannot carry it


def _plain_numbers(value: Any) -> list[float]:
    if isinstance(value, bool):
        return []
    if isinstance(value, int | float):
        return [float(value)]
    if isinstance(value, dict):
        return [x for v in value.values() for x in _plain_numbers(v)]
    if isinstance(value, list):
        return [x for v in value for x in _plain_numbers(v)]
    return []


def tracking_values(exercise: Exercise, n_students: int = N_STUDENTS, share: float = LEAK_SHARE) -> dict[tuple[str, str], int]:
    """(query key, answer component) -> students whose link value equals that component.

    Not counted: a query value that is the same for every student (a page setting such as
    ``ng_steps=1``, which says nothing about a variant), and an answer component that
    equals one of the variant's own parameters (then the prompt already shows it).
    """
    rows = []
    for i in range(n_students):
        params = variant_for(f"s{i}", exercise, secret=SECRET).params
        query = dict(parse_qsl(urlsplit(exercise.dashboard_url(params) or "").query))
        rows.append((params, query, exercise.expected(params)))
    settings = {k for k, v in rows[0][1].items() if all(q.get(k) == v for _, q, _ in rows)}
    counts: Counter[tuple[str, str]] = Counter()
    for params, query, expected in rows:
        inputs = _plain_numbers(params)
        matched = set()
        for name, value, number in _components(exercise, expected):
            tol = number.tolerance(value)
            if any(abs(x - value) <= tol for x in inputs):
                continue
            matched |= {
                (key, name)
                for key, text in query.items()
                if key not in settings and any(abs(x - value) <= tol for x in _numbers(text))
            }
        counts.update(matched)
    return {pair: n for pair, n in counts.items() if n >= share * n_students}


@pytest.mark.parametrize("exercise_id", sorted(REGISTRY.exercises))
def test_no_link_value_tracks_an_answer(exercise_id: str) -> None:
    assert tracking_values(REGISTRY.get(exercise_id)) == {}


def test_the_old_softmax_link_is_caught() -> None:
    # The softmax link as it was: the probabilities (the answer) to 10 digits.
    exercise = REGISTRY.get("distributions.softmax_categorical")
    leaky = dataclasses.replace(
        exercise,
        dashboard=DashboardLink(
            "distributions",
            lambda p: {"family": "Categorical", "probs": ", ".join(f"{x:.10g}" for x in exercise.expected(p))},
        ),
    )
    found = tracking_values(leaky)
    assert {name for _, name in found} == {"entry 0", "entry 1", "entry 2", "entry 3"}
    assert all(n == N_STUDENTS for n in found.values())


def test_settings_and_inputs_are_not_counted_coincidences_are_rare() -> None:
    # Every match counted (share 0): fisher.natural_gradient_gaussian's link holds
    # ng_steps=1 for everyone, and some students' new μ is 1; not counted.
    assert tracking_values(REGISTRY.get("fisher.natural_gradient_gaussian"), share=0) == {}
    # A joint-table probability equal to the covariance (2/11) for one or two students.
    coincidences = tracking_values(REGISTRY.get("moments.covariance_correlation"), share=0)
    assert coincidences and max(coincidences.values()) < LEAK_SHARE * N_STUDENTS
    assert _numbers("0.5, 1; 2 x") == [0.5, 1.0, 2.0]


def test_variance_two_formulas_states_each_fields_tolerance() -> None:
    # E[X²] is graded to 1e-5: the prompt and the sheet's answer line both say so.
    exercise = REGISTRY.get("moments.variance_two_formulas")
    prompt = exercise.render_prompt(variant_for("s1", exercise, secret=SECRET).params)
    described = exercise.answer.describe()
    for name, number in exercise.answer.fields.items():
        assert f"`{name}` relative {number.rtol:g}" in prompt
        assert f"{name} ({number.tolerance_words()})" in described
    assert "1e-05" in prompt
