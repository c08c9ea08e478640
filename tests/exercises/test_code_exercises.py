"""The eight code exercises, graded the product's way: student code runs only in the sandbox.

The solutions (tests/exercises/code_solutions.py) are written with numpy alone, as a
student would; the checks' expected values are compared here with scipy and closed
forms, independently of core.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from scipy import special, stats

from grader import Code, grade_answer, load_exercises, render_sheet, render_template, variant_for
from grader.code_harness import build_arg
from probstats.cli import main
from tests.exercises.code_solutions import CORRECT, WRONG
from tests.sandbox import need_sandbox

SECRET = "code-exercises-secret"
STUDENT = "s42"
IDS = sorted(CORRECT)


@pytest.fixture(scope="module")
def sandbox() -> None:
    """bubblewrap, with one warm worker for this test process."""
    need_sandbox()


def grade(exercise_id: str, code: str, student: str = STUDENT):
    return grade_answer(load_exercises().get(exercise_id), {"code": code}, student_id=student, secret=SECRET)


def checks(exercise_id: str, student: str = STUDENT):
    exercise = load_exercises().get(exercise_id)
    return exercise.expected(variant_for(student, exercise, secret=SECRET).params).checks


def test_the_eight_exercises_are_registered_with_their_function_names():
    registry = load_exercises()
    names = {i: registry.get(i).answer.signature for i in IDS}
    assert names == {
        "code.beta_binomial_update": "update(alpha, beta, flips)",
        "code.entropy": "entropy(p, base)",
        "code.importance_estimate": "self_normalised_estimate(f_values, log_p, log_q)",
        "code.kl_divergence": "kl_divergence(p, q)",
        "code.leapfrog": "leapfrog(q, p, grad_log_density, step_size, n_steps)",
        "code.log_softmax": "log_softmax(logits)",
        "code.metropolis_step": "metropolis_step(x, log_density, proposal_scale, rng)",
        "code.top_p_filter": "top_p_filter(probs, p)",
    }
    assert all(isinstance(registry.get(i).answer, Code) for i in IDS)


# -- the expected values, against independent references ----------------------------------


def _args(check):
    return [build_arg(a) for a in check.args]


def test_log_softmax_checks_match_scipy_and_include_large_logits():
    cases = checks("code.log_softmax")
    assert "logits of ±1e4" in [c.name for c in cases]
    for check in cases:
        np.testing.assert_allclose(check.expected, special.log_softmax(_args(check)[0]), rtol=1e-12, atol=1e-12)


def test_entropy_checks_match_scipy_in_each_base():
    for check in checks("code.entropy"):
        p, base = _args(check)
        assert check.expected == pytest.approx(stats.entropy(p, base=base), rel=1e-12, abs=1e-15)


def test_kl_checks_match_scipy_rel_entr_including_inf_and_zeros():
    by_name = {c.name: c for c in checks("code.kl_divergence")}
    assert by_name["q = 0 < p"].expected == math.inf
    assert by_name["zeros in p"].expected == pytest.approx(0.5 * math.log(2))
    for check in by_name.values():
        p, q = _args(check)
        assert check.expected == pytest.approx(float(np.sum(special.rel_entr(p, q))), rel=1e-12)


def test_top_p_tie_check_keeps_the_later_listed_tokens():
    by_name = {c.name: c for c in checks("code.top_p_filter")}
    # [0.4, 0.2, 0.2, 0.2], p = 0.5: 0.4 and one 0.2 are kept, the last-listed (Hugging Face).
    assert by_name["ties at the top-p cut"].expected == pytest.approx([2 / 3, 0, 0, 1 / 3])
    assert by_name["four equal tokens, p = 0.5"].expected == pytest.approx([0, 0, 0.5, 0.5])


def test_beta_binomial_checks_are_prior_plus_counts():
    for check in checks("code.beta_binomial_update"):
        alpha, beta, flips = check.args
        assert check.expected == [alpha + flips.count("H"), beta + flips.count("T")]
    assert {"an empty flip string", "all heads"} <= {c.name for c in checks("code.beta_binomial_update")}


def test_importance_checks_are_weighted_means_even_when_exp_overflows():
    for check in checks("code.importance_estimate"):
        f, log_p, log_q = _args(check)
        log_w = log_p - log_q
        w = np.exp(log_w - np.max(log_w))  # exact in ratio; by hand, not core
        assert check.expected == pytest.approx(float(w @ f / w.sum()), rel=1e-12)


def test_leapfrog_one_step_on_a_standard_normal_is_the_closed_form():
    by_name = {c.name: c for c in checks("code.leapfrog")}
    # q = 1, p = 0, eps = 0.5: p_half = -0.25, q1 = 0.875, p1 = -0.25 - 0.25 * 0.875.
    np.testing.assert_allclose(by_name["one step on a standard normal"].expected, [[0.875], [-0.46875]], rtol=1e-15)
    assert by_name["n_steps = 0"].expected == [[0.3, -0.2], [1.0, 0.5]]


def test_metropolis_checks_follow_the_documented_use_of_rng():
    for check in checks("code.metropolis_step"):
        x, log_density, scale, rng = _args(check)
        proposal = rng.normal(x, scale)
        accepted = rng.uniform() < min(1.0, math.exp(log_density(proposal) - log_density(x)))
        np.testing.assert_allclose(check.expected[0], proposal if accepted else x, rtol=1e-15)
        assert check.expected[1] is accepted


# -- grading through the sandbox ---------------------------------------------------------


@pytest.mark.parametrize("exercise_id", IDS)
def test_a_correct_solution_gets_full_marks(sandbox, exercise_id):
    feedback = grade(exercise_id, CORRECT[exercise_id])
    assert feedback.score == 1.0, [p.message for p in feedback.parts if p.score < 1]
    assert feedback.message == "Correct."


@pytest.mark.parametrize("student", ["s1", "s2", "s3"])
def test_correct_solutions_pass_on_other_variants_too(sandbox, student):
    for exercise_id in IDS:
        assert grade(exercise_id, CORRECT[exercise_id], student).score == 1.0, exercise_id


@pytest.mark.parametrize(("exercise_id", "code", "misconception"), WRONG, ids=[f"{w[0]}-{w[2]}" for w in WRONG])
def test_a_typical_wrong_solution_gets_its_named_feedback_and_partial_credit(sandbox, exercise_id, code, misconception):
    feedback = grade(exercise_id, code)
    assert feedback.misconception == misconception
    assert feedback.score < 1.0
    assert feedback.misconception_feedback in feedback.message
    exercise = load_exercises().get(exercise_id)
    n_wrong = sum(p.score == 0 for p in feedback.parts)
    assert feedback.score == pytest.approx(1 - n_wrong / len(feedback.parts))
    assert feedback.expected is None  # a code exercise never reveals a solution
    assert "def " not in feedback.message and exercise.answer.function + "(" not in feedback.misconception_feedback


def test_log2_where_nats_are_asked_is_off_by_ln2_on_every_nats_check(sandbox):
    code = next(c for i, c, m in WRONG if m == "log2_for_nats")
    feedback = grade("code.entropy", code)
    wrong = {p.part for p in feedback.parts if p.score == 0}
    assert "zeros in p" in wrong and any("base None" in name for name in wrong)
    assert not any("base 2" in name for name in wrong)


def test_the_stable_edge_case_alone_fails_a_naive_log_softmax(sandbox):
    code = next(c for i, c, m in WRONG if m == "exp_overflow")
    feedback = grade("code.log_softmax", code)
    assert [p.part for p in feedback.parts if p.score == 0] == ["logits of ±1e4"]
    (part,) = [p for p in feedback.parts if p.score == 0]
    assert part.message.startswith("on logits=[10000.0, 9999.0, -10000.0]: expected [-0.313262, -1.31326, -20000.3], got [nan")


def test_an_exception_names_the_input_and_the_line_of_the_students_code(sandbox):
    code = 'def update(alpha, beta, flips):\n    heads = flips.count("H")\n    share = heads / len(flips)\n    return alpha + heads, beta + len(flips) - heads\n'
    feedback = grade("code.beta_binomial_update", code)
    (part,) = [p for p in feedback.parts if p.score == 0]
    assert part.part == "an empty flip string"
    assert part.message == (
        "on alpha=2, beta=3, flips='' your function raised ZeroDivisionError at line 3 "
        "(`share = heads / len(flips)`): division by zero"
    )
    assert feedback.score == pytest.approx(4 / 5)


def test_lying_and_raising_result_objects_give_per_check_errors(sandbox):
    code = '''
class Liar(float):
    def __eq__(self, other):
        return True
    def __float__(self):
        raise RuntimeError("no")
    def __array__(self, *a, **k):
        raise RuntimeError("no")

def update(alpha, beta, flips):
    if flips == "":
        return alpha, beta
    return Liar(1.0), Liar(2.0)
'''
    feedback = grade("code.beta_binomial_update", code)
    assert feedback.parts[-2].verdict == "correct"  # the empty flip string: plain numbers
    bad = [p for p in feedback.parts if p.score == 0]
    assert len(bad) == 4
    assert all("the result is of type Liar, not a number" in p.message for p in bad)


def test_code_that_exits_on_import_is_one_clear_problem(sandbox):
    feedback = grade("code.log_softmax", "raise SystemExit(3)\n\ndef log_softmax(logits):\n    return logits\n")
    assert feedback.score == 0.0
    assert feedback.parts[0].verdict == "invalid"
    assert "importing your code raised" in feedback.parts[0].message and "sys.exit" in feedback.parts[0].message


def test_an_endless_loop_is_stopped_with_a_verdict_and_the_next_submission_is_graded(sandbox):
    feedback = grade("code.entropy", "def entropy(p, base):\n    while True:\n        pass\n")
    assert feedback.score == 0.0
    (part,) = feedback.parts
    assert part.verdict == "invalid" and part.message.startswith("your code ran past the ")
    assert grade("code.entropy", CORRECT["code.entropy"]).score == 1.0


def test_a_forbidden_import_is_refused_before_anything_runs():
    # No sandbox needed: the source is refused as unreadable, with the line.
    from grader import AnswerError

    code = "import numpy as np\nfrom scipy.special import log_softmax\n"
    with pytest.raises(AnswerError, match=r"line 2: `from scipy.special import log_softmax` is the ready-made function"):
        grade("code.log_softmax", code)


# -- forms: TOML, JSON, files; the CLI and the sheet -------------------------------------------


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PROBSTATS_COURSE_SECRET", SECRET)
    monkeypatch.setenv("PROBSTATS_DB", f"sqlite:///{tmp_path / 'book.db'}")
    return tmp_path


def _grade_json(capsys, *files: str) -> dict:
    code = main(["grade", *files, "--json"])
    out = capsys.readouterr().out
    assert code in (0, 1), out
    data = json.loads(out)
    return data["files"][0]


def _by_id(result: dict) -> dict:
    return {f["exercise_id"]: f for f in result["feedback"]}


def test_cli_grades_inline_toml_code_and_a_file_next_to_the_submission(sandbox, workdir, capsys):
    (workdir / "answers").mkdir()
    (workdir / "answers" / "kl.py").write_text(CORRECT["code.kl_divergence"], encoding="utf-8")
    softmax = CORRECT["code.log_softmax"]
    (workdir / "answers" / "a.toml").write_text(
        f'student_id = "{STUDENT}"\n[answers]\n'
        f"\"code.log_softmax\" = {{ code = '''{softmax}''' }}\n"
        '"code.kl_divergence" = { file = "kl.py" }\n'
        '"code.entropy" = { file = "../outside.py" }\n',
        encoding="utf-8",
    )
    (workdir / "outside.py").write_text(CORRECT["code.entropy"], encoding="utf-8")
    result = _grade_json(capsys, "answers/a.toml")
    feedback = _by_id(result)
    assert feedback["code.log_softmax"]["score"] == 1.0
    assert feedback["code.kl_divergence"]["score"] == 1.0
    assert feedback["code.kl_divergence"]["answer"]["file"] == "kl.py"
    assert feedback["code.entropy"]["score"] == 0.0
    assert any("outside the submission's folder" in e for e in map(str, result["errors"]))


def test_cli_grades_json_with_code_and_file_and_prints_per_check_feedback(sandbox, workdir, capsys):
    (workdir / "leap.py").write_text(next(c for i, c, m in WRONG if m == "euler_steps"), encoding="utf-8")
    (workdir / "s.json").write_text(
        json.dumps(
            {
                "student_id": STUDENT,
                "answers": {
                    "code.top_p_filter": {"code": CORRECT["code.top_p_filter"]},
                    "code.leapfrog": {"file": "leap.py"},
                    "code.metropolis_step": {"file": "missing.py"},
                },
            }
        ),
        encoding="utf-8",
    )
    assert main(["grade", "s.json"]) in (0, 1)
    out = capsys.readouterr().out
    assert "code.top_p_filter: 1/1. Correct." in out
    assert "code.leapfrog: 0.25/1." in out and "symplectic Euler" in out
    assert "one step on a standard normal: wrong (on q=[1.0], p=[0.0]" in out
    assert "code.metropolis_step: the file 'missing.py': no such file" in out


def test_the_sheet_shows_the_signature_and_a_starter_and_the_template_a_code_table():
    registry = load_exercises()
    exercise = registry.get("code.leapfrog")
    sheet = render_sheet([exercise], STUDENT, secret=SECRET)
    assert "def leapfrog(q, p, grad_log_density, step_size, n_steps):" in sheet
    assert "`leapfrog(q, p, grad_log_density, step_size, n_steps)`" in sheet
    template = render_template([exercise], STUDENT)
    assert '"code.leapfrog" = { code = "" }' in template
