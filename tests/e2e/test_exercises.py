"""A student submits on the Exercises page in a real browser: right, then wrong; and a code
answer typed in the line-numbered code editor."""

from __future__ import annotations

import math
import os
import re

import pytest
from playwright.sync_api import expect

from grader import load_exercises, variant_for
from tests.e2e.helpers import E2E_SECRET, wait_for_app
from tests.sandbox import need_sandbox

pytestmark = pytest.mark.e2e

Q3 = "interview.perplexity_from_nll"
KL = "code.kl_divergence"
#: Six lines, typed key by key: the indents with Tab (four spaces each).
KL_CODE = """import numpy as np
def kl_divergence(p, q):
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    if np.any(q[p > 0] == 0):
        return float("inf")
    return float(np.sum(p[p > 0] * np.log(p[p > 0] / q[p > 0])))"""


def submit(page, answer: str) -> None:
    box = page.get_by_label("Your answer")
    box.fill(answer)
    page.get_by_role("button", name="Submit").click()


def test_right_then_wrong_answer_shows_score_and_misconception(app_url, page):
    student = "e2e-alice"
    nll = variant_for(student, load_exercises().get(Q3), secret=E2E_SECRET).params["nll"]
    page.goto(f"{app_url}/exercises?student={student}&exercise={Q3}")
    wait_for_app(page)
    # The personal variant. The module's first page view imports the catalogue on a cold
    # server, which on a loaded 2-core machine outlasts expect's default 5 s.
    expect(page.get_by_text(f"{nll:.2f} nats").first).to_be_visible(timeout=30_000)

    submit(page, repr(math.exp(nll)))  # perplexity = e^NLL, computed here
    score = page.locator('[data-testid="stMetric"]', has_text="Score").locator('[data-testid="stMetricValue"]')
    expect(score).to_have_text("100%", timeout=20_000)

    submit(page, f"2**{nll}")  # the NLL read as bits
    expect(score).to_have_text("0%", timeout=20_000)
    expect(page.get_by_text("as if the NLL were in bits").first).to_be_visible()
    expect(page.get_by_text("Recognised misconception").first).to_be_visible()
    assert page.locator('[data-testid="stException"]').count() == 0


def type_with_tabs(page, code: str) -> None:
    """Type ``code`` as a person would: Tab for each indent of four spaces, Enter between lines."""
    for i, line in enumerate(code.split("\n")):
        if i:
            page.keyboard.press("Enter")
        body = line.lstrip(" ")
        for _ in range((len(line) - len(body)) // 4):
            page.keyboard.press("Tab")
        page.keyboard.type(body)


def test_a_code_answer_typed_in_the_editor_is_numbered_and_graded(app_url, page, tmp_path):
    need_sandbox()  # the local pool grades in bubblewrap
    page.goto(f"{app_url}/exercises?student=e2e-carol&exercise={KL}")
    wait_for_app(page)
    frame = page.locator('iframe[title*="code_editor"]')
    expect(frame).to_be_visible(timeout=30_000)
    editor = page.frame_locator('iframe[title*="code_editor"]')
    area = editor.get_by_label("Your code: define kl_divergence(p, q)")
    gutter = editor.get_by_test_id("line-numbers")
    expect(area).to_have_value(re.compile(r"def kl_divergence\(p, q\):"), timeout=30_000)
    expect(editor.get_by_text("Shift+Tab or Esc leaves the editor")).to_be_visible()

    area.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    expect(gutter).to_have_text("1")
    type_with_tabs(page, KL_CODE)
    expect(area).to_have_value(KL_CODE)  # Tab inserted four spaces and kept the focus
    expect(gutter).to_have_text("\n".join(str(n) for n in range(1, 7)))
    page.keyboard.press("Shift+Tab")  # leaves the editor (and sends its text)
    expect(area).not_to_be_focused()
    expect(area).to_have_attribute("data-sent", "yes")
    shots = os.environ.get("PROBSTATS_SCREENSHOTS") or str(tmp_path)
    frame.screenshot(path=os.path.join(shots, "code_editor.png"))

    page.get_by_role("button", name="Submit").click()
    score = page.locator('[data-testid="stMetric"]', has_text="Score").locator('[data-testid="stMetricValue"]')
    expect(score).to_have_text("100%", timeout=30_000)
    # The graded code is what was typed, shown numbered beside the checks' table.
    submitted = page.locator('[data-testid="stCode"]', has_text='return float("inf")')
    expect(submitted).to_contain_text(KL_CODE.splitlines()[2].strip())
    # The checks' table sits beside it (glide's grid keeps an accessible copy of its cells).
    checks = page.locator('[data-testid="stDataFrame"]').first
    expect(checks).to_contain_text("zeros in p")
    expect(checks).to_contain_text("correct")
    page.screenshot(path=os.path.join(shots, "code_editor_graded.png"), full_page=True)
    assert page.locator('[data-testid="stException"]').count() == 0


def test_the_gutter_scrolls_with_a_long_answer_and_esc_leaves_the_editor(app_url, page):
    page.goto(f"{app_url}/exercises?student=e2e-dan&exercise={KL}")
    wait_for_app(page)
    editor = page.frame_locator('iframe[title*="code_editor"]')
    area = editor.locator("textarea")
    gutter = editor.get_by_test_id("line-numbers")
    expect(area).to_be_visible(timeout=30_000)
    lines = [f"x{i} = {i}" for i in range(1, 41)]  # 40 lines: more than the area shows
    area.fill("\n".join(lines))
    expect(gutter).to_have_text("\n".join(str(n) for n in range(1, 41)))
    area.press("Control+A")
    area.press("Tab")  # a selection of many lines: each is indented
    expect(area).to_have_value("\n".join("    " + line for line in lines))
    area.evaluate("e => { e.scrollTop = e.scrollHeight; e.dispatchEvent(new Event('scroll')); }")
    scrolled = area.evaluate("e => e.scrollTop")
    assert scrolled > 0
    # Same line height and padding: equal offsets keep each number level with its line.
    expect(gutter).to_have_js_property("scrollTop", scrolled)
    area.press("Escape")
    expect(area).not_to_be_focused()
