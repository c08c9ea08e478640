"""The dashboard's layout rules: small modules, short ``__all__``, every cache bounded."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.common.limits import CACHE_ENTRIES
from dashboard.common.pages import DASHBOARD_DIR

MAX_LINES = 500
MAX_EXPORTS = 25
MODULES = sorted(p for p in DASHBOARD_DIR.rglob("*.py") if "__pycache__" not in p.parts)


def _name(path: Path) -> str:
    return path.relative_to(DASHBOARD_DIR).as_posix()


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_no_module_is_over_the_line_limit(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_LINES


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_no_all_is_over_the_export_limit(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
                assert isinstance(node.value, ast.List) and len(node.value.elts) <= MAX_EXPORTS


def test_every_topic_folder_has_its_four_modules():
    for folder in sorted((DASHBOARD_DIR / "topics").iterdir()):
        if folder.is_dir() and folder.name not in ("home", "__pycache__"):
            assert {"page.py", "compute.py", "charts.py", "params.py"} <= {p.name for p in folder.iterdir()}, folder.name


COMPUTE = [p for p in MODULES if p.name == "compute.py"]


@pytest.mark.parametrize("path", COMPUTE, ids=_name)
def test_every_cache_is_bounded(path):
    source = path.read_text(encoding="utf-8")
    decorators = re.findall(r"@st\.cache_data\((.*?)\)", source)
    # Every cache_data in the module was matched with its arguments (none is bare).
    assert len(decorators) == source.count("@st.cache_data") >= 1
    assert all("max_entries=CACHE_ENTRIES" in d for d in decorators)
    assert CACHE_ENTRIES == 64


def test_the_contracts_load_without_streamlit_or_grader():
    # In a fresh interpreter: this test process has imported both already.
    code = (
        "import sys, dashboard.common.registry, dashboard.common.page_docs; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'streamlit', 'grader'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
