"""Who is calling, and the application they call: FastAPI dependencies every route uses.

Credentials, checked by ``core.staff.api_access`` (hashes only, throttled on failure):

- ``Authorization: Bearer iva_…`` — a staff member's access token (``POST /api/v1/auth/login/``);
- ``Authorization: Bearer ivk_…``, ``X-Api-Key: ivk_…`` or HTTP Basic with the key as the
  username and an empty password (how Greenhouse sends it) — an organisation's API key;
- ``X-Interview-Key: …`` — a candidate's secret link key, on the candidate-side endpoints only,
  with the same window and rules as the link itself.

Routes are plain ``def`` functions: FastAPI runs them on its thread pool, where the (blocking)
use cases belong.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.security import (
    APIKeyHeader,
    HTTPAuthorizationCredentials,
    HTTPBasic,
    HTTPBasicCredentials,
    HTTPBearer,
)

from core.app import Application
from core.errors import IntervistaError, PermissionDenied
from core.scheduling.access import AccessStatus, JoinWindow, check_key, hash_key
from core.staff import api_access
from core.staff.api_access import ApiAuthError, Throttled
from core.staff.auth import StaffUser
from core.staff.permissions import CandidatePrincipal, Principal, StaffPrincipal

ApplicationProvider = Callable[[], Application]

_bearer = HTTPBearer(auto_error=False, description="A staff access token or an API key")
_basic = HTTPBasic(auto_error=False, description="Greenhouse: the API key as the username")
_api_key = APIKeyHeader(name="X-Api-Key", auto_error=False, description="An API key")
_interview_key = APIKeyHeader(
    name="X-Interview-Key", auto_error=False, description="A candidate's secret link key"
)


def application(request: Request) -> Application:
    provider: ApplicationProvider = request.app.state.provider
    return provider()


def client_address(request: Request) -> str:
    return (request.client.host if request.client else "unknown")[:64]


@dataclass(frozen=True)
class Caller:
    """Whoever sent this request, as core's permission check sees them."""

    principal: Principal | None
    user: StaffUser | None  # a staff member signed in with a token
    address: str
    now: datetime
    credential_hash: str = ""  # names the credential without holding it (tab tokens)

    @property
    def actor_id(self) -> int | None:
        return self.user.id if self.user is not None else None

    def staff(self) -> StaffPrincipal:
        """The signed-in staff member, or 401/403 (an API key is not a person)."""
        if isinstance(self.principal, StaffPrincipal):
            return self.principal
        if self.principal is None:
            raise ApiAuthError("Sign in first: POST /api/v1/auth/login/.")
        raise PermissionDenied("Only a signed-in staff member may do this.", code="staff_only")


def caller(
    request: Request,
    app: Annotated[Application, Depends(application)],
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    basic: Annotated[HTTPBasicCredentials | None, Depends(_basic)],
    api_key: Annotated[str | None, Depends(_api_key)],
) -> Caller:
    """The caller from the request's credentials; no credentials: an anonymous caller (each
    use case's permission check then refuses with 401)."""
    now, address = app.clock.now(), client_address(request)
    raw: str | None = None
    if bearer is not None:
        raw = bearer.credentials
    elif api_key:
        raw = api_key
    elif basic is not None:
        raw = basic.username
    elif request.headers.get("authorization"):
        raise ApiAuthError("Use Bearer, Basic (Greenhouse) or X-Api-Key credentials.")
    if raw is None:
        return Caller(None, None, address, now)
    digest = hashlib.sha256(raw.encode("utf-8")).hexdigest()
    if raw.startswith(api_access.KEY_PREFIX):
        key = api_access.resolve_api_key(app.db, app.settings, raw, address=address, now=now)
        return Caller(key, None, address, now, digest)
    user = api_access.resolve_bearer(app.db, app.settings, raw, address=address, now=now)
    return Caller(StaffPrincipal(user.id, user.role), user, address, now, digest)


CallerDep = Annotated[Caller, Depends(caller)]
AppDep = Annotated[Application, Depends(application)]

_KEY_REFUSALS = {
    AccessStatus.INVALID: ("interview_key_invalid", "This interview key is not valid.", 401),
    AccessStatus.EARLY: ("interview_not_open_yet", "This interview does not open yet.", 409),
    AccessStatus.LATE: ("interview_window_closed", "The time to join has passed.", 409),
    AccessStatus.EXPIRED: ("interview_key_expired", "This interview link has expired.", 409),
    AccessStatus.CANCELLED: ("interview_cancelled", "This interview was cancelled.", 409),
    AccessStatus.COMPLETED: ("interview_completed", "This interview is already complete.", 409),
}


def candidate_by_key(
    app: Application, raw_key: str, address: str, now: datetime, *, allow_completed: bool = False
) -> CandidatePrincipal:
    """The candidate a secret link key opens now (same window and rules as the link), or a
    refusal with its own code. ``allow_completed``: reading the results of a finished one."""
    settings = app.settings
    decision = check_key(
        app.db,
        raw_key,
        now=now,
        address=address,
        window=JoinWindow(settings.join_window_before_seconds, settings.join_window_after_seconds),
    )
    if decision.status is AccessStatus.THROTTLED:
        wait = decision.retry_after_seconds or 1
        raise Throttled(f"Too many unknown keys. Wait {wait} seconds and try again.", wait)
    if decision.allowed or (allow_completed and decision.status is AccessStatus.COMPLETED):
        assert decision.interview_id is not None
        return CandidatePrincipal(decision.interview_id)
    code, message, status = _KEY_REFUSALS.get(
        decision.status, ("interview_key_invalid", "This interview key is not valid.", 401)
    )
    error = IntervistaError(message, code=code)
    error.status = status
    raise error


InterviewKeyDep = Annotated[str | None, Depends(_interview_key)]


def tab_token(credential_hash: str, interview_id: int) -> str:
    """The interview's "tab" for an API client: one per credential and interview, so the calls
    of one client continue one another, and a browser opening the link takes over (the API
    client is then told, like a second tab)."""
    return hashlib.sha256(f"api:{credential_hash}:{interview_id}".encode()).hexdigest()[:32]


def key_hash(raw_key: str) -> str:
    return hash_key(raw_key)


@dataclass(frozen=True)
class PageRequest:
    page: int
    page_size: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size


MAX_PAGE_SIZE = 100
MAX_PAGE = 100_000


def page_request(
    app: AppDep,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE, description="1-based page number")] = 1,
    page_size: Annotated[
        int | None, Query(ge=1, le=MAX_PAGE_SIZE, description="items per page (at most 100)")
    ] = None,
) -> PageRequest:
    return PageRequest(page, page_size or app.settings.api_page_size)


PageDep = Annotated[PageRequest, Depends(page_request)]


def page_links(request: Request, page: PageRequest, count: int) -> tuple[str | None, str | None]:
    """The seeds' ``next`` and ``previous`` URLs (None at either end)."""
    last = max(1, -(-count // page.page_size))

    def at(n: int) -> str:
        return str(request.url.include_query_params(page=n, page_size=page.page_size))

    following = at(page.page + 1) if page.page < last else None
    preceding = at(min(page.page - 1, last)) if page.page > 1 else None
    return following, preceding
