"""The animation component's Python side: compact frames, checked input, a static front end."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dashboard.common import animation as anim

FRONTEND = Path(anim.__file__).parent / "frontend"


def test_curve_frames_round_and_keep_arrays():
    frames = anim.curve_frames([0.0, 0.5, 1.0], [[1, 2, 3], [0.123456, 2.0, 1 / 3]], ["a", "b"], tokens=["H"],
                               x_title="p", digits=3)
    assert frames["x"] == [0.0, 0.5, 1.0]
    assert frames["y"] == [[1.0, 2.0, 3.0], [0.123, 2.0, 0.333]]
    assert frames["labels"] == ["a", "b"] and frames["tokens"] == ["H"] and frames["x_title"] == "p"


@pytest.mark.parametrize(
    ("x", "ys", "labels", "tokens", "match"),
    [
        ([], [[1.0]], ["a"], (), "`x` must be a non-empty 1-D"),
        ([0, 1], [], [], (), "`ys` must hold at least one frame"),
        ([0, 1], [[1.0, 2.0, 3.0]], ["a"], (), r"`ys\[0\]` has 3 values but `x` has 2"),
        ([0, 1], [[1.0, float("inf")]], ["a"], (), r"`ys\[0\]` must be finite"),
        ([0, 1], [[1.0, 2.0]], ["a", "b"], (), "`labels` must have one entry per frame"),
        ([0, 1], [[1.0, 2.0], [1.0, 2.0]], ["a", "b"], ["H", "T"], "`tokens` must have one entry"),
    ],
)
def test_curve_frames_reject_bad_input(x, ys, labels, tokens, match):
    with pytest.raises(ValueError, match=match):
        anim.curve_frames(x, ys, labels, tokens=tokens)


def test_animation_checks_kind_frames_height_and_size():
    frames = anim.curve_frames([0, 1], [[1, 2]], ["a"])
    with pytest.raises(ValueError, match="`kind` must be one of"):
        anim.animation(frames, kind="scatter", key="k")
    with pytest.raises(TypeError, match="`frames` must be a mapping"):
        anim.animation([1, 2], kind="curve", key="k")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"lacks \['labels'\]"):
        anim.animation({"x": [0], "y": [[1]]}, kind="curve", key="k")
    with pytest.raises(ValueError, match="`height` must be a positive int"):
        anim.animation(frames, kind="curve", key="k", height=0)
    with pytest.raises(ValueError, match="`speed` must be one of"):
        anim.animation(frames, kind="curve", key="k", speed=3)
    big = {**frames, "labels": ["x" * (anim.MAX_PAYLOAD_CHARS + 1)]}
    with pytest.raises(ValueError, match="thin it below"):
        anim.animation(big, kind="curve", key="k")


def test_the_front_end_is_static_files_that_fetch_nothing():
    files = sorted(p for p in FRONTEND.rglob("*") if p.is_file())
    assert {p.suffix for p in files} == {".html", ".js", ".css"}
    for path in files:
        # The SVG namespace is a name, not an address anything fetches.
        text = path.read_text(encoding="utf-8").replace("http://www.w3.org/2000/svg", "")
        # No CDN, no download: no external URL in any src or href, no import or fetch.
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text), path
        assert not re.search(r"\bhttps?://", text), path
        assert "fetch(" not in text and "import " not in text and "XMLHttpRequest" not in text, path
    player = (FRONTEND / "player.js").read_text(encoding="utf-8")
    for message in ("streamlit:componentReady", "streamlit:render", "streamlit:setFrameHeight"):
        assert message in player


def test_the_speed_menu_offers_exactly_the_speeds_a_page_may_start_at():
    html = (FRONTEND / "index.html").read_text(encoding="utf-8")
    assert tuple(int(v) for v in re.findall(r'<option value="(\d+)"', html)) == anim.SPEEDS


def test_every_kind_has_a_script_that_registers_it_and_index_loads_it():
    html = (FRONTEND / "index.html").read_text(encoding="utf-8")
    loaded = re.findall(r'<script src="kinds/(\w+)\.js"></script>', html)
    assert sorted(loaded) == sorted(anim.KINDS)
    for kind in anim.KINDS:
        script = (FRONTEND / "kinds" / f"{kind}.js").read_text(encoding="utf-8")
        assert f'registerKind("{kind}"' in script


@pytest.mark.parametrize("package", ["dashboard.common.animation", "dashboard.common.code_editor"])
def test_a_wheel_ships_every_front_end_file(package):
    # An installed (non-editable) wheel carries only what pyproject's package-data names.
    import fnmatch
    import importlib
    import tomllib

    pyproject = tomllib.loads((Path(__file__).parents[3] / "pyproject.toml").read_text(encoding="utf-8"))
    globs = pyproject["tool"]["setuptools"]["package-data"][package]
    folder = Path(importlib.import_module(package).__file__).parent
    files = [p for p in (folder / "frontend").rglob("*") if p.is_file()]
    assert files
    for path in files:
        relative = path.relative_to(folder).as_posix()
        assert any(fnmatch.fnmatch(relative, g) and relative.count("/") == g.count("/") for g in globs), relative
