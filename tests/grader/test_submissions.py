"""Submission files: every bad part gets its own exact message, the rest is graded."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grader import (
    SubmissionFileError,
    build_registry,
    grade_submission,
    parse_submission,
    read_submission,
    variant_for,
)

REGISTRY = build_registry()
Q3 = "interview.perplexity_from_nll"
Q6 = "interview.beta_binomial_posterior"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


class TestFileErrors:
    @pytest.mark.parametrize(
        ("name", "text", "message"),
        [
            ("a.toml", 'student_id = "s1"\n[answers\n', "not valid TOML: Expected ']' at the end of a table declaration (at line 2, column 9)"),
            ("a.json", '{"student_id": "s1", "answers": {', "not valid JSON: Expecting property name enclosed in double quotes: line 1 column 34 (char 33)"),
            ("a.json", '{"student_id": "s1", "answers": {"a.b": 1, "a.b": 2}}', "not valid JSON: the key 'a.b' appears twice"),
            ("a.json", "[1, 2]", "the top level must be a table with student_id and answers"),
            ("a.toml", "[answers]\n", "missing student_id (add it to the file or pass --student)"),
            ("a.toml", 'student_id = "s 1"\n[answers]\n', "`student_id` may hold only letters, digits and . _ - @; got 's 1' (found ' ')"),
            ("a.toml", "student_id = 7\n[answers]\n", "`student_id` must be text; got int"),
            ("a.toml", 'student_id = "s1"\n', "missing [answers] table"),
            ("a.toml", 'student_id = "s1"\nanswers = 3\n', "missing [answers] table"),
            ("a.txt", "", "unsupported file type '.txt'; use .toml or .json"),
        ],
    )
    def test_unreadable_file(self, tmp_path: Path, name: str, text: str, message: str) -> None:
        path = write(tmp_path, name, text)
        with pytest.raises(SubmissionFileError) as info:
            read_submission(path)
        assert str(info.value) == f"{path}: {message}"

    def test_missing_file(self, tmp_path: Path) -> None:
        with pytest.raises(SubmissionFileError) as info:
            read_submission(tmp_path / "none.toml")
        assert str(info.value) == f"{tmp_path / 'none.toml'}: no such file"

    def test_not_utf8(self, tmp_path: Path) -> None:
        path = tmp_path / "a.toml"
        path.write_bytes(b"\xff\xfe")
        with pytest.raises(SubmissionFileError, match="cannot read the file: 'utf-8' codec can't decode"):
            read_submission(path)

    def test_student_flag_must_agree_with_the_file(self, tmp_path: Path) -> None:
        path = write(tmp_path, "a.toml", 'student_id = "s1"\n[answers]\n')
        with pytest.raises(SubmissionFileError) as info:
            read_submission(path, student_id="s2")
        assert str(info.value) == f"{path}: the file says student_id 's1' but --student is 's2'"
        assert read_submission(path, student_id="s1").student_id == "s1"

    def test_student_flag_fills_a_missing_id(self, tmp_path: Path) -> None:
        path = write(tmp_path, "a.json", '{"answers": {}}')
        assert read_submission(path, student_id="s9").student_id == "s9"


class TestPartErrors:
    def test_each_bad_part_has_its_message_and_the_rest_is_graded(self, tmp_path: Path) -> None:
        path = write(
            tmp_path,
            "a.toml",
            """
