"""``/api/v1/auth/``: staff sign-in for API clients (the seeds' login), refresh, sign-out."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field, model_validator

from core.api.deps import AppDep, CallerDep, client_address
from core.staff import api_access
from core.staff.auth import StaffUser

router = APIRouter(prefix="/v1/auth", tags=["auth"])
_bearer = HTTPBearer(auto_error=False)


class LoginIn(BaseModel):
    """The seeds send ``username``; ``email`` is accepted too (it is the same thing here)."""

    model_config = ConfigDict(
        json_schema_extra={"anyOf": [{"required": ["username"]}, {"required": ["email"]}]}
    )

    username: str | None = Field(None, max_length=254)
    email: str | None = Field(None, max_length=254)
    password: str = Field(..., min_length=1, max_length=4096)

    @model_validator(mode="after")
    def _someone(self) -> LoginIn:
        if not (self.username or self.email):
            raise ValueError("give username (or email) and password")
        return self


class RefreshIn(BaseModel):
    refresh: str = Field(..., min_length=1, max_length=200)


class UserOut(BaseModel):
    id: int
    email: str
    full_name: str
    role: str

    @classmethod
    def of(cls, user: StaffUser) -> UserOut:
        return cls(id=user.id, email=user.email, full_name=user.full_name, role=user.role.value)


class TokensOut(BaseModel):
    access: str
    refresh: str
    token_type: str = "Bearer"  # noqa: S105 (the scheme's name)
    access_expires_at: datetime
    refresh_expires_at: datetime
    user: UserOut

    @classmethod
    def of(cls, pair: api_access.TokenPair) -> TokensOut:
        return cls(
            access=pair.access,
            refresh=pair.refresh,
            access_expires_at=pair.access_expires_at,
            refresh_expires_at=pair.refresh_expires_at,
            user=UserOut.of(pair.user),
        )


@router.post("/login/", response_model=TokensOut, summary="Sign in: access and refresh tokens")
def login(body: LoginIn, request: Request, app: AppDep) -> TokensOut:
    pair = api_access.login(
        app.db,
        app.settings,
        email=body.email or body.username or "",
        password=body.password,
        address=client_address(request),
        now=app.clock.now(),
    )
    return TokensOut.of(pair)


@router.post("/refresh/", response_model=TokensOut, summary="A new pair for a refresh token")
def refresh(body: RefreshIn, request: Request, app: AppDep) -> TokensOut:
    pair = api_access.refresh(
        app.db,
        app.settings,
        refresh_token=body.refresh,
        address=client_address(request),
        now=app.clock.now(),
    )
    return TokensOut.of(pair)


@router.post("/logout/", status_code=204, summary="Sign out: both tokens stop working")
def logout(
    caller: CallerDep,
    app: AppDep,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Response:
    caller.staff()
    if bearer is not None:
        api_access.logout(app.db, access_token=bearer.credentials)
    return Response(status_code=204)


@router.get("/me/", response_model=UserOut, summary="Who the access token belongs to")
def me(caller: CallerDep) -> UserOut:
    caller.staff()
    assert caller.user is not None
    return UserOut.of(caller.user)
