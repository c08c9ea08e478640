"""The code editor component's Python side: checked input, the initial text until a
browser sends one, and a static front end that speaks Streamlit's protocol by hand."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.common import code_editor as ed
from tests.dashboard.helpers import code_editor_args

FRONTEND = Path(ed.__file__).parent / "frontend"


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"value": 3}, TypeError, "`value` must be a str; got int"),
        ({"key": None}, TypeError, "`key` must be a str; got NoneType"),
        ({"label": b"x"}, TypeError, "`label` must be a str; got bytes"),
        ({"key": ""}, ValueError, "`key` must be a non-empty str"),
        ({"value": "x" * (ed.MAX_CHARS + 1)}, ValueError, "`value` has 100,001 characters; at most 100,000"),
        ({"height": ed.MIN_HEIGHT - 1}, ValueError, "`height` must be an int of at least 60 pixels; got 59"),
        ({"height": 200.0}, ValueError, "`height` must be an int of at least 60 pixels; got 200.0"),
        ({"height": True}, ValueError, "`height` must be an int of at least 60 pixels; got True"),
    ],
)
def test_code_editor_rejects_bad_input(kwargs, error, match):
    args = {"value": "x = 1\n", "key": "k", **kwargs}
    with pytest.raises(error, match=match):
        ed.code_editor(args.pop("value"), **args)


def _app() -> None:
    import streamlit as st

    from dashboard.common.code_editor import code_editor

    with st.form("form"):
        text = code_editor("def f(x):\n    return x\n", key="ed", label="Your code", height=120)
        st.form_submit_button("Submit")
    st.text(f"got {text!r}")


def test_the_editor_returns_its_initial_text_until_the_browser_sends_one():
    at = AppTest.from_function(_app).run()
    assert not at.exception
    assert code_editor_args(at, "ed") == {"value": "def f(x):\n    return x\n", "height": 120,
                                          "label": "Your code", "default": None, "key": "ed"}
    assert at.text[0].value == "got 'def f(x):\\n    return x\\n'"
    # What the browser's setComponentValue stores under the key is what the page gets.
    at.session_state["ed"] = "def f(x):\n    return 2 * x\n"
    at = at.button[0].click().run()
    assert at.text[0].value == "got 'def f(x):\\n    return 2 * x\\n'"
    # Anything but text is not trusted: the initial text stands.
    at.session_state["ed"] = {"not": "text"}
    assert at.run().text[0].value == "got 'def f(x):\\n    return x\\n'"


def test_importing_the_module_declares_no_component():
    code = "import dashboard.common.code_editor as e; print(e._component.cache_info().currsize)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.strip() == "0"


def test_the_front_end_is_static_files_that_fetch_nothing():
    files = sorted(p for p in FRONTEND.rglob("*") if p.is_file())
    assert {p.name for p in files} == {"index.html", "editor.css", "editor.js"}
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text), path
        assert not re.search(r"\bhttps?://", text), path
        assert "fetch(" not in text and "import " not in text and "XMLHttpRequest" not in text, path
    script = (FRONTEND / "editor.js").read_text(encoding="utf-8")
    for message in ("streamlit:componentReady", "streamlit:render", "streamlit:setFrameHeight",
                    "streamlit:setComponentValue"):
        assert message in script
    html = (FRONTEND / "index.html").read_text(encoding="utf-8")
    # The way out of the editor is written on the page, not only in the code.
    assert "Shift+Tab or Esc leaves the editor" in html
    assert re.search(r"DEBOUNCE_MS = 300\b", script)
