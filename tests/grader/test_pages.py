"""The grader side of the page-parameter contract: the ``register_pages`` hook, link checks
at registration and in ``probstats check``, URLs built by the contract, built-in loading.

The contracts here are small stand-ins written for these tests (grader never imports the
dashboard): a page with integer keys and inclusive bounds, as the dashboard declares them.
"""

from __future__ import annotations

import importlib.metadata
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import pytest

from grader import DashboardLink, PageContract, build_registry, check_exercise, run_checks
from grader.checks import NO_PAGES_NOTE
from grader.plugins import OWN_DISTRIBUTION
from tests.grader.helpers import ExercisesPlugin, PagesPlugin, doubling


@dataclass(frozen=True)
class IntPage:
    """A page whose query keys are integers with inclusive bounds ``{key: (lo, hi)}``."""

    url_path: str
    title: str
    bounds: Mapping[str, tuple[int, int]] = field(default_factory=dict)

    def link(self, values: Mapping[str, object]) -> str:
        for key, value in values.items():
            if key not in self.bounds:
                valid = ", ".join(sorted(self.bounds))
                raise ValueError(f"page {self.url_path!r}: unknown key {key!r}; valid keys: {valid}")
            lo, hi = self.bounds[key]
            if not isinstance(value, int) or not lo <= value <= hi:
                raise ValueError(f"page {self.url_path!r}: {key} must be an integer in [{lo}, {hi}]; got {value!r}")
        return f"{self.url_path}?{urlencode(values)}" if values else self.url_path


DOUBLE_PAGE = IntPage("double", "Doubling", {"x": (1, 999)})


def linked(page: str = "double", query: Any = None, exercise_id: str = "demo.double") -> Any:
    """The doubling exercise linking ``page`` with ``query(params)`` (x itself by default)."""
    return doubling(exercise_id, dashboard=DashboardLink(page, query or (lambda p: {"x": p["x"]})))


def registry_of(*plugins: tuple[str, Any]) -> Any:
    return build_registry(builtin=False, autoload=False, plugins_dir="", extra_plugins=plugins)


def messages(registry: Any) -> list[str]:
    return [str(e) for e in registry.errors]


class TestRegisterPages:
    def test_contracts_are_registered_by_url_path(self) -> None:
        registry = registry_of(("pages", PagesPlugin(DOUBLE_PAGE, IntPage("other", "Other"))))
        assert registry.errors == []
        assert registry.pages == {"double": DOUBLE_PAGE, "other": IntPage("other", "Other")}
        assert registry.plugins["pages"].pages == ["double", "other"]
        assert registry.plugins["pages"].hooks == ["register_pages"]
        assert isinstance(DOUBLE_PAGE, PageContract)

    def test_a_duplicate_page_is_refused_naming_the_first_owner(self) -> None:
        registry = registry_of(("a", PagesPlugin(DOUBLE_PAGE)), ("b", PagesPlugin(IntPage("double", "Again"))))
        assert messages(registry) == ["plugin 'b': duplicate page 'double': already registered by 'a'"]
        assert registry.pages["double"] is DOUBLE_PAGE

    @pytest.mark.parametrize(
        ("contract", "message"),
        [
            (object(), "a page contract needs `url_path`, `title` and a `link(values)` method; got object"),
            (IntPage("", "Blank"), "`url_path` must be a non-empty URL segment without slashes at its ends; got ''"),
            (IntPage("/double", "Slash"), "without slashes at its ends; got '/double'"),
            (IntPage("double", " "), "page contract 'double': `title` must be non-empty text"),
        ],
    )
    def test_an_invalid_contract_is_reported_and_skipped(self, contract: Any, message: str) -> None:
        registry = registry_of(("bad", PagesPlugin(contract)), ("good", PagesPlugin(IntPage("other", "Other"))))
        (error,) = messages(registry)
        assert error.startswith("plugin 'bad': invalid page contract: ")
        assert message in error
        assert list(registry.pages) == ["other"]

    def test_pages_register_before_exercises_whatever_the_plugin_order(self) -> None:
        # The exercises' plugin is added first; its link is still checked against the page.
        registry = registry_of(("ex", ExercisesPlugin(linked())), ("pages", PagesPlugin(DOUBLE_PAGE)))
        assert registry.errors == []
        assert registry.get("demo.double").dashboard.contract is DOUBLE_PAGE


