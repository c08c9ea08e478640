"""Plugin loading: built-ins, plugins folder, entry points, and per-plugin error attribution."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

from grader import (
    AnswerKind,
    Misconception,
    Number,
    UnknownExercise,
    build_registry,
    grade_answer,
    grade_submission,
    load_exercises,
    parse_submission,
    variant_for,
)
from grader.plugins import get_plugin_manager
from tests.grader.helpers import ExercisesPlugin, doubling

CORPUS = Path(__file__).parent / "plugin_corpus"

def _builtin_ids() -> frozenset[str]:
    """Every exercise id the modules of the built-in ``exercises`` package register.

    Read from the modules themselves (each one's own hook, called directly; the package
    walked recursively), so the plugin manager's result is compared with something it
    did not produce.
    """
    import importlib
    import pkgutil

    import exercises

    ids: set[str] = set()
    for info in pkgutil.walk_packages(exercises.__path__, prefix="exercises."):
        if any(part.startswith("_") for part in info.name.split(".")):
            continue
        module = importlib.import_module(info.name)
        hook = getattr(module, "register_exercises", None)
        if hook is not None and hook.__module__ == module.__name__:
            hook(lambda exercise: ids.add(exercise.id))
    return frozenset(ids)


BUILTIN_IDS = _builtin_ids()


def plugins_dir(tmp_path: Path, *names: str) -> Path:
    folder = tmp_path / "plugins"
    folder.mkdir()
    for name in names:
        shutil.copy(CORPUS / name, folder / name)
    return folder


def messages(registry: Any) -> list[str]:
    return [str(e) for e in registry.errors]


class TestBuiltins:
    def test_builtins_load_with_autoload_disabled(self) -> None:
        # tests/conftest.py sets PROBSTATS_DISABLE_PLUGIN_AUTOLOAD=1.
        registry = build_registry()
        assert registry.errors == []
        assert set(registry.exercises) == BUILTIN_IDS
        assert registry.owner("interview.perplexity_from_nll") == "exercises.interview.q3_perplexity"
        assert set(registry.answer_kinds) == {"number", "vector", "choice", "multiple_choice", "record", "code"}

    def test_loaded_once_lazily(self) -> None:
        first = load_exercises()
        assert load_exercises() is first
        assert get_plugin_manager() is first.pm
        assert load_exercises(reload=True) is not first

    def test_topics_group_sorted_ids(self) -> None:
        topics = build_registry().topics()
        assert list(topics) == sorted({i.split(".")[0] for i in BUILTIN_IDS})
        interview = [e.id for e in topics["interview"]]
        assert interview == sorted(interview)
        assert {"interview.beta_binomial_posterior", "interview.perplexity_from_nll"} <= set(interview)

    def test_unknown_id_suggests_the_closest(self) -> None:
        with pytest.raises(UnknownExercise) as info:
            build_registry().get("interview.perplexity_from_nl")
        assert str(info.value) == (
            "unknown exercise id 'interview.perplexity_from_nl'; did you mean 'interview.perplexity_from_nll'?"
        )


class TestPluginsDir:
    def test_good_plugin_adds_exercises_and_an_answer_kind(self, tmp_path: Path) -> None:
        registry = build_registry(plugins_dir=plugins_dir(tmp_path, "good_plugin.py"))
        assert registry.errors == []
        assert {"corpus.double", "corpus.interval"} <= set(registry.exercises)
        assert "interval" in registry.answer_kinds
        info = registry.plugins["good_plugin.py"]
        assert info.source == "plugins dir"
        assert info.hooks == ["register_answer_types", "register_exercises", "submission_graded"]
        exercise = registry.get("corpus.interval")
        x = variant_for("s1", exercise, secret="k").params["x"]
        assert grade_answer(exercise, [x - 1, x + 1], student_id="s1", secret="k").score == 1.0
        assert grade_answer(exercise, [x, x + 1], student_id="s1", secret="k").score == 0.0

    def test_the_env_variable_names_the_folder(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("PROBSTATS_PLUGINS_DIR", str(plugins_dir(tmp_path, "good_plugin.py")))
        # The folder is explicit, so it loads even with autoload disabled (conftest).
        assert "corpus.double" in build_registry().exercises

    def test_missing_folder_is_reported(self, tmp_path: Path) -> None:
        registry = build_registry(plugins_dir=tmp_path / "nope")
        assert messages(registry) == [
            f"plugin 'PROBSTATS_PLUGINS_DIR': folder {str(tmp_path / 'nope')!r} does not exist"
        ]
        assert set(registry.exercises) == BUILTIN_IDS


class TestBrokenCorpus:
    """Each broken plugin is named with its error; every other exercise still loads."""

    def test_import_error(self, tmp_path: Path) -> None:
        registry = build_registry(plugins_dir=plugins_dir(tmp_path, "import_error.py", "good_plugin.py"))
        assert messages(registry) == [
            "plugin 'import_error.py': failed to import: ModuleNotFoundError: "
            "No module named 'probstats_module_that_does_not_exist'"
        ]
        assert set(registry.exercises) == BUILTIN_IDS | {"corpus.double", "corpus.interval"}

    def test_raising_hook(self, tmp_path: Path) -> None:
        registry = build_registry(plugins_dir=plugins_dir(tmp_path, "raising_hook.py", "good_plugin.py"))
        assert messages(registry) == [
            "plugin 'raising_hook.py': register_exercises raised RuntimeError: boom in the hook"
        ]
        assert set(registry.exercises) == BUILTIN_IDS | {"corpus.double", "corpus.interval"}

    def test_duplicate_id(self, tmp_path: Path) -> None:
        registry = build_registry(plugins_dir=plugins_dir(tmp_path, "duplicate_id.py", "good_plugin.py"))
        # Files load in name order, so duplicate_id.py registers corpus.double first.
        assert messages(registry) == [
            "plugin 'good_plugin.py': duplicate exercise id 'corpus.double': "
            "already registered by 'duplicate_id.py'"
        ]
        assert {"corpus.double", "corpus.triple", "corpus.interval"} <= set(registry.exercises)

    def test_duplicate_of_a_builtin_keeps_the_builtin(self) -> None:
        impostor = doubling("interview.perplexity_from_nll")
        registry = build_registry(extra_plugins=[("impostor", ExercisesPlugin(impostor))])
        assert messages(registry) == [
            "plugin 'impostor': duplicate exercise id 'interview.perplexity_from_nll': "
            "already registered by 'exercises.interview.q3_perplexity'"
        ]
        assert registry.get("interview.perplexity_from_nll") is not impostor

    def test_failing_solve_and_invalid_id(self, tmp_path: Path) -> None:
        registry = build_registry(plugins_dir=plugins_dir(tmp_path, "solve_fails.py"))
        assert messages(registry) == [
            "plugin 'solve_fails.py': exercise 'corpus.broken_solve': solve failed: "
            "ZeroDivisionError: division by zero",
            "plugin 'solve_fails.py': exercise id 'NoTopic' must look like 'topic.name' "
            "(lower-case letters, digits, underscores)",
        ]
        assert set(registry.exercises) == BUILTIN_IDS

    def test_unknown_hook_is_caught_by_check_pending(self, tmp_path: Path) -> None:
        registry = build_registry(plugins_dir=plugins_dir(tmp_path, "typo_hook.py"))
        assert messages(registry) == ["plugin 'typo_hook.py': invalid plugin: unknown hook 'register_exercise'"]
        assert set(registry.exercises) == BUILTIN_IDS

    def test_whole_corpus_at_once(self) -> None:
        registry = build_registry(plugins_dir=CORPUS)
        failing = {e.plugin for e in registry.errors}
        assert failing == {"import_error.py", "typo_hook.py", "good_plugin.py", "raising_hook.py", "solve_fails.py"}
        assert BUILTIN_IDS | {"corpus.double", "corpus.triple", "corpus.interval"} == set(registry.exercises)


class TestInvalidExercises:
    @pytest.mark.parametrize(
        ("overrides", "message"),
        [
            ({"title": " "}, "exercise 'demo.double': `title` must be non-empty text"),
            ({"points": 0}, "exercise 'demo.double': `points` must be a number > 0; got 0"),
            ({"points": True}, "exercise 'demo.double': `points` must be a number > 0; got True"),
            ({"solve": 3}, "exercise 'demo.double': `solve` must be callable"),
            ({"prompt": 3}, "exercise 'demo.double': `prompt` must be text or a callable"),
            ({"answer": 1.0}, "exercise 'demo.double': `answer` must be an answer kind such as grader.Number(); got float"),
            ({"reveal": "later"}, "exercise 'demo.double': `reveal` must be one of 'always', 'after_correct', 'never'; got 'later'"),
            ({"prompt": "What is {y}?"}, "exercise 'demo.double': prompt failed: KeyError: 'y'"),
            ({"generate": lambda rng: {"x": float("nan")}}, "exercise 'demo.double': generate(rng) must return plain JSON values (finite numbers, text, lists, tables); got {'x': nan}"),
            ({"generate": lambda rng: [1]}, "exercise 'demo.double': generate failed: TypeError: exercise 'demo.double': generate(rng) must return a dict; got list"),
            ({"solve": lambda p: "x"}, "exercise 'demo.double': solve failed: ValueError: could not convert string to float: 'x'"),
            ({"version": 0}, "exercise 'demo.double': `version` must be an integer >= 1; got 0"),
            ({"misconceptions": (Misconception("halved", "Half.", lambda p: p["x"] / 2, credit=1.0),)},
             "exercise 'demo.double': misconception 'halved': `credit` must be a number with 0 <= credit < 1; got 1.0"),
            ({"misconceptions": (Misconception("halved", "Half.", lambda p: p["x"] / 2, credit=-0.1),)},
             "exercise 'demo.double': misconception 'halved': `credit` must be a number with 0 <= credit < 1; got -0.1"),
            ({"misconceptions": (Misconception("halved", "Half.", lambda p: p["x"] / 2, credit="half"),)},  # type: ignore[arg-type]
             "exercise 'demo.double': misconception 'halved': `credit` must be a number with 0 <= credit < 1; got 'half'"),
        ],
    )
    def test_reported_by_plugin(self, overrides: dict[str, Any], message: str) -> None:
        registry = build_registry(builtin=False, extra_plugins=[("mine", ExercisesPlugin(doubling(**overrides)))])
        assert messages(registry) == [f"plugin 'mine': {message}"]
        assert registry.exercises == {}

    def test_not_an_exercise(self) -> None:
        registry = build_registry(builtin=False, extra_plugins=[("mine", ExercisesPlugin("demo.x"))])
        assert messages(registry) == ["plugin 'mine': expected a grader.Exercise, got str"]

    def test_unregistered_answer_kind(self) -> None:
        class Odd(Number):
            kind = "odd"

        registry = build_registry(builtin=False, extra_plugins=[("mine", ExercisesPlugin(doubling(answer=Odd())))])
        assert messages(registry) == ["plugin 'mine': exercise 'demo.double': answer kind 'odd' is not registered"]


class TestAnswerTypes:
    def test_duplicate_and_invalid_kinds(self) -> None:
        from grader import hookimpl

        class Again:
            @hookimpl
            def register_answer_types(self, register: Any) -> None:
                register(Number)
                register(int)

        registry = build_registry(builtin=False, extra_plugins=[("again", Again())])
        assert messages(registry) == [
            "plugin 'again': duplicate answer kind 'number': already registered by 'grader.answers'",
            "plugin 'again': answer type must be a subclass of grader.AnswerKind with a `kind` name; got <class 'int'>",
        ]
        assert registry.answer_kinds["number"] is Number
        assert issubclass(registry.answer_kinds["number"], AnswerKind)


class TestObserver:
    def test_called_after_each_graded_submission(self, tmp_path: Path) -> None:
        registry = build_registry(plugins_dir=plugins_dir(tmp_path, "good_plugin.py"))
        module = sys.modules["probstats_plugins_dir.good_plugin"]
        submission = parse_submission({"student_id": "s1", "answers": {"corpus.double": 4}}, source="t")
        result = grade_submission(submission, registry, secret="k")
        assert module.SEEN == [result]
        assert result.observer_errors == []

    def test_failing_observer_is_reported_and_grading_stands(self, tmp_path: Path) -> None:
        registry = build_registry(plugins_dir=plugins_dir(tmp_path, "failing_observer.py"))
        submission = parse_submission(
            {"student_id": "s1", "answers": {"interview.perplexity_from_nll": 20}}, source="t"
        )
        result = grade_submission(submission, registry, secret="k")
        assert len(result.feedback) == 1
        assert [str(e) for e in result.observer_errors] == [
            "plugin 'failing_observer.py': submission_graded raised OSError: export server unreachable"
        ]


class TestEntryPoints:
    @pytest.fixture
    def fake_dist(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
        """A fake installed distribution: a dist-info folder and a module on sys.path."""
        site = tmp_path / "site"
        info = site / "probstats_fake-1.2.3.dist-info"
        info.mkdir(parents=True)
        (info / "METADATA").write_text("Metadata-Version: 2.1\nName: probstats-fake\nVersion: 1.2.3\n")
        (info / "entry_points.txt").write_text(
            "[probstats.exercises]\nfake = probstats_fake_mod\nbroken = probstats_fake_missing\n"
        )
        shutil.copy(CORPUS / "good_plugin.py", site / "probstats_fake_mod.py")
        monkeypatch.syspath_prepend(str(site))
        monkeypatch.delitem(sys.modules, "probstats_fake_mod", raising=False)
        yield site
        sys.modules.pop("probstats_fake_mod", None)

    def test_entry_point_plugin_loads_with_its_version(self, fake_dist: Path) -> None:
        registry = build_registry(autoload=True)
        assert "corpus.interval" in registry.exercises
        assert registry.owner("corpus.interval") == "fake"
        assert registry.plugins["fake"].version == "1.2.3"
        assert registry.plugins["fake"].source == "entry point"
        assert messages(registry) == [
            "plugin 'broken': failed to import: ModuleNotFoundError: No module named 'probstats_fake_missing'"
        ]

    def test_disabled_by_the_env_variable(self, fake_dist: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("PROBSTATS_DISABLE_PLUGIN_AUTOLOAD", "1")
        registry = build_registry()
        assert "corpus.interval" not in registry.exercises
        assert registry.errors == []

    def test_enabled_when_the_variable_is_unset(self, fake_dist: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.delenv("PROBSTATS_DISABLE_PLUGIN_AUTOLOAD")
        assert "corpus.interval" in build_registry().exercises

    def test_limited_to_named_plugins(self, fake_dist: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("PROBSTATS_LOAD_PLUGINS", "fake")
        registry = build_registry(autoload=True)
        assert "corpus.interval" in registry.exercises
        assert registry.errors == []  # 'broken' was not asked for
