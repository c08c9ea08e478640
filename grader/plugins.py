"""Plugin loading: one plugin manager, every exercise source loaded through it.

Sources, in order (the first registration of an exercise id wins):

1. grader's own answer kinds (``grader.answers``), registered like any plugin;
2. the built-ins: the entry points of the group ``probstats.exercises`` declared by our
   own distribution (``probstats-lab``), which always load. An entry point naming a
   package is walked recursively: each of its modules (names not starting with ``_``)
   that defines a hook implementation is a plugin of its own, named by its module
   name, so an error is reported against the module that made it;
3. the same group's entry points of other installed distributions (turned off by
   ``PROBSTATS_DISABLE_PLUGIN_AUTOLOAD=1``; limited to some names by
   ``PROBSTATS_LOAD_PLUGINS=name1,name2``);
4. each ``*.py`` file in the folder named by ``PROBSTATS_PLUGINS_DIR`` (explicit, so it
   loads even when autoload is disabled).

Loading happens once, lazily, on the first :func:`load_exercises` call. The hooks run
in order: ``register_answer_types``, ``register_pages``, ``register_exercises``. A plugin
that fails to import, raises in a hook, registers a duplicate id, an invalid exercise,
an invalid page contract or a dashboard link its page refuses is reported by name in
:attr:`Registry.errors`; everything else still loads.
"""

from __future__ import annotations

import difflib
import importlib
import importlib.metadata
import importlib.util
import os
import pkgutil
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pluggy

from grader import hookspecs
from grader.answers import AnswerKind, Choice, MultipleChoice, Number, Record, Vector
from grader.code_answers import Code
from grader.exercise import Exercise, InvalidExercise, check_definition, smoke_test
from grader.grading import ExerciseFailure, generate_params
from grader.hookspecs import PROJECT_NAME, hookimpl
from grader.pages import PageContract, check_contract, unknown_page_message
from grader.records import LoadError

if TYPE_CHECKING:
    from grader.records import GradedSubmission

__all__ = [
    "DISABLE_AUTOLOAD_ENV",
    "ENTRY_POINT_GROUP",
    "LOAD_PLUGINS_ENV",
    "OWN_DISTRIBUTION",
    "PLUGINS_DIR_ENV",
    "LoadError",
    "PluginInfo",
    "Registry",
    "UnknownExercise",
    "build_registry",
    "create_plugin_manager",
    "get_plugin_manager",
    "load_exercises",
]

ENTRY_POINT_GROUP = "probstats.exercises"
PLUGINS_DIR_ENV = "PROBSTATS_PLUGINS_DIR"
DISABLE_AUTOLOAD_ENV = "PROBSTATS_DISABLE_PLUGIN_AUTOLOAD"
LOAD_PLUGINS_ENV = "PROBSTATS_LOAD_PLUGINS"
#: Our own distribution: its entry points are the built-ins, loaded even without autoload.
OWN_DISTRIBUTION = "probstats-lab"

#: The seed of the variant every exercise is run on once when it registers.
SMOKE_SEED = 0


class UnknownExercise(KeyError):
    """An exercise id that no plugin registered."""

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass
class PluginInfo:
    """What ``probstats plugins`` shows about one plugin."""

    name: str
    source: str
    version: str | None = None
    hooks: list[str] = field(default_factory=list)
    exercises: list[str] = field(default_factory=list)
    answer_types: list[str] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class _GraderAnswerKinds:
    """grader's own answer kinds, registered through the manager like any plugin's."""

    @hookimpl
    def register_answer_types(self, register: Callable[[type[AnswerKind]], None]) -> None:
        for kind in (Number, Vector, Choice, MultipleChoice, Record, Code):
            register(kind)