class TestLinksAtRegistration:
    def test_unknown_page_is_an_error_naming_the_exercise_and_listing_the_pages(self) -> None:
        registry = registry_of(("pages", PagesPlugin(DOUBLE_PAGE)), ("mine", ExercisesPlugin(linked("no-such-page"))))
        assert messages(registry) == [
            "plugin 'mine': exercise 'demo.double': dashboard link to unknown page 'no-such-page'; "
            "the pages are double"
        ]
        assert "demo.double" not in registry.exercises

    def test_unknown_key_names_the_exercise_page_and_key(self) -> None:
        exercise = linked(query=lambda p: {"x": p["x"], "y": 1})
        registry = registry_of(("pages", PagesPlugin(DOUBLE_PAGE)), ("mine", ExercisesPlugin(exercise)))
        assert messages(registry) == [
            "plugin 'mine': exercise 'demo.double': dashboard link to page 'double': "
            "page 'double': unknown key 'y'; valid keys: x"
        ]

    def test_value_out_of_bounds_names_the_bound(self) -> None:
        # Seed 0 draws some x in [1, 1000); 2x + 1000 is above the page's bound of 999.
        exercise = linked(query=lambda p: {"x": 2 * p["x"] + 1000})
        registry = registry_of(("pages", PagesPlugin(DOUBLE_PAGE)), ("mine", ExercisesPlugin(exercise)))
        (error,) = messages(registry)
        assert error.startswith("plugin 'mine': exercise 'demo.double': dashboard link to page 'double': ")
        assert "x must be an integer in [1, 999]" in error

    def test_one_bad_link_does_not_stop_the_others(self) -> None:
        good, bad = linked(), linked("nowhere", exercise_id="demo.lost")
        registry = registry_of(("pages", PagesPlugin(DOUBLE_PAGE)), ("mine", ExercisesPlugin(bad, good)))
        assert list(registry.exercises) == ["demo.double"]
        assert len(registry.errors) == 1

    def test_without_any_contract_links_are_not_checked(self) -> None:
        registry = registry_of(("mine", ExercisesPlugin(linked("no-such-page"))))
        assert registry.errors == [] and registry.pages == {}
        exercise = registry.get("demo.double")
        assert exercise.dashboard.contract is None
        assert exercise.dashboard_url({"x": 5}) == "/no-such-page?x=5"


class TestUrlsFromTheContract:
    def test_dashboard_url_is_built_by_the_contracts_link(self) -> None:
        calls: list[dict[str, object]] = []

        @dataclass(frozen=True)
        class Recording(IntPage):
            def link(self, values: Mapping[str, object]) -> str:
                calls.append(dict(values))
                return f"double?shown={values['x']}"  # not what urlencode would write

        registry = registry_of(("pages", PagesPlugin(Recording("double", "D", {"x": (1, 999)}))), ("m", ExercisesPlugin(linked())))
        assert registry.errors == []
        calls.clear()
        assert registry.get("demo.double").dashboard_url({"x": 7}) == "/double?shown=7"
        assert calls == [{"x": 7}]

    def test_the_registered_exercise_equals_the_plugins_own(self) -> None:
        exercise = linked()
        registry = registry_of(("pages", PagesPlugin(DOUBLE_PAGE)), ("m", ExercisesPlugin(exercise)))
        # Bound to the contract, and still equal: the contract is not part of its identity.
        assert registry.get("demo.double") == exercise
        assert exercise.dashboard.contract is None


class TestCheck:
    def test_check_reports_every_variant_whose_link_the_page_refuses(self) -> None:
        # x >= 500 makes 2x exceed the bound: about half the variants fail, seed 0 may pass.
        exercise = linked(query=lambda p: {"x": 2 * p["x"]})
        result = check_exercise(exercise, n_variants=20, pages={"double": DOUBLE_PAGE})
        assert result.problems, "some of 20 variants draw x >= 500"
        assert len(result.problems) < 20
        for problem in result.problems:
            assert problem.startswith("variant ")
            assert "exercise 'demo.double': dashboard link to page 'double': " in problem
            assert "x must be an integer in [1, 999]" in problem

    def test_check_refuses_a_link_to_no_such_page(self) -> None:
        result = check_exercise(linked("no-such-page"), n_variants=3, pages={"double": DOUBLE_PAGE})
        assert result.problems == [
            "exercise 'demo.double': dashboard link to unknown page 'no-such-page'; the pages are double"
        ]

    def test_run_checks_uses_the_registrys_pages_and_reports_a_refused_registration(self) -> None:
        registry = registry_of(
            ("pages", PagesPlugin(DOUBLE_PAGE)), ("mine", ExercisesPlugin(linked(), linked("no-such-page", exercise_id="demo.lost")))
        )
        report = run_checks(registry, n_variants=5)
        assert [r.exercise_id for r in report.results] == ["demo.double"]
        assert report.notes == []
        assert not report.ok
        assert any("unknown page 'no-such-page'" in e for e in report.load_errors)

    def test_check_says_when_no_contract_is_registered(self) -> None:
        report = run_checks(registry_of(("mine", ExercisesPlugin(linked("anything")))), n_variants=2)
        assert report.ok
        assert report.notes == [NO_PAGES_NOTE]
        assert report.to_text() == "demo.double: ok (2 distinct of 2 variants)\n1 of 1 exercises passed"
        assert report.to_dict()["notes"] == [NO_PAGES_NOTE]


