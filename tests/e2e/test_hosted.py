"""A hosted course in a real browser: a student and an instructor log in and see their own views.

A `streamlit run` in hosted mode (``PROBSTATS_MODE=hosted``, a strong secret) on a
temporary SQLite gradebook with a roster of two students and an instructor. The
student's typed address of the Instructor page gets nothing of it; the instructor gets
the gradebook and its downloads. Single sign-on (``st.login``) runs against a local
OpenID Connect provider (oidc-provider-mock, in a thread): the identity's email is
mapped to the roster. Set ``PROBSTATS_E2E_SHOTS`` to a folder to keep screenshots of
the login page and both views.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from grader import Gradebook, grade_submission, load_exercises, parse_submission, variant_for
from tests.ci import skip_or_fail_in_ci
from tests.e2e.conftest import serve_app
from tests.e2e.helpers import wait_for_app
from tests.hosted.course import Q3, SECRET, enrol
from tests.processes import free_port

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def hosted_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    """A hosted dashboard; yields its URL and each member's token (s1, s2, t1)."""
    workdir = tmp_path_factory.mktemp("hosted")
    url = f"sqlite:///{workdir / 'gradebook.db'}"
    book = Gradebook(url)
    tokens = enrol(book)
    # s2's attempt: the instructor must see it, s1 must not.
    submission = parse_submission({"student_id": "s2", "answers": {Q3: "12345"}}, source="s2-upload")
    grade_submission(submission, load_exercises(), gradebook=book, secret=SECRET)
    book.close()
    env = {**os.environ, "PROBSTATS_DB": url, "PROBSTATS_COURSE_SECRET": SECRET, "PROBSTATS_MODE": "hosted"}
    with serve_app(workdir, env) as base:
        yield base, tokens


def shot(page, name: str) -> None:
    folder = os.environ.get("PROBSTATS_E2E_SHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def log_in(page, address: str, token: str) -> None:
    page.goto(address)
    wait_for_app(page)
    page.get_by_label("Login token").fill(token)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Logged in as").first).to_be_visible(timeout=30_000)
    wait_for_app(page)


def test_nothing_but_the_login_page_before_a_login(hosted_app, page):
    base, _ = hosted_app
    page.goto(f"{base}/instructor")
    wait_for_app(page)
    expect(page.get_by_label("Login token")).to_be_visible(timeout=30_000)
    assert page.locator('[data-testid="stSidebarNav"]').count() == 0
    assert page.get_by_text("Best points per student").count() == 0
    shot(page, "login")
    page.get_by_label("Login token").fill("nobody.wrong")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("token").nth(1)).to_be_visible(timeout=20_000)
    assert page.get_by_text("Logged in as").count() == 0


def test_a_student_sees_their_own_exercises_and_no_instructor_page(hosted_app, page):
    base, tokens = hosted_app
    # Another student's id in the address is ignored: the page works as the logged-in one.
    log_in(page, f"{base}/exercises?exercise={Q3}&student=s2", tokens["s1"])
    nav = page.locator('[data-testid="stSidebarNav"]')
    expect(nav.get_by_text("Exercises")).to_be_visible()
    assert nav.get_by_text("Instructor").count() == 0
    box = page.get_by_label("Your student id")
    expect(box).to_have_value("s1", timeout=30_000)
    expect(box).to_be_disabled()
    nll = variant_for("s1", load_exercises().get(Q3), secret=SECRET).params["nll"]
    expect(page.get_by_text(f"{nll:.2f} nats").first).to_be_visible(timeout=30_000)
    assert page.get_by_text("s2-upload").count() == 0
    wait_for_app(page)
    shot(page, "student")
    # Typing the Instructor page's address (a new session: log in again).
    log_in(page, f"{base}/instructor", tokens["s1"])
    assert page.get_by_text("Best points per student").count() == 0
    assert page.get_by_text("Download CSV").count() == 0
    assert page.locator("h1", has_text="Instructor").count() == 0


def test_an_instructor_sees_the_gradebook_and_logs_out(hosted_app, page):
    base, tokens = hosted_app
    log_in(page, base, tokens["t1"])
    page.locator('[data-testid="stSidebarNav"]').get_by_text("Instructor").click()
    wait_for_app(page)
    expect(page.get_by_text("Best points per student")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Download CSV: a row per student")).to_be_visible()
    expect(page.locator('[data-testid="stDataFrame"]').first).to_be_visible()
    shot(page, "instructor")
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_label("Login token")).to_be_visible(timeout=30_000)
    assert page.get_by_text("Best points per student").count() == 0


@pytest.fixture(scope="module")
def sso_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A hosted dashboard whose [auth] points at a local OpenID Connect provider (oidc-provider-mock)."""
    try:
        import authlib  # noqa: F401  (st.login needs it)
        from oidc_provider_mock import run_server_in_thread
    except ImportError:
        skip_or_fail_in_ci(
            "st.login needs Authlib and the test oidc-provider-mock (pip install -r requirements-dev.txt)",
            "CI must run the single sign-on test (requirements-dev.txt)",
        )
    workdir = tmp_path_factory.mktemp("sso")
    url = f"sqlite:///{workdir / 'gradebook.db'}"
    book = Gradebook(url)
    enrol(book)
    book.close()
    port = free_port()
    with run_server_in_thread() as provider:
        (workdir / ".streamlit").mkdir()
        (workdir / ".streamlit" / "secrets.toml").write_text(
            "[auth]\n"
            f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
            f'cookie_secret = "{SECRET}"\n'
            'client_id = "probstats"\n'
            'client_secret = "any"\n'
            f'server_metadata_url = "http://127.0.0.1:{provider.server_port}/.well-known/openid-configuration"\n',
            encoding="utf-8",
        )
        env = {**os.environ, "PROBSTATS_DB": url, "PROBSTATS_COURSE_SECRET": SECRET, "PROBSTATS_MODE": "hosted"}
        with serve_app(workdir, env, cwd=workdir, port=port) as base:
            yield base


@pytest.mark.parametrize(("email", "name"), [("S1@uni.test", "Student 1"), ("t1@uni.test", "Teacher 1")])
def test_single_sign_on_maps_the_email_to_the_roster(sso_app, page, email, name):
    page.goto(sso_app)
    wait_for_app(page)
    page.get_by_role("button", name="Sign in with your institution").click()
    # The provider's own page: the subject (its email claim too) typed in, then authorised.
    page.locator('input[name="sub"]').fill(email)
    page.get_by_role("button", name="Authorize").click()
    expect(page.get_by_text(f"Logged in as {name}").first).to_be_visible(timeout=30_000)
    page.get_by_role("button", name="Log out").click()
    # st.logout ends the session at the provider too (its end-session page), then comes back.
    page.get_by_role("button", name="End session").click()
    expect(page.get_by_role("button", name="Sign in with your institution")).to_be_visible(timeout=30_000)
    assert page.get_by_text("Logged in as").count() == 0


def test_single_sign_on_refuses_an_email_not_on_the_roster(sso_app, page):
    page.goto(sso_app)
    wait_for_app(page)
    page.get_by_role("button", name="Sign in with your institution").click()
    page.locator('input[name="sub"]').fill("stranger@elsewhere.test")
    page.get_by_role("button", name="Authorize").click()
    expect(page.get_by_text("is not on the course roster").first).to_be_visible(timeout=30_000)
    assert page.get_by_text("Logged in as").count() == 0
    assert page.locator('[data-testid="stSidebarNav"]').count() == 0
