"""Who is signed in, signing in and out, and page guards.

A staff member's sign-in is a server-side session (:mod:`core.staff.sessions`) that the browser
holds as an HttpOnly cookie, set and cleared by the routes in ``server.py``; a script cannot
set a cookie, so it sends the browser there. ``st.session_state`` holds ids only: the session's
and the user's. Each run re-checks the session (a sign-out elsewhere, a password change or a
deactivation ends it at once); a new Streamlit session (a reload, a new tab) finds it again
from the cookie.

Whether the signed-in user may open a page is decided by :mod:`core.staff.permissions`, the
same check the command line and the HTTP API ask; this module only says it to people.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode, urlsplit

import streamlit as st

from core.clock import utcnow
from core.errors import PermissionDenied
from core.staff import permissions, sessions
from core.staff.auth import StaffUser, authenticate
from core.staff.permissions import ROLE_LABELS, Action, StaffPrincipal, staff_principal
from core.staff.throttle import LoginThrottle
from core.staff.web import COOKIE_NAME, GRANT_PATH, SIGN_OUT_PATH, safe_next_path
from core.ui.resources import app_database, app_settings

USER_ID = "user_id"
SESSION_ID = "staff_session_id"


def _policy() -> sessions.SessionPolicy:
    return sessions.SessionPolicy.from_settings(app_settings())


def _cookie_token() -> str | None:
    try:
        token = st.context.cookies.get(COOKIE_NAME)
    except Exception:  # no browser connection (bare runs)
        return None
    return token if isinstance(token, str) else None


def _forget() -> None:
    st.session_state.pop(SESSION_ID, None)
    st.session_state.pop(USER_ID, None)


def current_user() -> StaffUser | None:
    """The signed-in staff member: this Streamlit session's staff session, else the cookie's."""
    db, now, policy = app_database(), utcnow(), _policy()
    found = None
    session_id = st.session_state.get(SESSION_ID)
    if session_id is not None:
        found = sessions.check(db, int(session_id), now=now, policy=policy)
    if found is None:
        found = sessions.resume(db, _cookie_token(), now=now, policy=policy)
    if found is None:
        _forget()
        return None
    st.session_state[SESSION_ID] = found.session_id
    st.session_state[USER_ID] = found.user.id
    return found.user


def current_principal() -> StaffPrincipal | None:
    """The signed-in staff member as core's permission check knows them, or None."""
    user = current_user()
    return staff_principal(user) if user is not None else None


def _requested_target() -> str:
    """The page the browser is on, with its query ("/review?interview=3"): where to return
    after signing in. ``st.context.url`` is the browser's address with the running page's path
    (no query); query parameters come from ``st.query_params``."""
    try:
        url = st.context.url
    except Exception:  # no browser connection (bare runs)
        url = None
    path = urlsplit(url).path if url else ""
    query = urlencode([(k, v) for k in st.query_params for v in st.query_params.get_all(k)])
    path = path or "/"
    return safe_next_path(f"{path}?{query}" if query else path)


def go_to(url: str, *, post: bool = False) -> None:
    """Send the browser to one of our own routes (a full page load, so it sees the cookie).

    ``st.html`` with JavaScript runs in the app's own page, not in a sandboxed component frame,
    so it can navigate the whole tab. ``url`` is one of our paths with a URL-encoded query
    (the page's own query parameters travel in ``next``); it enters the script as a JSON string
    with ``<`` escaped, so no text can end the script or run as code."""
    if not url.startswith("/") or url.startswith("//"):
        raise ValueError(f"not one of our own paths: {url!r}")
    target = json.dumps(url).replace("<", "\\u003c")  # never "</script>" inside the script
    if post:  # a form POST: a same-site request carries the SameSite=Lax cookie, others don't
        script = (
            "const f=document.createElement('form');f.method='post';"
            f"f.action={target};document.body.appendChild(f);f.submit();"
        )
    else:
        script = f"window.location.replace({target});"
    st.html(f"<script>{script}</script>", unsafe_allow_javascript=True)


def sign_in_form(next_path: str | None = None) -> None:
    """The staff sign-in form; on success the browser goes on to ``next_path`` (or the page
    it asked for), signed in."""
    settings, db = app_settings(), app_database()
    st.title("Intervista")
    st.caption("Sign in with your staff account. Candidates join through the link in their email.")
    with st.form("sign_in", clear_on_submit=False):
        email = st.text_input("Email", autocomplete="username")
        password = st.text_input("Password", type="password", autocomplete="current-password")
        submitted = st.form_submit_button("Sign in", type="primary")
    if not submitted:
        return
    if not email.strip() or not password:
        st.error("Enter your email and password.")
        return
    now, address = utcnow(), client_address()
    result = authenticate(
        db,
        email=email,
        password=password,
        address=address,
        now=now,
        throttle=LoginThrottle.from_settings(settings),
    )
    if result.user is None:
        st.error(result.error or "Sign-in failed.")
        return
    started = sessions.start(db, user_id=result.user.id, now=now, policy=_policy(), address=address)
    st.session_state[SESSION_ID] = started.session_id
    st.session_state[USER_ID] = result.user.id
    target = safe_next_path(next_path or _requested_target())
    st.caption("Signing you in…")
    go_to(f"{GRANT_PATH}?{urlencode({'grant': started.grant, 'next': target})}")


def sign_out() -> None:
    """End this browser's staff session now, then let the sign-out route clear the cookie."""
    session_id = st.session_state.get(SESSION_ID)
    if session_id is not None:
        sessions.end(app_database(), session_id=int(session_id))
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    st.caption("Signing you out…")
    go_to(SIGN_OUT_PATH, post=True)


def require(action: Action) -> StaffUser:
    """Stop the page unless core's permission check lets the signed-in user do ``action``.

    Signed out, the page shows the sign-in form instead, and comes back after signing in."""
    user = current_user()
    try:
        permissions.require(staff_principal(user) if user is not None else None, action)
    except PermissionDenied:
        if user is None:
            st.warning("Please sign in to see this page.")
            sign_in_form()
        else:
            st.error(
                f"Your role ({ROLE_LABELS[user.role]}) does not give access to this page. "
                "Ask an administrator if you need it."
            )
        st.stop()
    if user is None:  # not reached: core refuses a missing principal
        st.stop()
    return user


def client_address() -> str:
    """The browser's address as Streamlit sees it (for rate limiting), or 'unknown'.

    Behind a reverse proxy listed in FORWARDED_ALLOW_IPS this is the X-Forwarded-For client
    (uvicorn's rewrite, see ``server.py``); otherwise the connection's own address."""
    try:
        address = st.context.ip_address  # None for localhost connections
    except Exception:  # not available in every runtime
        return "unknown"
    return address if isinstance(address, str) and address else "local"
