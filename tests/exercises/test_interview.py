"""The eight interview questions, checked independently and graded through the CLI.

For several students, each expected answer is computed here from scipy or a closed form
written in the test (never from core), typed into a JSON submission and graded by
`probstats grade`; every answer must score 1. The course's own numbers (Q3: 3.0 nats →
e³ ≈ 20.09, a uniform model over GPT-2's 50,257 tokens → 50,257; Q4: λ = 1/(2σ²); Q6:
Beta(1,1) + 7H/3T → Beta(8, 4), mean 2/3, MAP 0.7, MLE 0.7) are graded for the students
whose variant has them. Misconception answers, also computed here, must be named.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import numpy as np
import pytest
from scipy import integrate, special, stats

from grader import build_registry, grade_answer, variant_for
from grader.cli import main

SECRET = "interview-test-secret"
REGISTRY = build_registry()
STUDENTS = ("alice", "bob", "chen", "dana")


def params_of(student: str, exercise_id: str) -> dict[str, Any]:
    return variant_for(student, REGISTRY.get(exercise_id), secret=SECRET).params


def find_student(exercise_id: str, wanted: Callable[[dict[str, Any]], bool], tries: int = 20_000) -> str:
    """The first student id whose variant satisfies ``wanted``."""
    for i in range(tries):
        if wanted(params_of(f"u{i}", exercise_id)):
            return f"u{i}"
    raise AssertionError(f"no student among {tries} has the wanted variant of {exercise_id}")


@pytest.fixture
def grade(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    """Grade one student's answers with `probstats grade --json`; feedback by exercise id."""
    monkeypatch.setenv("PROBSTATS_COURSE_SECRET", SECRET)

    def run(student: str, answers: dict[str, Any]) -> dict[str, dict[str, Any]]:
        path = tmp_path / f"{student}.json"
        path.write_text(json.dumps({"student_id": student, "answers": answers}), encoding="utf-8")
        capsys.readouterr()
        status = main(["grade", "--no-store", "--json", str(path)])
        report = json.loads(capsys.readouterr().out)
        assert status == 0, report
        graded = report["files"][0]
        assert graded["errors"] == [], graded["errors"]
        return {f["exercise_id"]: f for f in graded["feedback"]}

    return run


# ------------------------------------------------------------- independent references


def q1(p: dict[str, Any]) -> dict[str, float]:
    data = np.array(p["p"]) / sum(p["p"])
    model = np.array(p["q"]) / sum(p["q"])
    cross = -float(np.sum(data * np.log(model)))  # −Σ p ln q, written out
    h, kl = stats.entropy(data), stats.entropy(data, model)
    assert cross == pytest.approx(h + kl)  # the course's identity H(p, q) = H(p) + KL(p‖q)
    return {"cross_entropy": cross, "entropy": h, "kl": kl}


def _mixture_kl_grid(p: dict[str, Any], mu: float, sigma: float, reverse: bool) -> float:
    # Dense grid, scipy.stats log-densities, trapezoid rule.
    x = np.linspace(-30.0, 30.0, 120_001)
    log_p = special.logsumexp(
        [np.log(w) + stats.norm.logpdf(x, m, s) for w, m, s in zip(p["weights"], p["mus"], p["sigmas"], strict=True)],
        axis=0,
    )
    log_q = stats.norm.logpdf(x, mu, sigma)
    log_a, log_b = (log_q, log_p) if reverse else (log_p, log_q)
    return float(integrate.trapezoid(np.exp(log_a) * (log_a - log_b), x))


def q2(p: dict[str, Any]) -> dict[str, float]:
    forward = [_mixture_kl_grid(p, m, s, reverse=False) for m, s in p["candidates"]]
    reverse = [_mixture_kl_grid(p, m, s, reverse=True) for m, s in p["candidates"]]
    return {
        "forward": int(np.argmin(forward)) + 1,
        "reverse": int(np.argmin(reverse)) + 1,
        "kl_forward": min(forward),
        "kl_reverse": min(reverse),
    }


def q3(p: dict[str, Any]) -> float:
    return math.exp(p["nll"])  # nats: e^NLL


def q3_bits(p: dict[str, Any]) -> float:
    return 2.0 ** p["nll"]  # bits: 2^NLL


def q3_uniform(p: dict[str, Any]) -> dict[str, float]:
    nll = math.log(p["vocab"]) if p["unit"] == "nats" else math.log2(p["vocab"])
    return {"nll": nll, "perplexity": p["vocab"]}  # the uniform model's perplexity is V


def q4(p: dict[str, Any]) -> float:
    return 1.0 / (2.0 * p["value"])  # λ = 1/(2σ²) and σ² = 1/(2λ): the same formula


