"""Routing and staff sessions through the real router (AppTest): a page opened signed out shows
the sign-in form and sends the browser, signed in, back to that page with its query; a tab is
signed out as soon as its session ends; signing out ends the session; the wait after too many
failures is said on the page. (The cookie itself is the browser tests' part.)"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pytest
import streamlit as st
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from core.clock import utcnow
from core.config import get_settings
from core.db.engine import Database
from core.db.models import StaffSession
from core.domain import Role
from core.staff import auth, sessions
from tests.support.apptest import texts
from tests.support.factories import PASSWORD, make_user


def _policy() -> sessions.SessionPolicy:
    return sessions.SessionPolicy.from_settings(get_settings())


def _browser_sent_to(at: AppTest) -> tuple[str, str]:
    """(how, where): the navigation the page's script asks of the browser."""
    scripts = [h.value for h in at.html if "<script>" in h.value]
    assert len(scripts) == 1, scripts
    replace = re.search(r'window\.location\.replace\("([^"]+)"\)', scripts[0])
    if replace:
        return "GET", replace.group(1)
    post = re.search(r"f\.method='post';f\.action=\"([^\"]+)\"", scripts[0])
    assert post, scripts[0]
    return "POST", post.group(1)


def _sign_in(at: AppTest, email: str, password: str = PASSWORD) -> AppTest:
    at.text_input[0].input(email)
    at.text_input[1].input(password)
    return at.button[0].click().run()


def _sessions(db: Database) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(StaffSession)) or 0)


def test_a_page_opened_signed_out_comes_back_with_its_query_after_sign_in(
    open_app: Callable[..., AppTest], app_env: Database
) -> None:
    make_user(app_env, Role.HIRING_MANAGER, email="man@example.com")
    at = open_app(interview="3")
    at.context["url"] = "http://127.0.0.1:8501/review"  # what the browser reports
    at.switch_page("pages/review.py").run()  # as a browser opening /review?interview=3
    assert not at.exception
    assert "Please sign in to see this page." in texts(at)
    assert [b.label for b in at.button] == ["Sign in"] and not at.dataframe
    _sign_in(at, "man@example.com")
    assert not at.error and at.session_state["user_id"]
    how, url = _browser_sent_to(at)
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    assert (how, parts.path, query["next"]) == ("GET", "/auth/session", ["/review?interview=3"])
    # What the route does with the grant: a cookie token for this user's session.
    issued = sessions.exchange_grant(app_env, query["grant"][0], now=utcnow(), policy=_policy())
    assert issued is not None
    found = sessions.resume(app_env, issued.token, now=utcnow(), policy=_policy())
    assert found is not None and found.user.email == "man@example.com"
    assert found.session_id == at.session_state["staff_session_id"]


def test_the_front_page_signs_in_to_the_first_page_of_the_menu(
    open_app: Callable[..., AppTest], app_env: Database
) -> None:
    make_user(app_env, Role.RECRUITER, email="rec@example.com")
    at = _sign_in(open_app(), "rec@example.com")
    how, url = _browser_sent_to(at)
    assert how == "GET" and parse_qs(urlsplit(url).query)["next"] == ["/"]


@pytest.mark.parametrize("ending", ["sign_out_elsewhere", "password_change", "deactivation"])
def test_an_open_tab_is_signed_out_as_soon_as_its_session_ends(
    open_app: Callable[..., AppTest], app_env: Database, ending: str
) -> None:
    admin = make_user(app_env, Role.ADMIN)
    user = make_user(app_env, Role.RECRUITER)
    at = open_app(user_id=user.id)
    assert [t.value for t in at.title] == ["Interviews"]
    if ending == "sign_out_elsewhere":
        sessions.end(app_env, session_id=at.session_state["staff_session_id"])
    elif ending == "password_change":
        auth.set_password(app_env, email=user.email, password="a new password!", actor_id=admin.id)
    else:
        auth.set_active(app_env, user_id=user.id, active=False, actor_id=admin.id)
    at.run()
    assert "Please sign in to see this page." in texts(at)
    assert "Interviews" not in [t.value for t in at.title] and not at.dataframe
    assert "user_id" not in at.session_state


def test_sign_out_ends_the_session_and_clears_the_cookie(
    open_app: Callable[..., AppTest], app_env: Database
) -> None:
    user = make_user(app_env, Role.HIRING_MANAGER)
    at = open_app(user_id=user.id, page="pages/account.py")
    assert _sessions(app_env) == 1
    next(b for b in at.button if b.label == "Sign out").click().run()
    assert _sessions(app_env) == 0  # ended on the server at once, whatever the browser does
    assert "user_id" not in at.session_state
    assert _browser_sent_to(at) == ("POST", "/auth/sign-out")  # the route clears the cookie
    at.run()
    assert "Please sign in to see this page." in texts(at)


def test_the_page_says_how_long_to_wait(
    open_app: Callable[..., AppTest], app_env: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_user(app_env, Role.RECRUITER, email="rec@example.com")
    monkeypatch.setenv("INTERVISTA_LOGIN_MAX_FAILURES", "1")
    monkeypatch.setenv("INTERVISTA_LOGIN_DELAY_BASE_SECONDS", "90")
    get_settings.cache_clear()
    st.cache_resource.clear()
    at = open_app()
    for _ in range(2):  # one free failure, then 90 s
        assert [e.value for e in _sign_in(at, "rec@example.com", "wrong").error] == [
            "Email or password is incorrect."
        ]
    _sign_in(at, "rec@example.com")  # the right password, too soon
    (message,) = [e.value for e in at.error]
    assert re.fullmatch(
        r"Too many failed sign-in attempts\. Wait \d+ seconds and try again\.", message
    )
    assert "user_id" not in at.session_state
