"""The two staff session routes of server.py over HTTP (Starlette's test client): the grant
becomes an HttpOnly, SameSite=Lax cookie (Secure over https) and a 303 to a path on this site
only; sign-out ends the session and clears the cookie; requests from other sites are refused."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.routing import Route
from starlette.testclient import TestClient
from streamlit.runtime.pages_manager import PagesManager

from core.clock import utcnow
from core.db.engine import Database
from core.staff import sessions
from core.staff.web import COOKIE_NAME, GRANT_PATH, SIGN_OUT_PATH
from tests.support.factories import make_user

POLICY = sessions.SessionPolicy(absolute=timedelta(hours=12), idle=timedelta(hours=1))


@pytest.fixture
def server(db: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    before = PagesManager.uses_pages_directory
    import server as module  # the repository's server.py

    PagesManager.uses_pages_directory = before  # importing it told Streamlit; undo for others
    monkeypatch.setattr(module, "_database", db)
    yield module


def _client(server: Any, base_url: str = "http://testserver") -> TestClient:
    app = Starlette(
        routes=[
            Route(GRANT_PATH, server.exchange_grant, methods=["GET"]),
            Route(SIGN_OUT_PATH, server.sign_out, methods=["POST"]),
        ]
    )
    return TestClient(app, base_url=base_url, follow_redirects=False)


def _grant(db: Database) -> sessions.StartedSession:
    user = make_user(db)
    return sessions.start(db, user_id=user.id, now=utcnow(), policy=POLICY)


def _set_cookie(response: Any) -> str:
    (header,) = response.headers.get_list("set-cookie")
    return str(header)


def test_the_grant_becomes_the_session_cookie_and_a_redirect(server: Any, db: Database) -> None:
    started = _grant(db)
    client = _client(server)
    response = client.get(GRANT_PATH, params={"grant": started.grant, "next": "/review?x=1"})
    assert (response.status_code, response.headers["location"]) == (303, "/review?x=1")
    cookie = _set_cookie(response)
    assert cookie.startswith(f"{COOKIE_NAME}=")
    for flag in ("HttpOnly", "SameSite=lax", "Path=/", "Max-Age=", "expires="):
        assert flag in cookie, cookie
    assert "Secure" not in cookie  # plain http
    token = cookie.split(";")[0].split("=", 1)[1]
    found = sessions.resume(db, token, now=utcnow(), policy=POLICY)
    assert found is not None and found.session_id == started.session_id
    assert response.headers["cache-control"] == "no-store"
    again = client.get(GRANT_PATH, params={"grant": started.grant, "next": "/"})
    assert again.status_code == 303 and "set-cookie" not in again.headers  # once only


def test_over_https_the_cookie_is_secure(server: Any, db: Database) -> None:
    started = _grant(db)
    response = _client(server, "https://testserver").get(
        GRANT_PATH, params={"grant": started.grant, "next": "/"}
    )
    assert "Secure" in _set_cookie(response)


@pytest.mark.parametrize(
    "next_path", ["https://evil.example/", "//evil.example", "/\\evil.example", "javascript:x"]
)
def test_no_open_redirect(server: Any, db: Database, next_path: str) -> None:
    started = _grant(db)
    response = _client(server).get(GRANT_PATH, params={"grant": started.grant, "next": next_path})
    assert (response.status_code, response.headers["location"]) == (303, "/")


def test_a_grant_from_another_site_is_refused(server: Any, db: Database) -> None:
    started = _grant(db)
    response = _client(server).get(
        GRANT_PATH,
        params={"grant": started.grant, "next": "/"},
        headers={"Sec-Fetch-Site": "cross-site"},
    )
    assert response.status_code == 303 and "set-cookie" not in response.headers
    assert sessions.exchange_grant(db, started.grant, now=utcnow(), policy=POLICY) is not None


def test_sign_out_ends_the_session_and_clears_the_cookie(server: Any, db: Database) -> None:
    started = _grant(db)
    issued = sessions.exchange_grant(db, started.grant, now=utcnow(), policy=POLICY)
    assert issued is not None
    client = _client(server)
    client.cookies.set(COOKIE_NAME, issued.token)
    response = client.post(SIGN_OUT_PATH, headers={"Origin": "http://testserver"})
    assert (response.status_code, response.headers["location"]) == (303, "/")
    cookie = _set_cookie(response)
    assert cookie.startswith(f'{COOKIE_NAME}=""') and "Max-Age=0" in cookie
    assert sessions.resume(db, issued.token, now=utcnow(), policy=POLICY) is None
    assert client.get(SIGN_OUT_PATH).status_code == 405  # a link cannot sign anyone out


def test_sign_out_from_another_site_is_refused(server: Any, db: Database) -> None:
    started = _grant(db)
    issued = sessions.exchange_grant(db, started.grant, now=utcnow(), policy=POLICY)
    assert issued is not None
    client = _client(server)
    client.cookies.set(COOKIE_NAME, issued.token)
    response = client.post(SIGN_OUT_PATH, headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    assert sessions.resume(db, issued.token, now=utcnow(), policy=POLICY) is not None
