"""docs/plugins.md: every hook documented with its signature and an example that works,
every hook tested, and the worked plugin package really works."""

from __future__ import annotations

import inspect
import re
import sys
from pathlib import Path

import pytest

from grader import build_registry, check_exercise, hookspecs

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
HOOKS = {
    name: function
    for name, function in inspect.getmembers(hookspecs, inspect.isfunction)
    if hasattr(function, "probstats_spec")
}


def section(hook: str) -> str:
    """The text of the hook's section: from its heading to the next heading."""
    signature = ", ".join(inspect.signature(HOOKS[hook]).parameters)
    heading = f"### `{hook}({signature})`"
    assert heading in DOC, f"docs/plugins.md has no heading {heading}"
    rest = DOC.split(heading, 1)[1]
    return re.split(r"\n#{2,3} ", rest, maxsplit=1)[0]


def python_blocks(text: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def test_hooks_exist() -> None:
    assert set(HOOKS) == {"register_exercises", "register_answer_types", "register_pages", "submission_graded"}


@pytest.mark.parametrize("hook", sorted(HOOKS))
def test_every_hookspec_docstring_says_when_it_is_called_and_what_it_takes(hook: str) -> None:
    # Like pytest's hookspecs: the docstring says when the hook runs and documents
    # every parameter with ``:param name:``; the hook has type annotations.
    doc = inspect.getdoc(HOOKS[hook]) or ""
    assert "Called " in doc, f"{hook}'s docstring does not say when it is called"
    signature = inspect.signature(HOOKS[hook])
    for name, parameter in signature.parameters.items():
        assert f":param {name}:" in doc, f"{hook}: parameter {name} is not documented"
        assert parameter.annotation is not inspect.Parameter.empty, f"{hook}: {name} has no type"
    assert signature.return_annotation is not inspect.Signature.empty


@pytest.mark.parametrize("hook", sorted(HOOKS))
def test_every_hook_is_documented_with_parameters_and_example(hook: str) -> None:
    text = section(hook)
    for parameter in inspect.signature(HOOKS[hook]).parameters:
        assert f"- `{parameter}`" in text, f"parameter {parameter} of {hook} is not described"
    assert any(f"def {hook}(" in block for block in python_blocks(text)), f"{hook} has no example"


@pytest.mark.parametrize("hook", sorted(HOOKS))
def test_every_hook_has_a_test(hook: str) -> None:
    here = Path(__file__).name
    sources = [p.read_text() for p in Path(__file__).parent.glob("test_*.py") if p.name != here]
    assert any(hook in source for source in sources), f"no test mentions {hook}"


@pytest.mark.parametrize("hook", sorted(HOOKS))
def test_hook_examples_load_as_plugins(hook: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # the observer example writes exports.jsonl here
    folder = tmp_path / "plugins"
    folder.mkdir()
    (example,) = [b for b in python_blocks(section(hook)) if f"def {hook}(" in b]
    (folder / f"example_{hook}.py").write_text(example)
    # Without the built-ins: a page registered alone would make their links unknown pages.
    registry = build_registry(plugins_dir=folder, builtin=False)
    assert registry.errors == []
    assert registry.plugins[f"example_{hook}.py"].hooks == [hook]


def test_the_worked_plugin_package_works(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocks = python_blocks(DOC)
    (module,) = [b for b in blocks if b.startswith("# file: probstats_dice/__init__.py")]
    (tests,) = [b for b in blocks if "def test_registers_and_passes_check" in b]
    package = tmp_path / "probstats_dice"
    package.mkdir()
    (package / "__init__.py").write_text(module)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "probstats_dice", raising=False)
    namespace: dict[str, object] = {}
    exec(compile(tests, "test_dice.py", "exec"), namespace)  # the documented tests, as written
    for name, function in namespace.items():
        if name.startswith("test_") and callable(function):
            function()
    import probstats_dice

    assert check_exercise(probstats_dice.LOADED_DIE, n_variants=50).problems == []
    sys.modules.pop("probstats_dice", None)
