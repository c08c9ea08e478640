"""Who is using the dashboard: nobody in particular locally, a logged-in member when hosted.

Locally (``mode = "local"``, the default) there is no login: :func:`gate` only warns
while the public default secret is in use. In hosted mode (``mode = "hosted"`` in
``course.toml`` or ``PROBSTATS_MODE=hosted``) :func:`gate` refuses to serve with a weak
secret, and otherwise asks for a personal login token before anything else is drawn.
The token is kept in the browser session only, and checked again on every run of every
page (:func:`member`), so a revoked token stops working at the next click; failed logins
count against the client in :func:`grader.access.authenticate` (shared with the API).

Single sign-on: when Streamlit's own OpenID Connect login is configured (an ``[auth]``
table in ``.streamlit/secrets.toml``, see docs/hosting.md), the login page also offers
``st.login``; the identity's email is mapped to its roster member
(:func:`grader.access.member_by_email`), and an email not on the roster is refused.
"""

from __future__ import annotations

import ipaddress

import streamlit as st

from dashboard.common import exercise_links
from dashboard.practice import gradebook
from grader.access import AccessDenied, Member, authenticate, member_by_email
from grader.course import Course, CourseError, current_course
from grader.hosted import check_hosted_startup

__all__ = ["TOKEN_KEY", "client_address", "gate", "login_page", "member", "require_instructor"]

#: The session key of the token typed on the login page (never put in the URL).
TOKEN_KEY = "hosted_login_token"

_LOGIN_FORM = "hosted_login"


def _course() -> Course:
    try:
        return current_course()
    except CourseError as exc:
        st.error(f"The course settings cannot be read: {exc}")
        st.stop()
    raise AssertionError("st.stop() returned")  # pragma: no cover


def client_address() -> str:
    """The client the failed-login limit counts: its address, as far as it can be known.

    Behind a reverse proxy on the same machine every request comes from loopback, so
    then the last ``X-Forwarded-For`` entry (the one the proxy appended) is used, as
    uvicorn does for the API. A direct client cannot choose its address that way.
    """
    peer = st.context.ip_address
    if not isinstance(peer, str) or not peer:  # no socket (a test run, or a bare script)
        peer = "unknown"
    try:
        loopback = ipaddress.ip_address(peer).is_loopback
    except ValueError:
        loopback = False
    forwarded = st.context.headers.get("X-Forwarded-For", "") if loopback else ""
    last = forwarded.split(",")[-1].strip() if isinstance(forwarded, str) else ""
    return last or peer


def _sso_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets.toml at all: Streamlit raises rather than answer False
        return False


def login_page() -> None:
    """Draw the login page and stop the run (the page itself is never reached)."""
    course = _course()
    st.title(course.name or "ProbStats Lab")
    st.markdown("This course is hosted: log in with the personal token your instructor gave you.")
    with st.form(_LOGIN_FORM):
        token = st.text_input("Login token", type="password", key="hosted_token_input")
        submitted = st.form_submit_button("Log in", type="primary", icon=":material/login:")
    if submitted:
        try:
            authenticate(gradebook.current_gradebook(), token.strip(), client=client_address())
        except AccessDenied as exc:
            st.error(str(exc), icon=":material/lock:")
        else:
            st.session_state[TOKEN_KEY] = token.strip()
            st.rerun()
    if _sso_configured():
        st.divider()
        if st.button("Sign in with your institution", icon=":material/badge:"):
            st.login()
    st.stop()


def member(*, login: bool = True) -> Member | None:
    """The logged-in member (hosted), checked against the gradebook now; None locally.

    In hosted mode, without a valid login this draws the login page and stops the run
    (or, with ``login=False``, returns None), so a page that calls it shows nothing to
    a stranger. A token revoked or expired since the login is dropped from the session
    and the login page says why.
    """
    course = _course()
    if not course.hosted:
        return None
    book = gradebook.current_gradebook()
    token = st.session_state.get(TOKEN_KEY)
    if token:
        try:
            return authenticate(book, token, client=client_address())
        except AccessDenied as exc:
            del st.session_state[TOKEN_KEY]
            st.warning(f"You were logged out: {exc}", icon=":material/lock:")
    elif _sso_configured() and st.user.is_logged_in and st.user.get("email"):
        try:
            return member_by_email(book, str(st.user.get("email")))
        except AccessDenied as exc:
            st.error(str(exc), icon=":material/lock:")
    if not login:
        return None
    login_page()
    raise AssertionError("st.stop() returned")  # pragma: no cover


def require_instructor() -> Member | None:
    """Stop the run unless the user may see instructor data: anyone locally, instructors hosted."""
    who = member()
    if who is not None and not who.is_instructor:
        st.error("This page is for instructors only.", icon=":material/block:")
        st.stop()
    return who


def _logout() -> None:
    st.session_state.pop(TOKEN_KEY, None)
    if _sso_configured() and st.user.is_logged_in:
        st.logout()


def gate() -> tuple[bool, Member | None]:
    """What ``streamlit_app.py`` runs before the navigation: is the course hosted, and who is in.

    Local mode: a warning while the default secret is in use; returns ``(False, None)``.
    Hosted mode: stops with an error if the secret is weak or a plugin failed to load
    (naming ``probstats secret new``); else ``(True, the member or None)``, with the
    member's name and a logout button in the sidebar. The app draws :func:`login_page`
    for None after its (hidden) navigation, so the address a stranger opened survives
    the login.
    """
    course = _course()
    if not course.hosted:
        if course.uses_default_secret:
            st.sidebar.warning(
                "The course secret is the public default, so anyone can work out every "
                "student's numbers. Fine for practice; for a graded course set one "
                "(`probstats secret new`).",
                icon=":material/warning:",
            )
        return False, None
    try:
        check_hosted_startup(course.secret, exercise_links.registry())
    except ValueError as exc:  # WeakSecret is one
        st.error(f"{exc}", icon=":material/error:")
        st.stop()
    who = member(login=False)
    if who is not None:
        st.sidebar.caption(f"Logged in as **{who.name}** (`{who.id}`, {who.role})")
        st.sidebar.button("Log out", icon=":material/logout:", on_click=_logout, key="hosted_logout")
    return True, who
