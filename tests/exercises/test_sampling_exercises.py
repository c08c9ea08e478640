"""The sampling exercises' expected answers against closed forms, scipy and torch (never core).

Well-posedness, `check` and misconception recognition run for every exercise in
test_catalogue.py."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.special
import scipy.stats

import exercises.sampling as module
from grader import Exercise, build_registry, grade_answer, variant_for
from tests.reference_inputs import SAMPLING_SECRET

REGISTRY = build_registry(builtin=False, autoload=False, extra_plugins=[("exercises.sampling", module)])
IDS = sorted(REGISTRY.exercises)
SECRET = SAMPLING_SECRET  # the frozen references (tests/data/reference_values.json) use it too


def test_registers_cleanly_with_enough_exercises() -> None:
    assert REGISTRY.errors == []
    assert len(IDS) >= 7
    assert {"sampling.inverse_cdf_token", "sampling.top_k_filter", "sampling.top_p_kept_set",
            "sampling.rejection_rate", "sampling.importance_ess", "sampling.kl_estimators",
            "sampling.kl_div_trap"} <= set(IDS)


def params(exercise: Exercise, student: str) -> dict:
    return variant_for(student, exercise, secret=SECRET).params


def grade(exercise: Exercise, student: str, raw: object):
    return grade_answer(exercise, raw, student_id=student, secret=SECRET)


# ------------------------------------------------------------ independent expected values


def test_inverse_cdf_against_searchsorted() -> None:
    exercise = REGISTRY.get("sampling.inverse_cdf_token")
    for i in range(20):
        student = f"icdf-{i}"
        p = params(exercise, student)
        # first index whose cumulative sum exceeds u (the textbook inverse CDF)
        index = int(np.searchsorted(np.cumsum(p["probs"]), p["u"], side="right"))
        assert grade(exercise, student, module.TOKENS[index]).score == 1.0
        assert grade(exercise, student, module.TOKENS[index - 1]).misconception == "step_below"


def test_inverse_cdf_by_hand() -> None:
    # Cumulative sums 0.10, 0.35, 0.75, ...: u = 0.5 lies in [0.35, 0.75), the third token.
    p = {"probs": [0.1, 0.25, 0.4, 0.1, 0.1, 0.05], "u": 0.5}
    assert REGISTRY.get("sampling.inverse_cdf_token").expected(p) == "cat"


def test_top_k_against_sorting() -> None:
    exercise = REGISTRY.get("sampling.top_k_filter")
    for i in range(20):
        student = f"topk-{i}"
        p = params(exercise, student)
        probs = np.array(p["probs"])
        keep = np.argsort(probs)[::-1][: p["k"]]
        expected = np.zeros_like(probs)
        expected[keep] = probs[keep] / probs[keep].sum()
        assert grade(exercise, student, expected.tolist()).score == 1.0
        unnormalised = np.where(expected > 0, probs, 0.0)
        assert grade(exercise, student, unnormalised.tolist()).misconception == "not_renormalised"


def test_top_p_kept_set_against_sorting() -> None:
    exercise = REGISTRY.get("sampling.top_p_kept_set")
    for i in range(20):
        student = f"topp-{i}"
        p = params(exercise, student)
        order = np.argsort(p["probs"])[::-1]
        mass_before = np.concatenate([[0.0], np.cumsum(np.array(p["probs"])[order])[:-1]])
        kept = [module.TOKENS[j] for j in order[mass_before < p["p"]]]
        assert grade(exercise, student, kept).score == 1.0


def test_rejection_against_scipy() -> None:
    exercise = REGISTRY.get("sampling.rejection_rate")
    for i in range(10):
        student = f"rej-{i}"
        p = params(exercise, student)
        a, b, n = p["a"], p["b"], p["n"]
        m = scipy.stats.beta(a, b).pdf((a - 1) / (a + b - 2))  # the density's maximum
        answer = {"m": m, "acceptance": 1 / m, "proposals": n * m}
        assert grade(exercise, student, answer).score == 1.0
        assert grade(exercise, student, {**answer, "proposals": n / m}).misconception == "divided_by_m"


def test_rejection_course_rate_matches_a_simulation() -> None:
    # Beta(2, 2): max density 1.5 at 1/2, so 1/M = 2/3. A plain numpy simulation with a
    # fixed seed: 20 000 proposals give a rate within 4 standard errors,
    # sqrt((2/3)(1/3)/20000) ≈ 0.0033.
    value = REGISTRY.get("sampling.rejection_rate").expected({"a": 2, "b": 2, "n": 100}).values
    assert value["m"] == pytest.approx(1.5)
    rng = np.random.default_rng(7)
    x, u = rng.random(20_000), rng.random(20_000)
    rate = np.mean(u * 1.5 <= 6 * x * (1 - x))
    assert abs(rate - value["acceptance"]) < 4 * math.sqrt((2 / 3) * (1 / 3) / 20_000)


def test_importance_ess_closed_form() -> None:
    exercise = REGISTRY.get("sampling.importance_ess")
    for i in range(20):
        student = f"ess-{i}"
        w = np.array(params(exercise, student)["weights"])
        assert grade(exercise, student, float(w.sum() ** 2 / (w**2).sum())).score == 1.0
        assert grade(exercise, student, float((w**2).sum() / w.sum() ** 2)).misconception == "inverted"
    # By hand: weights 1, 1, 2 -> 16/6.
    assert REGISTRY.get("sampling.importance_ess").expected({"weights": [1, 1, 2]}) == pytest.approx(8 / 3)


def test_kl_estimators_closed_form() -> None:
    exercise = REGISTRY.get("sampling.kl_estimators")
    for i in range(20):
        student = f"kl-{i}"
        p = params(exercise, student)
        log_r = np.array(p["logp_ref"]) - np.array(p["logp"])  # r = π_ref / π
        right = {"k1": np.mean(-log_r), "k2": np.mean(log_r**2 / 2), "k3": np.mean(np.exp(log_r) - 1 - log_r)}
        assert grade(exercise, student, right).score == 1.0
        flipped = {"k1": np.mean(log_r), "k2": right["k2"], "k3": np.mean(np.exp(-log_r) - 1 + log_r)}
        feedback = grade(exercise, student, flipped)
        assert feedback.misconception == "log_ratio_sign"
        assert feedback.score == pytest.approx(1 / 3)


def test_kl_div_trap_closed_form() -> None:
    exercise = REGISTRY.get("sampling.kl_div_trap")
    for i in range(20):
        student = f"trap-{i}"
        p = params(exercise, student)
        target, model = np.array(p["p"]), np.array(p["q"])
        printed = float(np.sum(target * (np.log(target) - model)))  # torch's pointwise formula on raw q
        kl = float(scipy.special.rel_entr(target, model).sum())
        assert grade(exercise, student, {"printed": printed, "kl": kl}).score == 1.0
        assert grade(exercise, student, {"printed": kl, "kl": kl}).misconception == "trusted_the_call"


def test_kl_div_trap_against_torch() -> None:
    torch = pytest.importorskip("torch")
    functional = pytest.importorskip("torch.nn.functional")
    exercise = REGISTRY.get("sampling.kl_div_trap")
    for i in range(5):
        student = f"torch-{i}"
        p = params(exercise, student)
        target = torch.tensor([p["p"]], dtype=torch.float64)
        model = torch.tensor([p["q"]], dtype=torch.float64)
        printed = functional.kl_div(model, target, reduction="batchmean").item()  # the bug, run
        kl = functional.kl_div(model.log(), target, reduction="batchmean").item()
        assert grade(exercise, student, {"printed": printed, "kl": kl}).score == 1.0


def test_prompts_state_units() -> None:
    for exercise_id in ("sampling.kl_estimators", "sampling.kl_div_trap"):
        exercise = REGISTRY.get(exercise_id)
        assert "nats" in exercise.render_prompt(params(exercise, "s1"))


def test_no_ties_or_boundary_cases_over_500_variants() -> None:
    """The data themselves leave no room for two right answers."""
    icdf, top_k, top_p = (REGISTRY.get(f"sampling.{name}") for name in ("inverse_cdf_token", "top_k_filter", "top_p_kept_set"))
    for i in range(500):
        p = params(icdf, f"tie-{i}")
        assert np.abs(np.cumsum(p["probs"]) - p["u"]).min() >= 0.01  # u not on a step
        p = params(top_k, f"tie-{i}")
        ranked = np.sort(p["probs"])[::-1]
        assert ranked[p["k"] - 1] > ranked[p["k"]]  # no tie at the k-th place
        p = params(top_p, f"tie-{i}")
        cumulative = np.cumsum(np.sort(p["probs"])[::-1])
        assert np.abs(cumulative - p["p"]).min() >= 0.005  # p not on a cumulative sum
        assert len(set(p["probs"])) == len(p["probs"])


def test_rejection_link_roof_covers_every_target_and_is_not_m() -> None:
    # The link's fixed roof must be a valid M for every Beta(a, b) drawn (a, b in 2..8),
    # so the page opens without an error (its message would print the needed M).
    peaks = [scipy.stats.beta(a, b).pdf((a - 1) / (a + b - 2)) for a in range(2, 9) for b in range(2, 9)]
    assert max(peaks) < module.REJECTION_ROOF
    exercise = REGISTRY.get("sampling.rejection_rate")
    for i in range(10):
        p = params(exercise, f"roof-{i}")
        assert dict(exercise.dashboard.params(p)) == {"rej_a": float(p["a"]), "rej_b": float(p["b"]), "rej_m": module.REJECTION_ROOF}


@pytest.mark.parametrize("exercise_id", ["sampling.top_p_filter", "sampling.top_k_filter", "sampling.temperature", "sampling.top_p_kept_set"])
def test_next_token_links_open_with_the_filters_off(exercise_id: str) -> None:
    # With a filter on, the page prints the kept set and the filtered distribution.
    exercise = REGISTRY.get(exercise_id)
    for i in range(10):
        p = params(exercise, f"off-{i}")
        query = dict(exercise.dashboard.params(p))
        assert (query["temperature"], query["top_k"], query["top_p"]) == (1.0, 0, 1.0)
        assert query["tok_logits"] == ", ".join(f"{np.log(x):.4f}" for x in p["probs"])
