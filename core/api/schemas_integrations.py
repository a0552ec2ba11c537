"""The bodies of ``/api/v1/webhooks/`` and ``/api/v1/api_keys/`` (administrators only)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, StringConstraints

from core.api.schemas_recruiting import no_nul
from core.integrations.deliveries import DeliveryStatus, DeliveryView
from core.integrations.events import Event
from core.integrations.webhooks import EndpointView, EndpointWithSecret
from core.staff.api_access import ApiKeyView, CreatedApiKey
from core.staff.permissions import API_KEY_SCOPES

Url = Annotated[str, StringConstraints(min_length=1, max_length=2000), AfterValidator(no_nul)]
Description = Annotated[str, StringConstraints(max_length=200), AfterValidator(no_nul)]
KeyName = Annotated[str, StringConstraints(min_length=1, max_length=100), AfterValidator(no_nul)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EndpointIn(_Strict):
    url: Url = Field(description="where to POST the events (https:// or http://)")
    events: list[Event] = Field(min_length=1, max_length=len(Event))
    description: Description = ""


class EndpointPatch(_Strict):
    url: Url | None = None
    events: list[Event] | None = Field(None, min_length=1, max_length=len(Event))
    description: Description | None = None
    is_active: StrictBool | None = None


class EndpointOut(BaseModel):
    id: int
    url: str
    events: list[str]
    description: str
    is_active: bool
    created_at: datetime

    @classmethod
    def of(cls, e: EndpointView) -> EndpointOut:
        return cls(
            id=e.id,
            url=e.url,
            events=list(e.events),
            description=e.description,
            is_active=e.is_active,
            created_at=e.created_at,
        )


class EndpointSecretOut(EndpointOut):
    secret: str = Field(description="signs every delivery; shown only now")

    @classmethod
    def of_new(cls, made: EndpointWithSecret) -> EndpointSecretOut:
        return cls(**EndpointOut.of(made.endpoint).model_dump(), secret=made.secret)


class DeliveryOut(BaseModel):
    id: int
    event_id: str
    event: str
    endpoint_id: int | None
    method: str
    url: str
    interview_id: int | None
    status: DeliveryStatus
    attempts: int
    last_status_code: int | None
    last_error: str
    created_at: datetime
    next_attempt_at: datetime
    delivered_at: datetime | None
    replay_of_id: int | None
    payload: dict[str, Any]

    @classmethod
    def of(cls, d: DeliveryView) -> DeliveryOut:
        return cls(**{name: getattr(d, name) for name in cls.model_fields})


class DeliveryPage(BaseModel):
    count: int
    next: str | None
    previous: str | None
    results: list[DeliveryOut]


class PingOut(BaseModel):
    delivery_id: int


class ApiKeyIn(_Strict):
    name: KeyName
    scopes: list[str] = Field(
        default_factory=list,
        max_length=len(API_KEY_SCOPES),
        description=f"any of {', '.join(API_KEY_SCOPES)} (none given: recruiting, scheduling)",
    )
    expires_days: float | None = Field(None, gt=0, le=3650)


class ApiKeyOut(BaseModel):
    id: int
    name: str
    prefix: str
    scopes: list[str]
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None
    active: bool

    @classmethod
    def of(cls, k: ApiKeyView) -> ApiKeyOut:
        return cls(
            id=k.id,
            name=k.name,
            prefix=k.prefix,
            scopes=list(k.scopes),
            created_at=k.created_at,
            expires_at=k.expires_at,
            revoked_at=k.revoked_at,
            last_used_at=k.last_used_at,
            active=k.active,
        )


class ApiKeyCreatedOut(BaseModel):
    id: int
    name: str
    prefix: str
    scopes: list[str]
    expires_at: datetime | None
    key: str = Field(description="the key itself; shown only now")

    @classmethod
    def of(cls, k: CreatedApiKey) -> ApiKeyCreatedOut:
        return cls(
            id=k.id,
            name=k.name,
            prefix=k.prefix,
            scopes=list(k.scopes),
            expires_at=k.expires_at,
            key=k.key,
        )