def q4_ridge(p: dict[str, Any]) -> list[float]:
    x, y = np.array(p["X"], dtype=float), np.array(p["y"], dtype=float)
    # Minimiser of ½‖y − Xw‖² + ‖w‖²/(2σ²): (XᵀX + I/σ²) w = Xᵀy.
    return np.linalg.solve(x.T @ x + np.eye(2) / p["prior_var"], x.T @ y).tolist()


def q5_importance(p: dict[str, Any]) -> dict[str, float]:
    target = np.array(p["p"]) / sum(p["p"])
    proposal = np.array(p["q"]) / sum(p["q"])
    w = target[p["draws"]] / proposal[p["draws"]]
    f = np.array(p["rewards"], dtype=float)[p["draws"]]
    answer = {f"w{i + 1}": float(v) for i, v in enumerate(w)}
    answer["plain"] = float(np.mean(w * f))
    answer["self_normalised"] = float(np.sum(w * f) / np.sum(w))
    return answer


def q5_ppo(p: dict[str, Any]) -> float:
    r, a, eps = np.array(p["ratios"]), np.array(p["advantages"]), p["epsilon"]
    return float(np.mean(np.minimum(r * a, np.clip(r, 1 - eps, 1 + eps) * a)))


def q6(p: dict[str, Any]) -> dict[str, float]:
    h, t = p["heads"], p["tails"]
    posterior = stats.beta(1 + h, 1 + t)
    return {"alpha": 1 + h, "beta": 1 + t, "mean": posterior.mean(), "map": h / (h + t), "mle": h / (h + t)}


def q7(p: dict[str, Any]) -> dict[str, float]:
    joint = np.array(p["counts"], dtype=float)
    joint /= joint.sum()
    px, py = joint.sum(axis=1), joint.sum(axis=0)
    h_x = stats.entropy(px, base=2)
    h_x_given_y = stats.entropy(joint.ravel(), base=2) - stats.entropy(py, base=2)
    independent = np.allclose(joint, np.outer(px, py), atol=1e-12)
    return {"h_x": h_x, "h_x_given_y": h_x_given_y, "mi": h_x - h_x_given_y, "independent": float(independent)}


def q8_fisher(p: dict[str, Any]) -> dict[str, float]:
    info = 1.0 / (p["p"] * (1 - p["p"])) if p["family"] == "bernoulli" else 1.0 / p["sigma"] ** 2
    return {"fisher": info, "cramer_rao": 1.0 / (p["n"] * info)}


def q8_natural(p: dict[str, Any]) -> list[float]:
    # F(μ, σ) = diag(1/σ², 2/σ²), so F⁻¹∇L = (σ² g_μ, σ² g_σ / 2).
    s2 = p["sigma"] ** 2
    return [p["mu"] - p["lr"] * s2 * p["grad"][0], p["sigma"] - p["lr"] * s2 / 2 * p["grad"][1]]


REFERENCES: dict[str, Callable[[dict[str, Any]], Any]] = {
    "interview.cross_entropy_mle": q1,
    "interview.forward_reverse_kl": q2,
    "interview.perplexity_from_nll": q3,
    "interview.perplexity_from_nll_bits": q3_bits,
    "interview.uniform_perplexity": q3_uniform,
    "interview.weight_decay_prior": q4,
    "interview.ridge_map": q4_ridge,
    "interview.importance_sampling": q5_importance,
    "interview.ppo_clip": q5_ppo,
    "interview.beta_binomial_posterior": q6,
    "interview.mutual_information": q7,
    "interview.fisher_cramer_rao": q8_fisher,
    "interview.natural_gradient": q8_natural,
}


def test_every_interview_exercise_has_a_reference() -> None:
    assert set(REFERENCES) == {i for i in REGISTRY.exercises if i.startswith("interview.")}


@pytest.mark.parametrize("student", STUDENTS)
def test_independent_answers_score_full_marks_through_the_cli(grade, student: str) -> None:
    answers = {eid: ref(params_of(student, eid)) for eid, ref in REFERENCES.items()}
    feedback = grade(student, answers)
    assert set(feedback) == set(REFERENCES)
    for eid, f in feedback.items():
        assert f["score"] == 1.0, (eid, f["message"], params_of(student, eid))


