"""`probstats new-exercise`: the written package installs with pip and its exercise appears."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import numpy as np
import pytest

from grader import build_registry, check_exercise
from grader.scaffold import ScaffoldError, write_plugin_package


def test_package_contents_load_and_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = write_plugin_package("coins", tmp_path)
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) == [
        "README.md",
        "probstats_coins/__init__.py",
        "pyproject.toml",
        "tests/test_coins.py",
    ]
    monkeypatch.syspath_prepend(str(folder))
    import probstats_coins

    registry = build_registry(builtin=False, extra_plugins=[("probstats_coins", probstats_coins)])
    assert registry.errors == []
    assert check_exercise(registry.get("coins.coin_entropy"), n_variants=30).problems == []
    sys.modules.pop("probstats_coins", None)


@pytest.mark.parametrize("name", ["", "1abc", "has-dash", "Upper"])
def test_bad_names(name: str, tmp_path: Path) -> None:
    with pytest.raises(ScaffoldError, match=r"^`NAME` must be a lower-case identifier"):
        write_plugin_package(name, tmp_path)


def test_pip_install_e_makes_it_appear_in_probstats_exercises(tmp_path: Path) -> None:
    """A real editable install into a throwaway venv that sees this project's packages."""
    folder = write_plugin_package("scaffold_demo", tmp_path)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()
    # Make the project's environment (numpy, pluggy, pip, setuptools, our editable install)
    # visible to the new venv; addsitedir also processes that folder's .pth files.
    ours = sysconfig.get_paths()["purelib"]
    Path(site, "probstats_parent_env.pth").write_text(f"import site; site.addsitedir({ours!r})\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PROBSTATS_")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation", "--no-index", "-e", str(folder)],
        check=True, env=env, cwd=tmp_path, capture_output=True,
    )
    listed = subprocess.run(
        [python, "-m", "grader", "exercises", "--json"],
        capture_output=True, text=True, env=env, cwd=tmp_path, check=False,
    )
    assert listed.returncode == 0, listed.stderr
    rows = {row["id"]: row for row in json.loads(listed.stdout)}
    assert rows["scaffold_demo.coin_entropy"]["plugin"] == "scaffold_demo"
    checked = subprocess.run(
        [python, "-m", "grader", "check", "--variants", "5", "--exercise", "scaffold_demo.coin_entropy"],
        capture_output=True, text=True, env=env, cwd=tmp_path, check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    tests = subprocess.run(
        [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(folder / "tests")],
        capture_output=True, text=True, env=env, cwd=folder, check=False,
    )
    assert tests.returncode == 0, tests.stdout + tests.stderr


def test_the_scaffold_links_the_entropy_page_with_its_inputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The Entropy & perplexity page (url_path "entropy") binds `tokens` and `p_logits`;
    # the page that the scaffold used to name, "information", does not exist.
    folder = write_plugin_package("coinlink", tmp_path)
    monkeypatch.syspath_prepend(str(folder))
    import probstats_coinlink

    exercise = probstats_coinlink.COIN_ENTROPY
    assert exercise.dashboard is not None and exercise.dashboard.page == "entropy"
    query = dict(parse_qsl(urlsplit(exercise.dashboard_url({"p": 0.3})).query))
    assert set(query) == {"tokens", "p_logits"}
    assert [t.strip() for t in query["tokens"].split(",")] == ["heads", "tails"]
    # The logits are the inputs: their softmax gives back p and 1 - p (to the 6 digits
    # written), and no entropy (the answer, 0.881 bits for p = 0.3) is in the link.
    logits = np.array([float(x) for x in query["p_logits"].split(",")])
    probs = np.exp(logits) / np.exp(logits).sum()
    np.testing.assert_allclose(probs, [0.3, 0.7], rtol=1e-5)
    assert "0.881" not in exercise.dashboard_url({"p": 0.3})
    sys.modules.pop("probstats_coinlink", None)
