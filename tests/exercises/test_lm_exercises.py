"""The language-model exercises, checked against the numbers printed on the sheet.

Each test reads the tables back from the rendered prompt (what the student sees), computes
the answer with scipy or plain numpy, and grades it; then it computes each misconception
from the same printed numbers and checks that the grader names it and gives its
feedback. Well-posedness and ``probstats check`` run for every exercise in
test_catalogue.py; the stored numbers are checked against the live model in
test_lm_numbers.py.
"""

from __future__ import annotations

import ast
import math
import re

import numpy as np
import pytest
import scipy.special
import scipy.stats

import exercises.language_model as module
from grader import Exercise, build_registry, grade_answer, variant_for

REGISTRY = build_registry(builtin=False, autoload=False, extra_plugins=[("exercises.language_model", module)])
IDS = sorted(REGISTRY.exercises)
SECRET = "lm-exercise-tests"
N_STUDENTS = 15


def test_registers_six_exercises_under_lm() -> None:
    assert REGISTRY.errors == []
    assert set(IDS) == {
        "lm.top_k_entropy", "lm.sentence_perplexity", "lm.top_p_kept_set",
        "lm.temperature_token", "lm.kl_two_prompts", "lm.ppo_clipped_ratio",
    }


# ------------------------------------------------------------ reading the sheet back


def _cells(line: str) -> list[str]:
    return [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]


def _token(cell: str) -> str:
    assert cell.startswith("`") and cell.endswith("`"), cell
    return str(ast.literal_eval(cell[1:-1].replace("\\|", "|")))


def sheet(exercise_id: str, student: str) -> tuple[Exercise, str, list[list[str]]]:
    """The exercise, its prompt as rendered for ``student`` and the prompt's table rows."""
    exercise = REGISTRY.get(exercise_id)
    params = variant_for(student, exercise, secret=SECRET).params
    text = exercise.render_prompt(params)
    lines = [line for line in text.splitlines() if line.startswith("|")]
    assert len(lines) >= 3 and set(lines[1]) <= {"|", "-"}, text
    return exercise, text, [_cells(line) for line in lines[2:]]


def column(rows: list[list[str]], i: int) -> np.ndarray:
    return np.array([float(r[i]) for r in rows])


def number_in(text: str, pattern: str) -> float:
    """The number that ``pattern``'s group matches in ``text``."""
    found = re.search(pattern, text)
    assert found, pattern
    return float(found.group(1))


def grade(exercise: Exercise, student: str, raw: object):
    return grade_answer(exercise, raw, student_id=student, secret=SECRET)


def assert_named(exercise: Exercise, student: str, raw: object, name: str) -> None:
    feedback = grade(exercise, student, raw)
    assert feedback.score < 1.0, (name, raw)
    assert feedback.misconception == name, (name, raw, feedback.message)
    expected_text = next(m.feedback for m in exercise.misconceptions if m.name == name)
    assert feedback.misconception_feedback == expected_text


def _unit(text: str) -> str:
    return "bits" if "**in bits" in text else "nats"


def _log(unit: str) -> float:
    return math.log(2) if unit == "bits" else 1.0


STUDENTS = [f"lm-{i}" for i in range(N_STUDENTS)]


# ------------------------------------------------------------ independent answers


@pytest.mark.parametrize("student", STUDENTS)
def test_top_k_entropy(student: str) -> None:
    exercise, text, rows = sheet("lm.top_k_entropy", student)
    unit = _unit(text)
    p = column(rows, 1)
    base = 2 if unit == "bits" else math.e
    right = scipy.stats.entropy(p, base=base)  # scipy renormalises
    assert grade(exercise, student, right).score == 1.0
    assert_named(exercise, student, scipy.stats.entropy(p, base=math.e if unit == "bits" else 2), "wrong_unit")
    assert_named(exercise, student, float(-(p * np.log(p)).sum() / _log(unit)), "not_renormalised")
    assert_named(exercise, student, scipy.stats.entropy(p, base=10), "log10")
    assert_named(exercise, student, math.log(len(p), base), "uniform")


@pytest.mark.parametrize("student", STUDENTS)
def test_sentence_perplexity(student: str) -> None:
    exercise, text, rows = sheet("lm.sentence_perplexity", student)
    unit = _unit(text)
    tokens = [_token(r[0]) for r in rows]
    sentence = re.search(r'scored the sentence \*\*"(.*)"\*\*', text).group(1)
    assert sentence.endswith("".join(tokens)) and len(sentence) > len("".join(tokens))
    p = column(rows, 1)
    nll_nats = float(-np.log(p).mean())
    nll = nll_nats / _log(unit)
    ppl = math.exp(nll_nats)
    assert ppl == pytest.approx(2 ** (nll_nats / math.log(2)))
    assert grade(exercise, student, {"nll": nll, "perplexity": ppl}).score == 1.0
    other = nll_nats / (1.0 if unit == "bits" else math.log(2))
    assert_named(exercise, student, {"nll": other, "perplexity": ppl}, "nll_wrong_unit")
    assert_named(exercise, student, {"nll": len(p) * nll, "perplexity": math.exp(len(p) * nll_nats)}, "sum_not_mean")
    wrong_base = math.exp(nll) if unit == "bits" else 2**nll
    assert_named(exercise, student, {"nll": nll, "perplexity": wrong_base}, "wrong_base_exponential")
    assert_named(exercise, student, {"nll": nll, "perplexity": 1 / p.mean()}, "inverse_mean_probability")