student_id = "s1"
comment = "hi"
[answers]
"interview.perplexity_from_nll" = "exp(3)"
"information.kl_divergence" = nan
"nope.x" = 3
"information.entropy_bits" = "2**"
"moments.larger_variance" = "C"
"moments.variance_discrete" = [1, 2]
"sampling.top_p_filter" = []
"interview.beta_binomial_posterior" = { alpha = 2, mean = "1/", extra = 1 }
""",
        )
        result = grade_submission(read_submission(path), REGISTRY, secret="k")
        assert [str(e) for e in result.errors] == [
            "unknown top-level key 'comment'; expected student_id and answers",
            "information.kl_divergence: the answer must be a finite number; got nan",
            "nope.x: unknown exercise id 'nope.x'",
            "information.entropy_bits: the answer: cannot parse '2**' as an arithmetic expression",
            "moments.larger_variance: 'C' is not one of the options: A, B",
            'moments.variance_discrete: the answer must be a number or an expression like "5/7"; got a list',
        ]
        assert result.skipped == ["sampling.top_p_filter"]
        unreadable = [
            "information.kl_divergence", "information.entropy_bits",
            "moments.larger_variance", "moments.variance_discrete",
        ]
        assert [f.exercise_id for f in result.feedback] == [Q3, *unreadable, Q6]
        # An unreadable answer scores 0 out of its exercise's points: the total counts it.
        for f in result.feedback[1:-1]:
            assert (f.score, f.points, f.max_points) == (0.0, 0.0, REGISTRY.get(f.exercise_id).points)
            assert [p.verdict for p in f.parts] == ["invalid"]
        assert result.max_points == sum(REGISTRY.get(i).points for i in [Q3, *unreadable, Q6])
        q6 = result.feedback[-1]
        assert [(p.part, p.verdict, p.message) for p in q6.parts if p.verdict != "wrong"] == [
            ("beta", "missing", "missing field 'beta'"),
            ("mean", "invalid", "field 'mean': cannot parse '1/' as an arithmetic expression"),
            ("map", "missing", "missing field 'map'"),
            ("mle", "missing", "missing field 'mle'"),
            ("extra", "invalid", "unknown field 'extra'; the fields are alpha, beta, mean, map, mle"),
        ]

    def test_toml_and_json_give_the_same_grades(self, tmp_path: Path) -> None:
        exercise = REGISTRY.get(Q6)
        p = variant_for("s1", exercise, secret="k").params
        h, t = p["heads"], p["tails"]
        answer = {"alpha": 1 + h, "beta": 1 + t, "mean": f"{1 + h}/{2 + h + t}", "map": f"{h}/{h + t}", "mle": f"{h}/{h + t}"}
        toml_text = (
            'student_id = "s1"\n[answers]\n"interview.beta_binomial_posterior" = { '
            + ", ".join(f'{k} = "{v}"' for k, v in answer.items())
            + " }\n"
        )
        json_text = json.dumps({"student_id": "s1", "answers": {Q6: {k: str(v) for k, v in answer.items()}}})
        a = grade_submission(read_submission(write(tmp_path, "a.toml", toml_text)), REGISTRY, secret="k")
        b = grade_submission(read_submission(write(tmp_path, "a.json", json_text)), REGISTRY, secret="k")
        assert a.feedback[0].score == b.feedback[0].score == 1.0

    def test_failing_exercise_is_named_with_its_plugin(self) -> None:
        from grader import hookimpl
        from tests.grader.helpers import doubling

        calls = {"n": 0}

        def solve(p: dict[str, Any]) -> float:
            calls["n"] += 1
            if calls["n"] > 1:  # passes the load-time smoke test, fails when grading
                raise RuntimeError("flaky")
            return 2.0 * p["x"]

        class Plugin:
            @hookimpl
            def register_exercises(self, register: Any) -> None:
                register(doubling(solve=solve))

        registry = build_registry(builtin=False, extra_plugins=[("flaky", Plugin())])
        result = grade_submission(
            parse_submission({"student_id": "s1", "answers": {"demo.double": 4}}, source="t"), registry, secret="k"
        )
        assert [str(e) for e in result.errors] == [
            "demo.double: not graded, the exercise failed (plugin 'flaky'): "
            "exercise 'demo.double': solve failed: RuntimeError: flaky"
        ]


# Submission-shaped data: known and unknown ids, answers of every JSON type.
_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=8), children, max_size=5),
    max_leaves=12,
)
_ids = st.sampled_from([*REGISTRY.exercises, "nope.x", "", "a.b.c"]) | st.text(max_size=20)


@given(
    st.dictionaries(
        st.sampled_from(["student_id", "answers", "other"]),
        st.text(max_size=10) | st.dictionaries(_ids, _json_values, max_size=8) | _json_values,
        max_size=3,
    )
)
def test_fuzz_submission_parsing_and_grading(data: dict[str, Any]) -> None:
    start = time.perf_counter()
    try:
        submission = parse_submission(data, source="fuzz")
    except SubmissionFileError:
        return
    result = grade_submission(submission, REGISTRY, secret="k")
    assert len(result.feedback) + len(result.errors) + len(result.skipped) >= len(submission.answers)
    for feedback in result.feedback:
        assert 0.0 <= feedback.score <= 1.0
    # Generous bound, not a benchmark (team rule: no timing assertions); catches runaway work.
    assert time.perf_counter() - start < 2.0