class Registry:
    """The loaded exercises and answer kinds, the plugins they came from, and load errors."""

    def __init__(self, pm: pluggy.PluginManager) -> None:
        self.pm = pm
        self.exercises: dict[str, Exercise] = {}
        self.answer_kinds: dict[str, type[AnswerKind]] = {}
        #: Page contracts by ``url_path``; empty when no plugin registers a page.
        self.pages: dict[str, PageContract] = {}
        self.plugins: dict[str, PluginInfo] = {}
        self.errors: list[LoadError] = []
        self._owners: dict[str, str] = {}

    def get(self, exercise_id: str, *, suggest: bool = True) -> Exercise:
        """The exercise with this id; :class:`UnknownExercise` if none.

        The error names a plugin that failed to load with this exercise, and otherwise
        (with ``suggest``) a close match: one of the same topic only while some plugin
        failed to load, since the id may well be that plugin's.
        """
        try:
            return self.exercises[exercise_id]
        except (KeyError, TypeError):
            raise UnknownExercise(_unknown_message(exercise_id, self, suggest=suggest)) from None

    def owner(self, exercise_id: str) -> str:
        """The name of the plugin that registered ``exercise_id``."""
        return self._owners[exercise_id]

    def topics(self) -> dict[str, list[Exercise]]:
        """Exercises grouped by topic, topics and ids sorted."""
        grouped: dict[str, list[Exercise]] = {}
        for exercise_id in sorted(self.exercises):
            exercise = self.exercises[exercise_id]
            grouped.setdefault(exercise.topic, []).append(exercise)
        return grouped

    def notify_graded(self, submission: GradedSubmission) -> list[LoadError]:
        """Call every ``submission_graded`` observer; return the failures, by plugin."""
        failures = []
        for impl in self.pm.hook.submission_graded.get_hookimpls():
            try:
                _call_impl(impl, submission=submission)
            except Exception as exc:
                failures.append(
                    LoadError(impl.plugin_name, f"submission_graded raised {_describe(exc)}")
                )
        return failures

    # -- loading -------------------------------------------------------------------

    def _error(self, plugin: str, message: str) -> None:
        self.errors.append(LoadError(plugin, message))
        if plugin in self.plugins:
            self.plugins[plugin].errors.append(message)

    def _add_plugin(self, obj: object, name: str, source: str, version: str | None) -> None:
        try:
            self.pm.register(obj, name=name)
        except Exception as exc:  # PluginValidationError, or a name/object registered twice
            self.plugins[name] = PluginInfo(name, source, version)
            self._error(name, f"invalid plugin: {_describe(exc)}")
            return
        self.plugins[name] = PluginInfo(name, source, version)

    def _register_answer_kind(self, plugin: str, kind: Any) -> None:
        if not (isinstance(kind, type) and issubclass(kind, AnswerKind)) or not isinstance(
            getattr(kind, "kind", None), str
        ):
            self._error(
                plugin,
                f"answer type must be a subclass of grader.AnswerKind with a `kind` name; got {kind!r}",
            )
            return
        owner = self._answer_owner.get(kind.kind)
        if owner is not None:
            self._error(plugin, f"duplicate answer kind {kind.kind!r}: already registered by {owner!r}")
            return
        self.answer_kinds[kind.kind] = kind
        self._answer_owner[kind.kind] = plugin
        self.plugins[plugin].answer_types.append(kind.kind)

    def _register_page(self, plugin: str, contract: Any) -> None:
        try:
            check_contract(contract)
        except (TypeError, ValueError) as exc:
            self._error(plugin, f"invalid page contract: {exc}")
            return
        owner = self._page_owner.get(contract.url_path)
        if owner is not None:
            self._error(plugin, f"duplicate page {contract.url_path!r}: already registered by {owner!r}")
            return
        self.pages[contract.url_path] = contract
        self._page_owner[contract.url_path] = plugin
        self.plugins[plugin].pages.append(contract.url_path)

    def _bind_page(self, exercise: Exercise) -> Exercise:
        """The exercise with its link bound to its page's contract (unchanged without pages)."""
        link = exercise.dashboard
        if link is None or not self.pages:
            return exercise
        contract = self.pages.get(link.page)
        if contract is None:
            raise InvalidExercise(unknown_page_message(exercise.id, link.page, self.pages))
        return replace(exercise, dashboard=replace(link, contract=contract))

    def _register_exercise(self, plugin: str, exercise: Any) -> None:
        try:
            check_definition(exercise, self.answer_kinds)
            if exercise.id in self.exercises:
                owner = self._owners[exercise.id]
                raise InvalidExercise(
                    f"duplicate exercise id {exercise.id!r}: already registered by {owner!r}"
                )
            exercise = self._bind_page(exercise)
            try:
                params = generate_params(exercise, SMOKE_SEED)
            except ExerciseFailure as exc:
                raise InvalidExercise(str(exc)) from exc
            smoke_test(exercise, params)
        except InvalidExercise as exc:
            self._error(plugin, str(exc))
            return
        self.exercises[exercise.id] = exercise
        self._owners[exercise.id] = plugin
        self.plugins[plugin].exercises.append(exercise.id)

    def _run_registration_hook(self, hook_name: str, register: Callable[[str, Any], None]) -> None:
        for impl in getattr(self.pm.hook, hook_name).get_hookimpls():
            plugin = impl.plugin_name
            self.plugins.setdefault(plugin, PluginInfo(plugin, "registered"))

            def bound(item: Any, _plugin: str = plugin) -> None:
                register(_plugin, item)

            try:
                _call_impl(impl, register=bound)
            except Exception as exc:
                self._error(plugin, f"{hook_name} raised {_describe(exc)}")

    def _load(self) -> None:
        self._answer_owner: dict[str, str] = {}
        self._page_owner: dict[str, str] = {}
        # Hook implementations whose name matches no hook (a typo) are reported and dropped.
        while True:
            try:
                self.pm.check_pending()
                break
            except pluggy.PluginValidationError as exc:
                name = self.pm.get_name(exc.plugin) or repr(exc.plugin)
                reason = str(exc).split(" in plugin ", 1)[0]  # drop pluggy's long module repr
                self._error(name, f"invalid plugin: {reason}")
                self.pm.unregister(exc.plugin)
        for name, info in self.plugins.items():
            plugin = self.pm.get_plugin(name)
            if plugin is not None:
                info.hooks = sorted(h.name for h in self.pm.get_hookcallers(plugin) or [])
        self._run_registration_hook("register_answer_types", self._register_answer_kind)
        self._run_registration_hook("register_pages", self._register_page)
        self._run_registration_hook("register_exercises", self._register_exercise)
        self.exercises = dict(sorted(self.exercises.items()))


