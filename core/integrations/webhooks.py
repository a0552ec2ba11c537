"""Webhook endpoints: URLs administrators register for events, and the listener that queues a
signed delivery to each subscribed endpoint when an event happens.

The payload every endpoint receives (``POST``, JSON, signed as ``core.integrations.signing``
says)::

    {"id": "evt_…", "event": "interview.completed", "created_at": "2026-12-03T10:00:00+00:00",
     "data": {"interview_id": 12, "candidate_id": 4, "job_id": 2, "status": "completed",
              "practice": false, …}}

``data`` also carries what the event adds (``reason``; ``percentage`` and ``overall_score``;
``decision`` and ``previous``). ``id`` identifies the event: a retry or a replay carries the
same one, so receivers de-duplicate on it.

A secret signs, so it is kept as it is (a hash could not sign); it is shown once, when the
endpoint is made or its secret is replaced. Use cases are for administrators
(``Action.MANAGE_INTEGRATIONS``); ``on_event`` runs inside the transaction that emitted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db.models import Evaluation, Interview, WebhookEndpoint
from core.db.uow import Tx, reading, writing
from core.errors import IntervistaError, NotFound
from core.integrations.deliveries import enqueue_delivery, new_event_id
from core.integrations.events import Event
from core.integrations.signing import new_secret
from core.staff.audit import record_audit
from core.staff.permissions import Action, Principal, StaffPrincipal, require

PING_EVENT = "ping"
MAX_URL_CHARS = 2000
MAX_ENDPOINTS = 50


class WebhookError(IntervistaError, ValueError):
    """An endpoint cannot be saved as given; nothing was written."""

    code = "invalid_webhook"
    status = 422


@dataclass(frozen=True)
class EndpointView:
    id: int
    url: str
    events: tuple[str, ...]
    description: str
    is_active: bool
    created_at: datetime


@dataclass(frozen=True)
class EndpointWithSecret:
    """An endpoint just made, or given a new secret: the only time the secret is shown."""

    endpoint: EndpointView
    secret: str


def clean_url(url: str) -> str:
    url = (url or "").strip()
    if len(url) > MAX_URL_CHARS:
        raise WebhookError(f"The URL is longer than {MAX_URL_CHARS} characters.")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise WebhookError("The URL must start with https:// (or http://) and name a host.")
    if parts.username or parts.password:
        raise WebhookError("Put no user name or password in the URL; deliveries are signed.")
    return url


def clean_events(events: Iterable[str]) -> tuple[str, ...]:
    chosen = {str(e).strip() for e in events if str(e).strip()}
    known = {e.value for e in Event}
    unknown = sorted(chosen - known)
    if unknown:
        raise WebhookError(
            f"Unknown event(s): {', '.join(unknown)}. Known: {', '.join(sorted(known))}."
        )
    if not chosen:
        raise WebhookError("Choose at least one event.")
    return tuple(e.value for e in Event if e.value in chosen)  # in a stable order


def _view(e: WebhookEndpoint) -> EndpointView:
    return EndpointView(e.id, e.url, tuple(e.events), e.description, e.is_active, e.created_at)


def _actor(principal: Principal | None) -> int | None:
    return principal.user_id if isinstance(principal, StaffPrincipal) else None


def _get(session: Session, endpoint_id: int) -> WebhookEndpoint:
    endpoint = session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None:
        raise NotFound(f"No webhook endpoint #{endpoint_id}.", code="endpoint_not_found")
    return endpoint


def list_endpoints(db: Tx, *, principal: Principal | None) -> list[EndpointView]:
    require(principal, Action.MANAGE_INTEGRATIONS)
    with reading(db) as session:
        rows = session.scalars(select(WebhookEndpoint).order_by(WebhookEndpoint.id)).all()
        return [_view(e) for e in rows]


def get_endpoint(db: Tx, endpoint_id: int, *, principal: Principal | None) -> EndpointView:
    require(principal, Action.MANAGE_INTEGRATIONS)
    with reading(db) as session:
        return _view(_get(session, endpoint_id))


def create_endpoint(
    db: Tx,
    *,
    url: str,
    events: Iterable[str],
    description: str = "",
    principal: Principal | None,
    now: datetime,
) -> EndpointWithSecret:
    require(principal, Action.MANAGE_INTEGRATIONS)
    endpoint = WebhookEndpoint(
        url=clean_url(url),
        events=list(clean_events(events)),
        secret=new_secret(),
        description=(description or "").strip()[:200],
        is_active=True,
        created_by_id=_actor(principal),
        created_at=now,
    )
    with writing(db) as session:
        count = len(session.scalars(select(WebhookEndpoint.id)).all())
        if count >= MAX_ENDPOINTS:
            raise WebhookError(f"At most {MAX_ENDPOINTS} endpoints; remove one first.")
        session.add(endpoint)
        session.flush()
        record_audit(
            session, _actor(principal), "webhook.create", "webhook_endpoint", endpoint.id,
            {"url": endpoint.url, "events": endpoint.events},
        )  # fmt: skip
        return EndpointWithSecret(_view(endpoint), endpoint.secret)


def update_endpoint(
    db: Tx,
    endpoint_id: int,
    *,
    principal: Principal | None,
    url: str | None = None,
    events: Iterable[str] | None = None,
    description: str | None = None,
    is_active: bool | None = None,
) -> EndpointView:
    """Change what is given; the rest stays. Deliveries already queued keep their URL."""
    require(principal, Action.MANAGE_INTEGRATIONS)
    with writing(db) as session:
        endpoint = _get(session, endpoint_id)
        changes: dict[str, Any] = {}
        if url is not None:
            endpoint.url = changes["url"] = clean_url(url)
        if events is not None:
            endpoint.events = changes["events"] = list(clean_events(events))
        if description is not None:
            endpoint.description = changes["description"] = description.strip()[:200]
        if is_active is not None:
            endpoint.is_active = changes["is_active"] = bool(is_active)
        record_audit(
            session, _actor(principal), "webhook.update", "webhook_endpoint", endpoint_id, changes
        )
        return _view(endpoint)


def rotate_secret(db: Tx, endpoint_id: int, *, principal: Principal | None) -> EndpointWithSecret:
    """A new secret signs every attempt from now on (queued retries included)."""
    require(principal, Action.MANAGE_INTEGRATIONS)
    with writing(db) as session:
        endpoint = _get(session, endpoint_id)
        endpoint.secret = new_secret()
        record_audit(session, _actor(principal), "webhook.rotate", "webhook_endpoint", endpoint_id)
        return EndpointWithSecret(_view(endpoint), endpoint.secret)


def delete_endpoint(db: Tx, endpoint_id: int, *, principal: Principal | None) -> None:
    """Remove the endpoint and its deliveries (queued ones are never sent)."""
    require(principal, Action.MANAGE_INTEGRATIONS)
    with writing(db) as session:
        endpoint = _get(session, endpoint_id)
        record_audit(
            session, _actor(principal), "webhook.delete", "webhook_endpoint", endpoint_id,
            {"url": endpoint.url},
        )  # fmt: skip
        session.delete(endpoint)


def send_ping(db: Tx, endpoint_id: int, *, principal: Principal | None, now: datetime) -> int:
    """Queue a signed ``ping`` to one endpoint (to check the receiver); the delivery's id."""
    require(principal, Action.MANAGE_INTEGRATIONS)
    with writing(db) as session:
        endpoint = _get(session, endpoint_id)
        payload = _payload(PING_EVENT, now, {"endpoint_id": endpoint_id})
        row = enqueue_delivery(
            session, event=PING_EVENT, url=endpoint.url, payload=payload, now=now,
            endpoint_id=endpoint_id,
        )  # fmt: skip
        return row.id


