"""The repository needs nothing outside itself: no test, doc or README cites a file of
the team's checkout, and the dev requirements include what building a plugin needs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OUTSIDE = re.compile(r"\.\./shared|shared/seed|DESIGN\.md")


def _texts() -> list[Path]:
    files = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    files += [p for p in sorted((ROOT / "tests").rglob("*")) if p.suffix in (".py", ".json", ".md")]
    return [p for p in files if p != Path(__file__).resolve()]


@pytest.mark.parametrize("path", _texts(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_reference_to_files_outside_the_repo(path: Path) -> None:
    hits = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if OUTSIDE.search(line)
    ]
    assert hits == []


def test_dev_requirements_can_build_a_plugin_package() -> None:
    # The plugin-install tests build a setuptools package; a fresh venv may have neither.
    lines = [line.split("#")[0].strip() for line in (ROOT / "requirements-dev.txt").read_text().splitlines()]
    assert "setuptools>=68" in lines
    assert "wheel" in lines


def test_the_architecture_page_and_the_course_data_are_in_the_repo() -> None:
    assert (ROOT / "docs" / "architecture.md").is_file()
    assert (ROOT / "tests" / "data" / "course_examples.json").is_file()
    assert (ROOT / "tests" / "data" / "reference_values.json").is_file()


def test_every_course_example_names_its_section() -> None:
    from tests.course import course_example

    data = json.loads((ROOT / "tests" / "data" / "course_examples.json").read_text(encoding="utf-8"))
    for name in data["examples"]:
        section = course_example(name)["section"]
        assert re.match(r"^\d\. ", section), (name, section)
    with pytest.raises(KeyError, match="no course example 'q99'"):
        course_example("q99")
