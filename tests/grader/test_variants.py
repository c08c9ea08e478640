"""Personal variants: pure functions of (secret, student, exercise), spread over students."""

from __future__ import annotations

import hashlib
import hmac

import numpy as np
import pytest

from grader import load_exercises, variant_for, variant_seed
from grader.variants import DEFAULT_SECRET, check_student_id, course_secret
from tests.grader.helpers import doubling


def test_seed_is_the_documented_hmac() -> None:
    # Independent recomputation of the documented formula.
    digest = hmac.new(b"k", b"s1\x1fdemo.double", hashlib.sha256).digest()
    assert variant_seed("s1", "demo.double", secret="k") == int.from_bytes(digest[:8], "big") >> 1


def test_same_inputs_same_variant_and_params_follow_the_seed() -> None:
    exercise = doubling()
    a = variant_for("s1", exercise, secret="k")
    b = variant_for("s1", exercise, secret="k")
    assert a == b
    assert a.params == {"x": int(np.random.default_rng(a.seed).integers(1, 1000))}


def test_secret_student_and_exercise_all_matter() -> None:
    base = variant_seed("s1", "demo.double", secret="k")
    assert variant_seed("s1", "demo.double", secret="other") != base
    assert variant_seed("s2", "demo.double", secret="k") != base
    assert variant_seed("s1", "demo.triple", secret="k") != base
    # The separator keeps ("a.b", "c") and ("a", "b.c") apart.
    assert variant_seed("a.b", "c", secret="k") != variant_seed("a", "b.c", secret="k")


def test_seed_fits_a_signed_64_bit_column() -> None:
    seeds = [variant_seed(f"s{i}", "demo.double", secret="k") for i in range(200)]
    assert all(0 <= s < 2**63 for s in seeds)


def test_different_students_mostly_get_different_variants() -> None:
    registry = load_exercises()
    for exercise in registry.exercises.values():
        params = {repr(variant_for(f"s{i}", exercise, secret="k").params) for i in range(100)}
        # Every built-in exercise has hundreds of variants; 100 students draw with few repeats.
        assert len(params) >= 60, exercise.id


def test_secret_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROBSTATS_COURSE_SECRET", "course-2026")
    assert course_secret() == "course-2026"
    assert variant_seed("s1", "demo.double") == variant_seed("s1", "demo.double", secret="course-2026")
    monkeypatch.delenv("PROBSTATS_COURSE_SECRET")
    assert course_secret() == DEFAULT_SECRET


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("", r"^`student_id` must be 1 to 64 characters long; got 0$"),
        ("x" * 65, r"^`student_id` must be 1 to 64 characters long; got 65$"),
        ("a b", r"^`student_id` may hold only letters, digits and \. _ - @; got 'a b' \(found ' '\)$"),
        ("tab\there", r"found '\\t'"),
        ("x/../../../ESCAPED", r"found '/'"),
        ("a\\b", r"found '\\\\'"),
        ("..", None),  # allowed: only ever part of a longer file name
        ("=HYPERLINK(x)", r"found '='"),
        ("s1\U0001F600", r"found '\U0001F600'"),  # emoji
        ("s1\u200b", r"found '\\u200b'"),  # zero-width space
        ("аdmin", r"mixes letters of several scripts \(Cyrillic, Latin\)"),  # Cyrillic а
        ("paypаl.com", r"mixes letters of several scripts"),
    ],
)
def test_bad_student_ids(bad: str, message: str | None) -> None:
    if message is None:
        assert check_student_id(bad) == bad
        return
    with pytest.raises(ValueError, match=message):
        check_student_id(bad)


@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("s123", "s123"),
        ("ｓ１２３", "s123"),  # fullwidth: NFKC folds it to the ASCII id
        ("ﬁona", "fiona"),  # a ligature
        ("José.García-2@uni", "José.García-2@uni"),
        ("Jose\u0301", "José"),  # combining accent: composed
        ("иван_петров", "иван_петров"),  # one script, not Latin
        ("山田たろう", "山田たろう"),  # Han with kana: one writing system
        ("x" * 64, "x" * 64),
    ],
)
def test_good_student_ids_are_normalised(typed: str, normal: str) -> None:
    assert check_student_id(typed) == normal


def test_a_normalised_id_has_the_same_variants() -> None:
    assert variant_seed("ｓ１", "demo.double", secret="k") == variant_seed("s1", "demo.double", secret="k")


def test_student_id_must_be_text() -> None:
    with pytest.raises(TypeError, match=r"^`student_id` must be text; got int$"):
        check_student_id(7)


def test_the_sheet_and_template_use_the_normalised_id() -> None:
    from grader import render_sheet, render_template
    from tests.grader.helpers import doubling

    assert render_template([doubling()], "ｓ１").splitlines()[1] == 'student_id = "s1"'
    assert render_sheet([doubling()], "ｓ１", secret="k") == render_sheet([doubling()], "s1", secret="k")
    with pytest.raises(ValueError, match="found '/'"):
        render_sheet([doubling()], "../x")