@pytest.mark.parametrize("student", STUDENTS)
def test_top_p_kept_set(student: str) -> None:
    exercise, text, rows = sheet("lm.top_p_kept_set", student)
    top_p = number_in(text, r"\*\*p = ([0-9.]+)\*\*")
    p = column(rows, 2)
    assert np.all(np.diff(p) <= 0)  # printed in order
    size = 0
    mass = 0.0
    while mass < top_p:  # keep tokens until the mass first reaches p
        mass += p[size]
        size += 1

    def answer(n: int) -> dict[str, float]:
        return {"size": n, "mass": p[:n].sum(), "top": p[0] / p[:n].sum()}

    assert grade(exercise, student, answer(size)).score == 1.0
    assert_named(exercise, student, answer(size - 1), "stopped_before_p")
    assert_named(exercise, student, answer(size + 1), "kept_one_too_many")
    assert_named(exercise, student, {**answer(size), "top": p[0]}, "not_renormalised")
    assert_named(exercise, student, {**answer(size), "top": p[0] / p.sum()}, "renormalised_over_printed")


@pytest.mark.parametrize("student", STUDENTS)
def test_temperature_token(student: str) -> None:
    exercise, text, rows = sheet("lm.temperature_token", student)
    t = number_in(text, r"temperature T = ([0-9.]+)\*\*")
    z = column(rows, 1)
    named = re.search(r"draws (`.*`)\?", text).group(1)
    j = [_token(r[0]) for r in rows].index(_token(named))
    assert j >= 1  # never the most probable token
    right = scipy.special.softmax(z / t)[j]
    assert grade(exercise, student, right).score == 1.0
    assert_named(exercise, student, scipy.special.softmax(z * t)[j], "multiplied_by_t")
    assert_named(exercise, student, scipy.special.softmax(z)[j], "temperature_ignored")
    assert_named(exercise, student, scipy.special.softmax(z)[j] / t, "divided_probability")


@pytest.mark.parametrize("student", STUDENTS)
def test_kl_two_prompts(student: str) -> None:
    exercise, text, rows = sheet("lm.kl_two_prompts", student)
    unit = _unit(text)
    base = 2 if unit == "bits" else math.e
    p, q = column(rows, 1), column(rows, 2)
    right = scipy.stats.entropy(p, q, base=base)  # KL(p‖q), both renormalised by scipy
    assert grade(exercise, student, right).score == 1.0
    assert_named(exercise, student, scipy.stats.entropy(q, p, base=base), "direction_swapped")
    assert_named(exercise, student, scipy.stats.entropy(p, q, base=math.e if unit == "bits" else 2), "wrong_unit")
    assert_named(exercise, student, float(scipy.special.rel_entr(p, q).sum() / _log(unit)), "not_renormalised")


@pytest.mark.parametrize("student", STUDENTS)
def test_ppo_clipped_ratio(student: str) -> None:
    exercise, text, rows = sheet("lm.ppo_clipped_ratio", student)
    eps = number_in(text, r"ε = ([0-9.]+)\*\*")
    old, new, adv = (column(rows, i) for i in (1, 2, 3))

    def objective(r: np.ndarray) -> float:
        return float(np.mean(np.minimum(r * adv, np.clip(r, 1 - eps, 1 + eps) * adv)))

    r = new / old
    assert grade(exercise, student, objective(r)).score == 1.0
    assert_named(exercise, student, float(np.mean(r * adv)), "no_clipping")
    assert_named(exercise, student, objective(old / new), "ratio_inverted")
    assert_named(exercise, student, float(np.mean(np.clip(r, 1 - eps, 1 + eps) * adv)), "clip_without_min")
    assert_named(exercise, student, float(np.mean(np.minimum(r, np.clip(r, 1 - eps, 1 + eps)) * adv)), "advantage_sign_ignored")


def test_ppo_by_hand() -> None:
    # r = 0.2/0.1 = 2 (A = +1, clipped to 1.2), r = 0.05/0.1 = 0.5 (A = -1: min(-0.5, -0.8) = -0.8)
    r = np.array([2.0, 0.5])
    a = np.array([1.0, -1.0])
    assert float(np.mean(np.minimum(r * a, np.clip(r, 0.8, 1.2) * a))) == pytest.approx((1.2 - 0.8) / 2)


# ------------------------------------------------------------ the sheet's own numbers


def test_printed_numbers_are_the_stored_ones_rounded() -> None:
    from exercises._lm_numbers import numbers

    exercise, _, rows = sheet("lm.top_k_entropy", "lm-0")
    params = variant_for("lm-0", exercise, secret=SECRET).params
    stored = numbers()["next_token"][params["prompt"]][: params["k"]]
    assert [_token(r[0]) for r in rows] == [s["text"] for s in stored]
    assert [float(r[1]) for r in rows] == pytest.approx([math.exp(s["logprob"]) for s in stored], rel=5e-4)


def test_variants_draw_many_prompts() -> None:
    for exercise_id in IDS:
        exercise = REGISTRY.get(exercise_id)
        texts = {exercise.render_prompt(variant_for(f"many-{i}", exercise, secret=SECRET).params).split("\n")[0] for i in range(60)}
        assert len(texts) >= 8, exercise_id


def test_token_cell_quotes_spaces_and_escapes_pipes() -> None:
    assert module.token_cell(" Paris") == "`' Paris'`"
    assert _token(module.token_cell("a|b")) == "a|b"
    assert _cells("| " + module.token_cell("a|b") + " | 0.5 |") == ["`'a\\|b'`", "0.5"]
