"""The MCMC page's warm-up player in a real browser: one click sets up NUTS with Stan's and
nutpie's adaptation side by side, and each player plays, pauses, steps both ways and
scrubs, drawing the step-size path up to the frame shown."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import play_pause_and_step, wait_for_app

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

TIMEOUT = 60_000
N_WARMUP = 200  # every iteration is a frame: frames 0..199
LAST = N_WARMUP - 1
# The warm-up's players (keys warmup-animation-<side>), not the "Watch it move" ones above.
PLAYERS = '[class*="st-key-warmup-animation-"] iframe[title*="animation"]'


def check_controls(page, player) -> None:
    """Play, pause, step, step back and scrub one player, its drawing following the frame."""
    counter = player.get_by_test_id("frame-counter")
    expect(counter).to_have_text(f"frame 0 / {LAST}", timeout=TIMEOUT)
    expect(player.get_by_label("Speed")).to_have_value("30")  # the page's starting speed
    play_pause_and_step(page, player, LAST, 30, timeout=TIMEOUT)
    player.get_by_label("Frame").fill("100")
    expect(counter).to_have_text(f"frame 100 / {LAST}")
    # Each chain's step-size line runs through frames 0..100: 101 points.
    points = player.locator("polyline").first.get_attribute("points")
    assert points is not None and len(points.split(" ")) == 101
    expect(player.locator("rect.metric-bar")).to_have_count(2)  # one per coordinate
    assert player.locator("rect.window").count() >= 2  # the windows, shaded


def test_stan_and_fisher_warmups_play_side_by_side(app_url, page, tmp_path):
    page.goto(f"{app_url}/mcmc?sampler=NUTS&n_warmup={N_WARMUP}&n_draws=100&seed=2")
    wait_for_app(page, timeout=TIMEOUT)
    expect(page.locator(PLAYERS)).to_have_count(1, timeout=TIMEOUT)
    page.get_by_role("button", name="Compare Stan's and nutpie's adaptation side by side").click()
    wait_for_app(page, timeout=TIMEOUT)
    expect(page.locator(PLAYERS)).to_have_count(2, timeout=TIMEOUT)
    assert "adaptation_b=fisher" in page.url and "compare=true" in page.url
    players = [page.frame_locator(PLAYERS).nth(i) for i in range(2)]
    for player in players:
        check_controls(page, player)
    # Stan's 200 warm-up iterations have two windows (75-100, 100-150); nutpie
    # switches every 10 moved draws early on: the left player shades fewer windows.
    windows = [p.locator("rect.window").count() for p in players]
    assert windows[0] < windows[1]
    # Stan's mass matrix holds within a window and changes as it closes: the metric from
    # iterations 75..99 takes effect at iteration 100 (frame 100).
    bar = players[0].locator("rect.metric-bar").first
    heights = []
    for frame in (98, 99, 100):
        players[0].get_by_label("Frame").fill(str(frame))
        expect(players[0].get_by_test_id("frame-counter")).to_have_text(f"frame {frame} / {LAST}")
        heights.append(bar.get_attribute("height"))
    assert heights[0] == heights[1] != heights[2]
    for player in players:
        player.get_by_label("Frame").fill("100")  # both mid warm-up for the screenshot
    shots = os.environ.get("PROBSTATS_SCREENSHOTS") or str(tmp_path)
    section = page.get_by_role("heading", name="Watch the warm-up")
    section.scroll_into_view_if_needed()
    boxes = [page.locator(PLAYERS).nth(i).bounding_box() for i in range(2)]
    top = min(b["y"] for b in boxes) - 40
    page.screenshot(path=os.path.join(shots, "warmup-stan-vs-fisher.png"), full_page=True, clip={
        "x": 0, "y": top + page.evaluate("window.scrollY"), "width": page.viewport_size["width"],
        "height": max(b["y"] + b["height"] for b in boxes) - top + 60})