@pytest.mark.parametrize("with_pages", [False, True])
def test_probstats_check_prints_the_note_on_stderr(
    with_pages: bool, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from grader.cli import main

    plugins = [("pages", PagesPlugin(DOUBLE_PAGE))] if with_pages else []
    registry = registry_of(*plugins, ("mine", ExercisesPlugin(linked())))
    monkeypatch.setattr("grader.cli.load_exercises", lambda: registry)
    code = main(["check", "--variants", "1"])
    out, err = capsys.readouterr()
    assert code == 0
    assert (NO_PAGES_NOTE in err.splitlines()) is not with_pages
    assert NO_PAGES_NOTE not in out


class TestBuiltinsFromOurEntryPoints:
    def test_our_distribution_declares_the_builtins_as_entry_points(self) -> None:
        ours = [
            ep for ep in importlib.metadata.entry_points(group="probstats.exercises")
            if ep.dist is not None and ep.dist.name.lower().replace("_", "-") == OWN_DISTRIBUTION
        ]
        assert {ep.name: ep.value for ep in ours}["exercises"] == "exercises"

    def test_each_module_with_hooks_is_a_plugin_named_by_module(self) -> None:
        registry = build_registry(autoload=False, plugins_dir="")
        builtin = {name for name, info in registry.plugins.items() if info.source == "built-in"}
        assert "exercises.interview" in builtin or any(n.startswith("exercises.interview.") for n in builtin)
        assert "exercises" not in builtin  # the package itself defines no hook
        assert "exercises._params" not in builtin
        for name in builtin:
            assert registry.plugins[name].hooks, f"{name} is listed without any hook"

    def test_grader_no_longer_names_the_builtin_package(self) -> None:
        import grader.plugins

        assert not hasattr(grader.plugins, "BUILTIN_PACKAGE")


class TestPackageWalk:
    """A built-in entry point naming a package: every module a plugin, errors per module."""

    @pytest.fixture
    def fake_package(self, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
        root = tmp_path / "fakebuiltins"
        (root / "deeper" / "deepest").mkdir(parents=True)
        hook = (
            "from grader import hookimpl\n"
            "from tests.grader.helpers import ExercisesPlugin, PagesPlugin, doubling\n\n"
            "@hookimpl\n"
            "def register_exercises(register):\n"
            "    register(doubling({id!r}))\n"
        )
        (root / "__init__.py").write_text("from fakebuiltins.one import register_exercises  # re-export\n")
        (root / "one.py").write_text(hook.format(id="fake.one"))
        (root / "broken.py").write_text("raise RuntimeError('broken on purpose')\n")
        (root / "helpers.py").write_text("VALUE = 1\n")
        (root / "_private.py").write_text(hook.format(id="fake.private"))
        (root / "deeper" / "__init__.py").write_text("")
        (root / "deeper" / "two.py").write_text(hook.format(id="fake.two"))
        (root / "deeper" / "deepest" / "__init__.py").write_text(hook.format(id="fake.three"))
        monkeypatch.syspath_prepend(str(tmp_path))
        entry = importlib.metadata.EntryPoint("fake", "fakebuiltins", "probstats.exercises")
        monkeypatch.setattr("grader.plugins._scan_entry_points", lambda: [entry])
        monkeypatch.setattr("grader.plugins._is_own", lambda ep: ep is entry)
        yield "fakebuiltins"
        for name in [m for m in sys.modules if m.startswith("fakebuiltins")]:
            sys.modules.pop(name)

    def test_modules_found_recursively_and_errors_attributed(self, fake_package: str) -> None:
        registry = build_registry(autoload=False, plugins_dir="")
        builtin = sorted(n for n, i in registry.plugins.items() if i.source == "built-in")
        assert builtin == [
            "fakebuiltins.broken",
            "fakebuiltins.deeper.deepest",
            "fakebuiltins.deeper.two",
            "fakebuiltins.one",
        ]
        assert messages(registry) == [
            "plugin 'fakebuiltins.broken': failed to import: RuntimeError: broken on purpose"
        ]
        # The re-export in the package's __init__ does not register fake.one twice.
        assert sorted(registry.exercises) == ["fake.one", "fake.three", "fake.two"]
        assert registry.owner("fake.two") == "fakebuiltins.deeper.two"

    def test_builtins_load_even_with_autoload_off_and_not_with_builtin_false(self, fake_package: str) -> None:
        assert "fake.one" in build_registry(autoload=False, plugins_dir="").exercises
        assert build_registry(builtin=False, autoload=False, plugins_dir="").exercises == {}
