"""course.toml: loading, validation (errors name key and line), rule resolution, the secret."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from grader.course import (
    DEFAULT_SECRET,
    CourseError,
    current_course,
    load_course,
    parse_course,
)
from grader.variants import course_secret, variant_seed

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "course.toml"


@pytest.fixture(autouse=True)
def _no_course_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("PROBSTATS_COURSE", "PROBSTATS_MODE", "PROBSTATS_COURSE_SECRET", "MY_SECRET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


def test_without_a_file_the_local_defaults_apply() -> None:
    course = load_course()
    assert course.mode == "local" and course.path is None
    assert course.uses_default_secret and course.secret == DEFAULT_SECRET
    rules = course.rules_for("bayes.x")
    assert rules.due is None and rules.attempts is None
    assert rules.refusal(datetime.now(UTC), 1000) is None
    assert dict(rules.reveal) == {"answers": "after_first_attempt", "scores": "immediately", "links": "immediately"}


def test_the_example_file_loads_and_resolves_exercise_over_topic_over_defaults(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PROBSTATS_COURSE", str(EXAMPLE))
    monkeypatch.setenv("PROBSTATS_COURSE_SECRET", "a-long-enough-secret-for-the-test")
    course = load_course()
    assert course.mode == "hosted" and course.path == EXAMPLE
    assert course.secret == "a-long-enough-secret-for-the-test" and not course.uses_default_secret
    posterior = course.rules_for("bayes.mle_map_mean")
    assert posterior.due == datetime(2026, 3, 8, 23, 59, tzinfo=timezone(timedelta(hours=1)))
    assert posterior.attempts == 5 and posterior.source["attempts"] == 'exercises."bayes.mle_map_mean"'
    assert posterior.late == 0.5 and posterior.source["late"] == "topics.bayes"
    assert posterior.reveal["answers"] == "after_due" and posterior.source["answers"] == "defaults"
    other = course.rules_for("bayes.other")
    assert other.due == datetime(2026, 3, 6, 22, 59, tzinfo=UTC) and other.attempts == 3
    assert course.rules_for("sampling.x").due is None


def test_mode_env_overrides_the_file_and_a_bad_mode_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "course.toml").write_text('mode = "hosted"\n')
    assert load_course().mode == "hosted"  # ./course.toml is found
    monkeypatch.setenv("PROBSTATS_MODE", "local")
    assert load_course().mode == "local"
    monkeypatch.setenv("PROBSTATS_MODE", "cloud")
    with pytest.raises(CourseError, match="PROBSTATS_MODE must be one of local, hosted; got 'cloud'"):
        load_course()


def test_secret_inline_then_named_variable_then_the_usual_one(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = tmp_path / "course.toml"
    monkeypatch.setenv("PROBSTATS_COURSE", str(path))
    path.write_text('secret = "inline-secret"\n')
    assert course_secret() == "inline-secret"
    path.write_text('secret_env = "MY_SECRET"\n# edited\n')
    monkeypatch.setenv("PROBSTATS_COURSE_SECRET", "fallback")
    assert current_course().secret_source == "$PROBSTATS_COURSE_SECRET" and course_secret() == "fallback"
    monkeypatch.setenv("MY_SECRET", "from-my-variable")
    assert course_secret() == "from-my-variable" and current_course().secret_source == "$MY_SECRET"
    assert variant_seed("s1", "demo.double") == variant_seed("s1", "demo.double", secret="from-my-variable")
    monkeypatch.delenv("MY_SECRET")
    monkeypatch.delenv("PROBSTATS_COURSE_SECRET")
    assert current_course().uses_default_secret
    assert "from-my-variable" not in repr(current_course())


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('mode = "cloud"\n', r"line 1: `mode` must be one of 'local', 'hosted'; got 'cloud'"),
        ('colour = "red"\n', r"line 1: `colour` unknown key; expected one of name, mode"),
        ('secret = "a"\nsecret_env = "B"\n', r"line 2: `secret_env` give either"),
        ('secret_env = "not a name"\n', r"`secret_env` must be an environment variable name"),
        ("[defaults]\nattempts = 0\n", r"line 2: `defaults.attempts` must be a whole number >= 1; got 0"),
        ("[defaults]\nattempts = true\n", r"`defaults.attempts` must be a whole number"),
        ("[defaults]\nlate = 1.5\n", r'line 2: `defaults.late` must be "refuse" or a score factor in \(0, 1\]; got 1.5'),
        ('[defaults]\nlate = "accept"\n', r"`defaults.late` must be \"refuse\""),
        ('[defaults]\nreveal_scores = "later"\n', r"line 2: `defaults.reveal_scores` must be one of 'immediately'"),
        ("[defaults]\nlimit = 3\n", r"line 2: `defaults.limit` unknown key; expected one of due, attempts"),
        ("[topics.bayes]\n\ndue = 2026-03-01T23:59:00\n", r"line 3: `topics.bayes.due` needs a timezone offset"),
        ("[topics.bayes]\ndue = 2026-03-01\n", r"`topics.bayes.due` must be a date and time .* got a date without a time"),
        ('[topics.bayes]\ndue = "next friday"\n', r"`topics.bayes.due` not an ISO date and time"),
        ("[topics.Bayes]\nattempts = 2\n", r"line 1: `topics.Bayes` must be a topic name"),
        ('[exercises."bayes"]\nattempts = 2\n', r"`exercises.bayes` must be an exercise id"),
        ('[exercises."bayes.x"]\nlate = 0\n', r'line 2: `exercises."bayes.x".late` must be "refuse"'),
        ("topics = 3\n", r"line 1: `topics` must be a table; got int"),
        ("mode = \n", r"not valid TOML"),
    ],
)
def test_bad_files_name_the_key_and_its_line(text: str, message: str) -> None:
    with pytest.raises(CourseError, match=message):
        parse_course(text, source="course.toml")


def test_a_string_due_date_is_accepted_and_a_missing_file_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    course = parse_course('[topics.bayes]\ndue = "2026-03-01T12:00:00+02:00"\n')
    assert course.rules_for("bayes.x").due == datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
    monkeypatch.setenv("PROBSTATS_COURSE", "/nonexistent/course.toml")
    with pytest.raises(CourseError, match="cannot read the course file"):
        current_course()
    with pytest.raises(CourseError, match="cannot read the course file"):
        load_course()


DUE = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
BEFORE, AFTER = DUE - timedelta(seconds=1), DUE + timedelta(seconds=1)


def test_refusal_late_factor_and_reveal_follow_the_time_given() -> None:
    course = parse_course(
        "[defaults]\nattempts = 2\n"
        '[topics.bayes]\ndue = 2026-03-01T12:00:00Z\nreveal_answers = "after_due"\n'
        'reveal_scores = "never"\nreveal_links = "after_first_attempt"\n'
        '[exercises."bayes.late"]\nlate = 0.5\n'
    )
    rules = course.rules_for("bayes.x")
    assert rules.refusal(BEFORE, 1) is None
    assert rules.refusal(DUE, 1) is None  # due means "up to and including"
    refused = rules.refusal(AFTER, 0)
    assert refused is not None and "due date 2026-03-01T12:00:00+00:00 (topics.bayes due)" in refused
    assert 'built-in late = "refuse"' in refused
    limit = rules.refusal(BEFORE, 2)
    assert limit is not None and "attempt limit of 2 is reached (defaults attempts = 2)" in limit
    assert rules.late_factor(AFTER) is None
    late = course.rules_for("bayes.late")
    assert late.refusal(AFTER, 0) is None and late.late_factor(AFTER) == 0.5 and late.late_factor(BEFORE) is None
    assert not rules.reveals("answers", BEFORE, 5) and rules.reveals("answers", AFTER, 0)
    assert not rules.reveals("scores", AFTER, 5)
    assert not rules.reveals("links", BEFORE, 0) and rules.reveals("links", BEFORE, 1)
    assert "after the due date, 2026-03-01T12:00:00+00:00 (topics.bayes reveal_answers)" in rules.reveal_note("answers")
    with pytest.raises(ValueError, match="`now` must be a timezone-aware datetime"):
        rules.is_late(datetime(2026, 3, 1))
    with pytest.raises(ValueError, match="`kind` must be one of answers, scores, links"):
        rules.reveals("grades", AFTER, 0)


def test_after_due_without_a_due_date_never_reveals() -> None:
    rules = parse_course('[defaults]\nreveal_answers = "after_due"\n').rules_for("bayes.x")
    assert not rules.reveals("answers", datetime(2100, 1, 1, tzinfo=UTC), 10)
    assert "no due date is set" in rules.reveal_note("answers")


def test_the_example_names_real_exercises_and_topics_and_the_doc_example_runs() -> None:
    import re

    from grader import load_exercises

    registry = load_exercises()
    course = load_course(EXAMPLE)
    assert set(course.exercises) <= set(registry.exercises)
    assert set(course.topics) <= set(registry.topics())
    doc = (EXAMPLE.parents[1] / "docs" / "course.md").read_text(encoding="utf-8")
    (block,) = re.findall(r"```python\n(.*?)```", doc, flags=re.S)
    namespace: dict[str, object] = {}
    exec(block, namespace)
    assert namespace["rules"].late_factor(datetime(2026, 3, 7, tzinfo=UTC)) == 0.5  # type: ignore[attr-defined]


def test_courses_and_rules_are_hashable_values() -> None:
    a = parse_course("[topics.bayes]\nattempts = 2\n")
    b = parse_course("[topics.bayes]\nattempts = 2\n")
    assert a == b and hash(a) == hash(b) and a != parse_course("[topics.bayes]\nattempts = 3\n")
    assert hash(a.rules_for("bayes.x")) == hash(b.rules_for("bayes.x"))