def _payload(event: str, now: datetime, data: dict[str, Any]) -> dict[str, Any]:
    return {"id": new_event_id(), "event": event, "created_at": now.isoformat(), "data": data}


def _event_data(
    session: Session, event: Event, interview_id: int, extra: dict[str, Any]
) -> dict[str, Any]:
    interview = session.get(Interview, interview_id)
    data: dict[str, Any] = {"interview_id": interview_id}
    if interview is not None:
        data |= {
            "candidate_id": interview.candidate_id,
            "job_id": interview.job_id,
            "status": str(interview.status),
            "practice": interview.is_practice,  # a staff member's own practice run
        }
    if event is Event.EVALUATION_READY:
        evaluation = session.scalars(
            select(Evaluation).where(Evaluation.interview_id == interview_id)
        ).first()
        if evaluation is not None:
            data |= {
                "percentage": round(evaluation.percentage, 2),
                "overall_score": round(evaluation.overall_score, 2),
            }
    return data | extra


def on_event(
    session: Session, event: Event, interview_id: int, data: dict[str, Any], now: datetime
) -> None:
    """The listener (``core.integrations.events``): one delivery per active endpoint that
    subscribed to ``event``, all carrying one event id, in the emitting transaction."""
    endpoints = [
        e
        for e in session.scalars(
            select(WebhookEndpoint).where(WebhookEndpoint.is_active.is_(True))
        ).all()
        if event.value in (e.events or [])
    ]
    if not endpoints:
        return
    payload = _payload(event.value, now, _event_data(session, event, interview_id, data))
    for endpoint in endpoints:
        enqueue_delivery(
            session,
            event=event.value,
            url=endpoint.url,
            payload=payload,
            now=now,
            interview_id=interview_id,
            endpoint_id=endpoint.id,
        )
