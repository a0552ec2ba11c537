"""Intervista's web server: the Streamlit app (Home.py), the staff session routes and the HTTP
API under ``/api`` (``core.api``, docs/api.md).

Serve it with ``streamlit run server.py`` (``make run``): Streamlit finds ``app`` below and
serves it with uvicorn. A Streamlit script cannot set a response header, so the two steps of a
staff session that need a cookie are plain HTTP routes here, thin over ``core.staff.sessions``:

- ``GET /auth/session?grant=…&next=/path`` exchanges the one-time sign-in grant the sign-in
  form just made for the session cookie (HttpOnly, SameSite=Lax, Secure over https, expiring
  with the session), then redirects (303) to ``next``, a path on this site only;
- ``POST /auth/sign-out`` ends the cookie's session, clears the cookie, redirects to ``/``.

Reverse proxies: uvicorn (which Streamlit serves this with) believes X-Forwarded-For / -Proto
only from the addresses in the FORWARDED_ALLOW_IPS environment variable, read when it starts.
``make run`` sets it from the ``INTERVISTA_TRUSTED_PROXIES`` setting (empty: believe no one), and
the app's start-up hook (``core.staff.proxies.lifespan``) refuses to serve when the two differ —
so the address sign-in delays and the link throttle count cannot be forged by a client. Behind a
proxy, set the setting to the proxy's address (docs/security.md).
"""

from __future__ import annotations

import logging
import threading
from urllib.parse import urlsplit

import streamlit as st
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route
from streamlit.runtime.pages_manager import PagesManager

from core.api.app import api_mount
from core.bootstrap import ensure_database
from core.clock import utcnow
from core.config import Settings, SettingsError, get_settings
from core.db.engine import Database, DatabaseUnavailable
from core.staff import proxies, sessions
from core.staff.web import (
    COOKIE_NAME,
    GRANT_PATH,
    SIGN_OUT_PATH,
    cookie_secure,
    safe_next_path,
    session_cookie,
)
from core.ui.resources import server_container

logger = logging.getLogger("intervista.server")
_lock = threading.Lock()
_database: Database | None = None


def _db() -> Database:
    global _database
    with _lock:
        if _database is None:
            _database = ensure_database(get_settings())  # the process's one Database
        return _database


def _secure(settings: Settings, request: Request) -> bool:
    mode, base_url = settings.session_cookie_secure, settings.public_base_url
    return cookie_secure(mode, request.url.scheme, base_url)


def exchange_grant(request: Request) -> Response:
    """The sign-in form's grant → the session cookie; then on to ``next`` (303).

    Only our own page sends the browser here (a same-origin navigation): a grant arriving from
    another site's link is refused, so nobody can sign a victim in as themselves."""
    now = utcnow()
    response: Response = RedirectResponse(
        safe_next_path(request.query_params.get("next")), status_code=303
    )
    if request.headers.get("sec-fetch-site", "same-origin") != "same-origin":
        logger.warning("sign-in grant refused: it came from another site")
        return response
    try:
        settings, db = get_settings(), _db()
    except (SettingsError, DatabaseUnavailable):
        logger.exception("sign-in grant refused: the server is not ready")
        return PlainTextResponse("Intervista cannot sign you in right now.", status_code=503)
    issued = sessions.exchange_grant(
        db,
        request.query_params.get("grant"),
        now=now,
        policy=sessions.SessionPolicy.from_settings(settings),
    )
    if issued is None:  # used, expired or forged: the page asks to sign in (again)
        logger.info("sign-in grant refused")
    else:
        spec = session_cookie(
            secure=_secure(settings, request), expires_at=issued.expires_at, now=now
        )
        response.set_cookie(
            COOKIE_NAME,
            issued.token,
            max_age=spec.max_age,
            expires=spec.expires,
            path=spec.path,
            secure=spec.secure,
            httponly=spec.httponly,
            samesite=spec.samesite,
        )
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _same_origin(request: Request) -> bool:
    """A browser's POST names its page's origin; a cross-site one must not sign anyone out."""
    origin = request.headers.get("origin")
    if origin is None:
        return True  # not from a browser page (or a very old browser): nothing to forge
    return urlsplit(origin).netloc == request.headers.get("host", "")


def sign_out(request: Request) -> Response:
    """End the cookie's session (if any), clear the cookie, go to the sign-in page."""
    if not _same_origin(request):
        return PlainTextResponse("Cross-site sign-out refused.", status_code=403)
    try:
        settings, db = get_settings(), _db()
    except (SettingsError, DatabaseUnavailable):
        logger.exception("sign-out: the server is not ready")
        return PlainTextResponse("Intervista cannot sign you out right now.", status_code=503)
    sessions.end(db, token=request.cookies.get(COOKIE_NAME))
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(
        COOKIE_NAME,
        path="/",
        secure=_secure(settings, request),
        httponly=True,
        samesite="lax",
    )
    response.headers["Cache-Control"] = "no-store"
    return response


# Home.py routes every page with st.navigation. Because a pages/ folder sits beside it,
# Streamlit would run the first session of each process as an old-style pages-folder app until
# some run of Home.py calls st.navigation: a deep link would run its page file directly, without
# the router (no sign-in form that returns to the page, a different menu). There is none here.
PagesManager.uses_pages_directory = False

app = st.App(
    "Home.py",
    lifespan=proxies.lifespan,
    routes=[
        Route(GRANT_PATH, exchange_grant, methods=["GET"]),
        Route(SIGN_OUT_PATH, sign_out, methods=["POST"]),
        # The HTTP API (docs/api.md), around the pages' own container: one database, one set of
        # workers. Its size limit is read at start like every other setting.
        api_mount(server_container, max_body_bytes=get_settings().api_max_body_bytes),
    ],
)
