"""Helpers shared by the browser tests."""

from __future__ import annotations

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
