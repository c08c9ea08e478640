"""Helpers shared by the browser tests."""

from __future__ import annotations

import re

#: The course secret of the served app, so tests can compute a student's variant.
E2E_SECRET = "e2e-secret"


def wait_for_app(page: object, timeout: float = 30_000) -> None:
    """Wait until streamlit has rendered the page and finished running the script."""
    page.wait_for_selector('[data-testid="stMain"]', timeout=timeout)  # type: ignore[attr-defined]
    # The status widget shows "Running..." while the script runs; wait for it to go.
    page.wait_for_function(  # type: ignore[attr-defined]
        """() => !document.querySelector('[data-testid="stStatusWidget"]')""", timeout=timeout
    )
    page.wait_for_timeout(300)  # type: ignore[attr-defined]


def frame_number(counter: object) -> int:
    """The frame an animation player's counter ("frame i / n") shows."""
    text = counter.inner_text()  # type: ignore[attr-defined]
    match = re.fullmatch(r"frame (\d+) / \d+", text)
    assert match, text
    return int(match.group(1))


def play_pause_and_step(page: object, player: object, last: int, fps: int, timeout: float = 30_000) -> int:
    """Check one animation player's controls from frame 0 of 0..``last``; return where it paused.

    Play at ``fps`` must advance, Pause must hold the frame (three frames' worth of waiting
    brings none), Step and Step back move by one.
    """
    # Imported here: conftest imports this module before it checks that playwright exists.
    from playwright.sync_api import expect

    counter = player.get_by_test_id("frame-counter")  # type: ignore[attr-defined]
    expect(counter).to_have_text(f"frame 0 / {last}", timeout=timeout)
    player.get_by_label("Speed").select_option(str(fps))  # type: ignore[attr-defined]
    player.get_by_role("button", name="Play").click()  # type: ignore[attr-defined]
    expect(counter).not_to_have_text(f"frame 0 / {last}", timeout=timeout)
    player.get_by_role("button", name="Pause").click()  # type: ignore[attr-defined]
    paused = frame_number(counter)
    assert 0 < paused < last
    page.wait_for_timeout(3000 / fps)  # type: ignore[attr-defined]
    assert frame_number(counter) == paused
    player.get_by_role("button", name="Step", exact=True).click()  # type: ignore[attr-defined]
    expect(counter).to_have_text(f"frame {paused + 1} / {last}")
    player.get_by_role("button", name="Step back").click()  # type: ignore[attr-defined]
    expect(counter).to_have_text(f"frame {paused} / {last}")
    return paused