class TestCourseValues:
    def test_q3_three_nats_is_e_cubed(self, grade) -> None:
        student = find_student("interview.perplexity_from_nll", lambda p: p == {"nll": 3.0})
        feedback = grade(student, {"interview.perplexity_from_nll": 20.09})["interview.perplexity_from_nll"]
        assert feedback["score"] == 1.0
        # Revealed once correct, rounded to the answer's precision: e^3 = 20.0855... to 3
        # significant figures.
        assert feedback["expected"] == 20.1

    def test_q3_random_baseline_is_the_vocabulary_size(self, grade) -> None:
        student = find_student("interview.uniform_perplexity", lambda p: p["vocab"] == 50_257)
        unit = params_of(student, "interview.uniform_perplexity")["unit"]
        nll = math.log(50_257) if unit == "nats" else math.log2(50_257)
        answer = {"nll": nll, "perplexity": 50_257}
        assert grade(student, {"interview.uniform_perplexity": answer})["interview.uniform_perplexity"]["score"] == 1.0

    @pytest.mark.parametrize("given", ["sigma2", "lambda"])
    def test_q4_lambda_is_one_over_two_sigma_squared(self, grade, given: str) -> None:
        student = find_student("interview.weight_decay_prior", lambda p: p["given"] == given)
        value = params_of(student, "interview.weight_decay_prior")["value"]
        answer = f"1/(2*{value})"  # λ = 1/(2σ²), and back: σ² = 1/(2λ)
        assert grade(student, {"interview.weight_decay_prior": answer})["interview.weight_decay_prior"]["score"] == 1.0

    def test_q6_seven_heads_three_tails(self, grade) -> None:
        student = find_student("interview.beta_binomial_posterior", lambda p: p == {"heads": 7, "tails": 3})
        answer = {"alpha": 8, "beta": 4, "mean": "8/12", "map": 0.7, "mle": 0.7}
        feedback = grade(student, {"interview.beta_binomial_posterior": answer})["interview.beta_binomial_posterior"]
        assert feedback["score"] == 1.0


class TestMisconceptionsThroughTheCli:
    """Wrong answers computed here, each named with feedback that points at its page."""

    def test_q3_wrong_unit(self, grade) -> None:
        nats = params_of("alice", "interview.perplexity_from_nll")["nll"]
        bits = params_of("alice", "interview.perplexity_from_nll_bits")["nll"]
        answers = {"interview.perplexity_from_nll": 2.0**nats, "interview.perplexity_from_nll_bits": math.exp(bits)}
        f = grade("alice", answers)
        assert f["interview.perplexity_from_nll"]["misconception"] == "bits_for_nats"
        assert f["interview.perplexity_from_nll_bits"]["misconception"] == "nats_for_bits"
        assert "Entropy & perplexity page" in f["interview.perplexity_from_nll_bits"]["misconception_feedback"]

    def test_q2_directions_swapped(self, grade) -> None:
        p = params_of("bob", "interview.forward_reverse_kl")
        right = q2(p)
        wrong = {**right, "forward": right["reverse"], "reverse": right["forward"]}
        f = grade("bob", {"interview.forward_reverse_kl": wrong})["interview.forward_reverse_kl"]
        assert f["misconception"] == "directions_swapped"
        assert "mode-seeking" in f["misconception_feedback"] and "KL vs JS divergence page, linked above" in f["misconception_feedback"]

    def test_q4_forgot_the_two(self, grade) -> None:
        p = params_of("chen", "interview.weight_decay_prior")
        f = grade("chen", {"interview.weight_decay_prior": 1.0 / p["value"]})["interview.weight_decay_prior"]
        assert f["misconception"] == "forgot_factor_two"

    def test_q5_ppo_without_clipping(self, grade) -> None:
        p = params_of("dana", "interview.ppo_clip")
        wrong = float(np.mean(np.array(p["ratios"]) * np.array(p["advantages"])))
        f = grade("dana", {"interview.ppo_clip": wrong})["interview.ppo_clip"]
        assert f["misconception"] == "no_clipping"
        assert "PPO tab" in f["misconception_feedback"]

    def test_q6_mle_for_posterior_mean(self, grade) -> None:
        p = params_of("alice", "interview.beta_binomial_posterior")
        answer = {**q6(p), "mean": p["heads"] / (p["heads"] + p["tails"])}
        f = grade("alice", {"interview.beta_binomial_posterior": answer})["interview.beta_binomial_posterior"]
        assert f["score"] == pytest.approx(0.8)
        assert f["misconception"] == "mle_for_mean"

    def test_q7_nats_for_bits(self, grade) -> None:
        p = params_of("bob", "interview.mutual_information")
        bits = q7(p)
        nats = {k: (v * math.log(2) if k != "independent" else v) for k, v in bits.items()}
        f = grade("bob", {"interview.mutual_information": nats})["interview.mutual_information"]
        assert f["misconception"] == "nats_for_bits"

    def test_q8_forgot_n(self, grade) -> None:
        p = params_of("chen", "interview.fisher_cramer_rao")
        right = q8_fisher(p)
        answer = {**right, "cramer_rao": 1.0 / right["fisher"]}
        f = grade("chen", {"interview.fisher_cramer_rao": answer})["interview.fisher_cramer_rao"]
        assert f["misconception"] == "forgot_n"
        assert "Fisher information page" in f["misconception_feedback"]

    def test_every_misconception_names_a_page(self) -> None:
        for eid in REFERENCES:
            for m in REGISTRY.get(eid).misconceptions:
                assert "page" in m.feedback, (eid, m.name)


