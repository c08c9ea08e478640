"""``probstats new-exercise NAME``: write a working exercise plugin package.

The package has a ``pyproject.toml`` declaring the ``probstats.exercises`` entry point,
one exercise computed with core (with a misconception), a README and a test. After
``pip install -e <folder>`` the exercise appears in ``probstats exercises``.
"""

from __future__ import annotations

import re
from pathlib import Path
from string import Template

__all__ = ["ScaffoldError", "write_plugin_package"]

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class ScaffoldError(ValueError):
    """The package cannot be written (bad name, folder exists)."""


_PYPROJECT = Template('''\
[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "$dist"
version = "0.1.0"
description = "ProbStats exercises on $name"
requires-python = ">=3.11"
dependencies = ["probstats-lab"]

[project.entry-points."probstats.exercises"]
$name = "$module"

[tool.setuptools]
packages = ["$module"]
''')

_MODULE = Template('''\
"""ProbStats exercises on $name (a plugin package made by `probstats new-exercise`)."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from core.information import entropy
from grader import DashboardLink, Exercise, Misconception, Number, Params, hookimpl


def _coin(rng: np.random.Generator) -> Params:
    """One variant: the probability of heads, 0.05 to 0.95 in hundredths."""
    return {"p": int(rng.integers(5, 96)) / 100}


def _probs(params: Params) -> np.ndarray:
    return np.array([params["p"], 1.0 - params["p"]])


def _page_inputs(params: Params) -> dict[str, str]:
    """The Entropy & perplexity page's inputs: the two outcomes and P's logits.

    The logits are log-probabilities, so the page's softmax gives back p and 1 - p;
    they are the problem's input, not its answer.
    """
    p = params["p"]
    return {"tokens": "heads, tails", "p_logits": f"{math.log(p):.6g}, {math.log(1 - p):.6g}"}


COIN_ENTROPY = Exercise(
    id="$name.coin_entropy",
    title="Entropy of a biased coin",
    generate=_coin,
    prompt="A coin lands heads with probability **{p}**. What is the entropy of one flip, in bits?",
    solve=lambda params: entropy(_probs(params), base=2),
    answer=Number(rtol=1e-3),
    misconceptions=(
        Misconception(
            "nats_for_bits",
            "You used the natural logarithm, which gives nats; in bits use log base 2.",
            lambda params: entropy(_probs(params)),
        ),
    ),
    # A page's url_path and the query keys its contract declares (docs/plugins.md lists them).
    dashboard=DashboardLink("entropy", _page_inputs),
)


@hookimpl
def register_exercises(register: Callable[[Exercise], None]) -> None:
    register(COIN_ENTROPY)
''')

_TEST = Template('''\
"""Tests of the $name exercises: run `python -m pytest` in this folder."""

import math

import $module
from grader import build_registry, check_exercise
from $module import COIN_ENTROPY


def test_the_plugin_registers_without_errors():
    registry = build_registry(builtin=False, autoload=False, extra_plugins=[("$module", $module)])
    assert registry.errors == []
    assert list(registry.exercises) == ["$name.coin_entropy"]


def test_probstats_check_passes():
    result = check_exercise(COIN_ENTROPY, n_variants=50)
    assert result.problems == []


def test_known_values():
    # Closed form: H(p) = -p log2 p - (1 - p) log2(1 - p); H(1/2) = 1 bit.
    assert math.isclose(COIN_ENTROPY.solve({"p": 0.5}), 1.0)
    expected = -(0.1 * math.log2(0.1) + 0.9 * math.log2(0.9))
    assert math.isclose(COIN_ENTROPY.solve({"p": 0.1}), expected)
''')

_README = Template('''\
# $dist

ProbStats exercises on **$name**, made by `probstats new-exercise $name`.

    pip install -e .                 # registers the entry point probstats.exercises:$name
    probstats exercises              # $name.coin_entropy is listed
    probstats check --exercise $name.coin_entropy
    python -m pytest tests

Add exercises in `$module/__init__.py` and register them in `register_exercises`.
See the instructor's guide, docs/plugins.md, for every hook.
''')


def write_plugin_package(name: str, parent: Path) -> Path:
    """Write the package ``probstats-NAME`` under ``parent``; return its folder.

    Raises
    ------
    ScaffoldError
        If ``name`` is not a lower-case identifier or the folder already exists.
    """
    if not _NAME.match(name):
        raise ScaffoldError(
            f"`NAME` must be a lower-case identifier (letters, digits, underscores); got {name!r}"
        )
    dist = "probstats-" + name.replace("_", "-")
    module = f"probstats_{name}"
    folder = Path(parent) / dist
    if folder.exists():
        raise ScaffoldError(f"{folder} already exists")
    values = {"name": name, "dist": dist, "module": module}
    files = {
        folder / "pyproject.toml": _PYPROJECT,
        folder / module / "__init__.py": _MODULE,
        folder / "tests" / f"test_{name}.py": _TEST,
        folder / "README.md": _README,
    }
    for path, template in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(template.substitute(values), encoding="utf-8")
    return folder