def create_plugin_manager() -> pluggy.PluginManager:
    """A fresh plugin manager with the ``probstats`` hook specifications."""
    pm = pluggy.PluginManager(PROJECT_NAME)
    pm.add_hookspecs(hookspecs)
    return pm


def build_registry(
    *,
    plugins_dir: str | Path | None = None,
    autoload: bool | None = None,
    extra_plugins: Sequence[tuple[str, object]] = (),
    builtin: bool = True,
) -> Registry:
    """Load every plugin into a fresh manager and return the registry.

    Parameters
    ----------
    plugins_dir : str or Path, optional
        Folder of ``*.py`` plugin files; ``PROBSTATS_PLUGINS_DIR`` by default.
    autoload : bool, optional
        Load entry points of the group ``probstats.exercises``; by default unless
        ``PROBSTATS_DISABLE_PLUGIN_AUTOLOAD`` is set (to anything but ``""``/``"0"``).
    extra_plugins : sequence of (name, plugin)
        Plugin objects to register directly (used by tests and embedding code).
    builtin : bool
        Load the built-ins: the ``probstats.exercises`` entry points of our own
        distribution (``probstats-lab``), whatever ``autoload`` says.

    Returns
    -------
    Registry
    """
    registry = Registry(create_plugin_manager())
    registry._add_plugin(_GraderAnswerKinds(), "grader.answers", "grader", _our_version())
    if autoload is None:
        autoload = os.environ.get(DISABLE_AUTOLOAD_ENV, "") in ("", "0")
    if builtin or autoload:
        # One scan of the installed distributions' metadata serves both sources.
        scanned = _scan_entry_points()
        if builtin:
            _load_builtin(registry, _entry_points(scanned, own=True))
        if autoload:
            _load_entry_points(registry, _entry_points(scanned, own=False))
    if plugins_dir is None:
        plugins_dir = os.environ.get(PLUGINS_DIR_ENV) or None
    if plugins_dir is not None:
        _load_plugins_dir(registry, Path(plugins_dir))
    for name, plugin in extra_plugins:
        registry._add_plugin(plugin, name, "registered", None)
    registry._load()
    return registry


_registry: Registry | None = None
_registry_lock = threading.Lock()


def load_exercises(*, reload: bool = False) -> Registry:
    """The process-wide registry, loaded once on first use (``reload=True`` to redo it)."""
    global _registry
    with _registry_lock:
        if _registry is None or reload:
            _registry = build_registry()
        return _registry


def get_plugin_manager() -> pluggy.PluginManager:
    """The process-wide plugin manager (loads the plugins on first use)."""
    return load_exercises().pm


# -- sources ---------------------------------------------------------------------------


def _load_builtin(registry: Registry, ours: list[importlib.metadata.EntryPoint]) -> None:
    for ep in ours:
        version = ep.dist.version if ep.dist is not None else None
        plugin = _import(registry, ep.value, "built-in", version, ep.load)
        if plugin is None:
            continue
        if isinstance(plugin, ModuleType) and hasattr(plugin, "__path__"):
            _load_package(registry, plugin, version)
        else:
            name = plugin.__name__ if isinstance(plugin, ModuleType) else ep.name
            registry._add_plugin(plugin, name, "built-in", version)


def _load_package(registry: Registry, package: ModuleType, version: str | None) -> None:
    """Add each module of ``package`` (recursively) that defines a hook implementation."""
    for module in _walk(registry, package, version):
        if _defines_hooks(module):
            registry._add_plugin(module, module.__name__, "built-in", version)