def test_prompts_state_units_and_render_as_markdown() -> None:
    # Units are always stated where the answer has one.
    for eid, unit_words in {
        "interview.cross_entropy_mle": ("nats",),
        "interview.forward_reverse_kl": ("nats",),
        "interview.mutual_information": ("bits",),
    }.items():
        prompt = REGISTRY.get(eid).render_prompt(params_of("alice", eid))
        assert all(w in prompt for w in unit_words), eid
    for student in STUDENTS:
        for eid, unit in (("interview.perplexity_from_nll", "nats"), ("interview.perplexity_from_nll_bits", "bits")):
            p = params_of(student, eid)
            assert f"{p['nll']:.2f} {unit}" in REGISTRY.get(eid).render_prompt(p)
    # A markdown table renders with a header rule.
    assert "|---|" in REGISTRY.get("interview.forward_reverse_kl").render_prompt(params_of("bob", "interview.forward_reverse_kl"))


def test_q3_three_significant_figures_pass_two_get_a_hint() -> None:
    # (Moved from the first built-in tests.) Rounded to 2 figures, the answer misses the
    # 3-figure half-unit but lies within 10 tolerances: the "imprecise" band
    # (tolerance = max(rtol·|e|, half a unit in the 3rd figure)).
    exercise = REGISTRY.get("interview.perplexity_from_nll")

    def two_figures_is_imprecise(p: dict[str, Any]) -> bool:
        exact = q3(p)
        half_unit = 0.5 * 10 ** (math.floor(math.log10(exact)) - 2)
        tol = max(1e-3 * exact, half_unit)
        return tol < abs(float(f"{exact:.2g}") - exact) <= 10 * tol

    student = find_student("interview.perplexity_from_nll", two_figures_is_imprecise)
    exact = q3(params_of(student, "interview.perplexity_from_nll"))
    assert grade_answer(exercise, float(f"{exact:.3g}"), student_id=student, secret=SECRET).score == 1.0
    feedback = grade_answer(exercise, float(f"{exact:.2g}"), student_id=student, secret=SECRET)
    assert feedback.parts[0].verdict == "imprecise"
    assert feedback.message == "Incorrect. Close, but not precise enough: give at least 3 significant figures."


class TestWhatTheStudentSees:
    """Issue 12 §2: links carry the problem's inputs, never its outputs; tolerances stated."""

    def test_q2_link_opens_the_targets_components_not_a_winner(self) -> None:
        exercise = REGISTRY.get("interview.forward_reverse_kl")
        p_is_reverse_winner = 0
        n = 30
        for i in range(n):
            params = variant_for(f"link{i}", exercise, secret=SECRET).params
            query = dict(parse_qsl(urlsplit(exercise.dashboard_url(params) or "").query))
            shown = [float(query[k]) for k in ("mu1", "sigma1", "mu2", "sigma2")]
            assert shown == [params["mus"][0], params["sigmas"][0], params["mus"][1], params["sigmas"][1]]
            winner = params["candidates"][int(q2(params)["reverse"]) - 1]
            p_is_reverse_winner += [shown[0], shown[1]] == winner
        # The heavier mode (the usual reverse-KL winner) is left or right at random.
        assert 0.2 * n < p_is_reverse_winner < 0.8 * n

    def test_q4_link_never_carries_the_answer(self) -> None:
        exercise = REGISTRY.get("interview.weight_decay_prior")
        given_lambda = find_student("interview.weight_decay_prior", lambda p: p["given"] == "lambda")
        params = params_of(given_lambda, "interview.weight_decay_prior")
        assert "sigma" not in (exercise.dashboard_url(params) or "")
        given_sigma2 = find_student("interview.weight_decay_prior", lambda p: p["given"] == "sigma2")
        params = params_of(given_sigma2, "interview.weight_decay_prior")
        assert f"sigma={round(math.sqrt(params['value']), 2)}" in (exercise.dashboard_url(params) or "")

    def test_table_fields_state_their_tolerance(self) -> None:
        described = REGISTRY.get("interview.uniform_perplexity").answer.describe()
        assert "nll (within 0.01% relative)" in described
        assert "perplexity (within 0.1% relative)" in described

    def test_feedback_points_up_to_the_link(self) -> None:
        # The student page shows the link under the prompt, above the feedback.
        for eid, exercise in REGISTRY.exercises.items():
            if eid.startswith("interview."):
                for m in exercise.misconceptions:
                    assert "link below" not in m.feedback and "linked above" in m.feedback, (eid, m.name)