def _walk(registry: Registry, package: ModuleType, version: str | None) -> Iterator[ModuleType]:
    """``package`` and its modules, depth first in name order; import errors reported per module."""
    yield package
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        name = f"{package.__name__}.{info.name}"
        module = _import(registry, name, "built-in", version, partial(importlib.import_module, name))
        if module is None:
            continue
        if info.ispkg:
            yield from _walk(registry, module, version)
        else:
            yield module


def _defines_hooks(module: ModuleType) -> bool:
    """True when ``module`` itself defines a hook implementation (re-exports do not count).

    A package that re-exports its modules' hooks would otherwise run them twice.
    """
    marker = f"{PROJECT_NAME}_impl"
    return any(
        hasattr(value, marker) and getattr(value, "__module__", None) == module.__name__
        for value in vars(module).values()
    )


def _scan_entry_points() -> list[importlib.metadata.EntryPoint]:
    """Every installed entry point of the group ``probstats.exercises``."""
    return list(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP))


def _entry_points(
    scanned: list[importlib.metadata.EntryPoint], *, own: bool
) -> list[importlib.metadata.EntryPoint]:
    """The entry points of our own distribution (``own``) or of the others, by name."""
    return sorted((ep for ep in scanned if _is_own(ep) == own), key=lambda e: e.name)


def _is_own(ep: importlib.metadata.EntryPoint) -> bool:
    if ep.dist is None:
        return False
    return ep.dist.name.lower().replace("_", "-") == OWN_DISTRIBUTION


def _load_entry_points(registry: Registry, others: list[importlib.metadata.EntryPoint]) -> None:
    wanted = _wanted_names()
    for ep in others:
        if wanted is not None and ep.name not in wanted:
            continue
        version = ep.dist.version if ep.dist is not None else None
        plugin = _import(registry, ep.name, "entry point", version, ep.load)
        if plugin is not None:
            registry._add_plugin(plugin, ep.name, "entry point", version)


def _load_plugins_dir(registry: Registry, folder: Path) -> None:
    if not folder.is_dir():
        registry.plugins[PLUGINS_DIR_ENV] = PluginInfo(PLUGINS_DIR_ENV, "plugins dir")
        registry._error(PLUGINS_DIR_ENV, f"folder {str(folder)!r} does not exist")
        return
    for path in sorted(folder.glob("*.py")):
        if path.name.startswith("_"):
            continue
        module = _import(registry, path.name, "plugins dir", None, partial(_exec_file, path))
        if module is not None:
            registry._add_plugin(module, path.name, "plugins dir", None)


def _exec_file(path: Path) -> ModuleType:
    module_name = f"probstats_plugins_dir.{path.stem}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # dataclasses and pickling look modules up here
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(module_name, None)
        raise
    return module


def _import(
    registry: Registry, name: str, source: str, version: str | None, load: Callable[[], Any]
) -> Any:
    try:
        return load()
    except Exception as exc:
        registry.plugins[name] = PluginInfo(name, source, version)
        registry._error(name, f"failed to import: {_describe(exc)}")
        return None


def _wanted_names() -> set[str] | None:
    value = os.environ.get(LOAD_PLUGINS_ENV)
    if value is None:
        return None
    return {n.strip() for n in value.split(",") if n.strip()}


def _call_impl(impl: Any, **kwargs: Any) -> Any:
    """Call one hook implementation with the arguments it declares (as pluggy does)."""
    return impl.function(*(kwargs[name] for name in impl.argnames))


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def _our_version() -> str | None:
    try:
        return importlib.metadata.version("probstats-lab")
    except importlib.metadata.PackageNotFoundError:
        return None


def _unknown_message(exercise_id: object, registry: Registry, *, suggest: bool) -> str:
    message = f"unknown exercise id {exercise_id!r}"
    if not isinstance(exercise_id, str):
        return message
    if registry.errors:
        named = [e for e in registry.errors if repr(exercise_id) in e.message]
        if named:
            return f"{message}: it did not load ({named[0]})"
        message += f" (it may belong to a plugin that failed to load: {registry.errors[0]})"
    # difflib is quadratic in the id's length: long ids get no suggestion.
    if not suggest or len(exercise_id) > _MAX_SUGGESTED_LENGTH:
        return message
    known = list(registry.exercises)
    if registry.errors:
        topic = exercise_id.split(".", 1)[0]
        known = [k for k in known if k.split(".", 1)[0] == topic]
    close = difflib.get_close_matches(exercise_id, known, n=1)
    if close:
        message += f"; did you mean {close[0]!r}?"
    return message


_MAX_SUGGESTED_LENGTH = 100
