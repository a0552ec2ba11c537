"""Calls to other systems as a table: queued in the transaction that caused them, then sent,
retried with back-off and recorded by the delivery worker (``core.integrations.worker``).

A delivery is a signed webhook event (``endpoint_id`` set, ``POST``) or Greenhouse's completion
``PATCH`` (no endpoint). Claiming works like the mail outbox's (``core.mail.queue``): a
conditional ``UPDATE … WHERE id = :id AND <still due>`` whose row count tells the claimer it
won, ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, a lease that another worker may take over once
it expires. Delivery is at-least-once: receivers de-duplicate on ``event_id`` (the
``X-Intervista-Delivery`` header carries the delivery's id, ``payload["id"]`` the event's).

A replay is a new row with the same ``event_id`` and ``replay_of_id`` pointing at the original,
so the record of what was sent before is never rewritten.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, and_, func, or_, select, update
from sqlalchemy.orm import Session

from core.config import Settings
from core.db import leases
from core.db.engine import Database
from core.db.models import GreenhouseOrder, WebhookDelivery, WebhookEndpoint
from core.db.uow import Tx, reading, writing
from core.errors import NotFound
from core.staff.permissions import Action, Principal, require

GREENHOUSE_EVENT = "greenhouse.completed"
MAX_ERROR_CHARS = 1000


class DeliveryStatus(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


@dataclass(frozen=True)
class DeliveryPolicy:
    """Back-off ``base × 2^(attempts-1)`` capped at ``max_delay``; ``failed`` after the last."""

    base_delay_seconds: float = 30.0
    max_delay_seconds: float = 3600.0
    max_attempts: int = 8
    lease_seconds: float = 120.0

    def delay_after(self, attempts_made: int) -> timedelta:
        exponent = min(max(0, attempts_made - 1), 30)
        return timedelta(
            seconds=min(self.max_delay_seconds, self.base_delay_seconds * (2**exponent))
        )

    @classmethod
    def from_settings(cls, settings: Settings) -> DeliveryPolicy:
        return cls(
            base_delay_seconds=settings.webhook_backoff_base_seconds,
            max_delay_seconds=settings.webhook_backoff_max_seconds,
            max_attempts=settings.webhook_max_attempts,
            lease_seconds=max(60.0, 6 * settings.webhook_timeout_seconds),
        )


@dataclass(frozen=True)
class ClaimedDelivery:
    """What the worker sends (``attempts`` counts this attempt; ``lease_until`` is the token)."""

    id: int
    event_id: str
    event: str
    method: str
    url: str
    payload: dict[str, Any]
    endpoint_id: int | None
    secret: str  # the endpoint's signing secret; empty for Greenhouse
    interview_id: int | None
    attempts: int
    lease_until: datetime


@dataclass(frozen=True)
class DeliveryView:
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


def new_event_id() -> str:
    return f"evt_{uuid.uuid4().hex}"


def enqueue_delivery(
    session: Session,
    *,
    event: str,
    url: str,
    payload: dict[str, Any],
    now: datetime,
    method: str = "POST",
    interview_id: int | None = None,
    endpoint_id: int | None = None,
    event_id: str | None = None,
    replay_of_id: int | None = None,
) -> WebhookDelivery:
    """Add one delivery to the caller's transaction, due now."""
    row = WebhookDelivery(
        event_id=event_id or str(payload.get("id") or new_event_id()),
        event=event,
        endpoint_id=endpoint_id,
        method=method,
        url=url,
        payload=payload,
        interview_id=interview_id,
        status=DeliveryStatus.QUEUED,
        attempts=0,
        next_attempt_at=now,
        created_at=now,
        replay_of_id=replay_of_id,
    )
    session.add(row)
    session.flush()
    return row


def _due(now: datetime, policy: DeliveryPolicy) -> ColumnElement[bool]:
    d = WebhookDelivery
    return or_(
        and_(d.status == DeliveryStatus.QUEUED, d.next_attempt_at <= now),
        and_(
            d.status == DeliveryStatus.SENDING,
            d.lease_until <= now,
            d.attempts < policy.max_attempts,
        ),
    )


def has_work(db: Database, now: datetime, policy: DeliveryPolicy) -> bool:
    """A cheap read before any write lock: is a delivery due, or stuck on an expired lease?"""
    d = WebhookDelivery
    stuck = and_(d.status == DeliveryStatus.SENDING, d.lease_until <= now)
    with db.read() as session:
        return (
            session.scalar(select(d.id).where(or_(_due(now, policy), stuck)).limit(1)) is not None
        )


def fail_exhausted_leases(db: Database, now: datetime, policy: DeliveryPolicy) -> int:
    """Deliveries whose worker died on their last allowed attempt become ``failed``."""
    d = WebhookDelivery
    with db.write() as session:
        result = cast(
            CursorResult[Any],
            session.execute(
                update(d)
                .where(
                    d.status == DeliveryStatus.SENDING,
                    d.lease_until <= now,
                    d.attempts >= policy.max_attempts,
                )
                .values(
                    status=DeliveryStatus.FAILED,
                    lease_until=None,
                    last_error="the worker stopped while sending on the last allowed attempt; "
                    "it may or may not have arrived (replay it to send it again)",
                )
                .execution_options(synchronize_session=False)
            ),
        )
        return int(result.rowcount or 0)


def claim_next(db: Database, now: datetime, policy: DeliveryPolicy) -> ClaimedDelivery | None:
    """Lease the most overdue delivery to the calling worker thread, or None."""
    d = WebhookDelivery
    lease_until = now + timedelta(seconds=policy.lease_seconds)

    def snapshot(session: Session, row: WebhookDelivery) -> ClaimedDelivery:
        endpoint = session.get(WebhookEndpoint, row.endpoint_id) if row.endpoint_id else None
        return ClaimedDelivery(
            id=row.id,
            event_id=row.event_id,
            event=row.event,
            method=row.method,
            url=row.url,
            payload=dict(row.payload),
            endpoint_id=row.endpoint_id,
            secret=endpoint.secret if endpoint is not None else "",
            interview_id=row.interview_id,
            attempts=row.attempts,
            lease_until=lease_until,
        )

    claimed_values = {
        "status": DeliveryStatus.SENDING,
        "lease_until": lease_until,
        "attempts": d.attempts + 1,
    }
    return leases.claim_next(db, d, _due(now, policy), claimed_values, snapshot)


def mark_delivered(
    db: Database, delivery: ClaimedDelivery, status_code: int, now: datetime
) -> bool:
    """Record a 2xx answer (even if the lease was lost: nobody must send it again); a
    Greenhouse completion also marks its order as told."""
    d = WebhookDelivery
    with db.write() as session:
        result = cast(
            CursorResult[Any],
            session.execute(
                update(d)
                .where(d.id == delivery.id, d.status != DeliveryStatus.SENT)
                .values(
                    status=DeliveryStatus.SENT,
                    delivered_at=now,
                    lease_until=None,
                    last_status_code=status_code,
                    last_error="",
                )
                .execution_options(synchronize_session=False)
            ),
        )
        if delivery.event == GREENHOUSE_EVENT and delivery.interview_id is not None:
            session.execute(
                update(GreenhouseOrder)
                .where(
                    GreenhouseOrder.interview_id == delivery.interview_id,
                    GreenhouseOrder.patched_at.is_(None),
                )
                .values(patched_at=now)
                .execution_options(synchronize_session=False)
            )
        return result.rowcount == 1


def mark_not_delivered(
    db: Database,
    delivery: ClaimedDelivery,
    now: datetime,
    *,
    status_code: int | None,
    error: str,
    policy: DeliveryPolicy,
) -> DeliveryStatus | None:
    """Schedule a retry, or give up after the last attempt; only while holding the lease.
    None when another worker took the delivery over meanwhile."""
    d = WebhookDelivery
    status = (
        DeliveryStatus.FAILED if delivery.attempts >= policy.max_attempts else DeliveryStatus.QUEUED
    )
    with db.write() as session:
        result = cast(
            CursorResult[Any],
            session.execute(
                update(d)
                .where(
                    d.id == delivery.id,
                    d.status == DeliveryStatus.SENDING,
                    d.lease_until == delivery.lease_until,
                )
                .values(
                    status=status,
                    lease_until=None,
                    last_status_code=status_code,
                    last_error=error[:MAX_ERROR_CHARS],
                    next_attempt_at=now + policy.delay_after(delivery.attempts),
                )
                .execution_options(synchronize_session=False)
            ),
        )
        return status if result.rowcount == 1 else None


def _view(row: WebhookDelivery) -> DeliveryView:
    return DeliveryView(
        id=row.id,
        event_id=row.event_id,
        event=row.event,
        endpoint_id=row.endpoint_id,
        method=row.method,
        url=row.url,
        interview_id=row.interview_id,
        status=DeliveryStatus(row.status),
        attempts=row.attempts,
        last_status_code=row.last_status_code,
        last_error=row.last_error,
        created_at=row.created_at,
        next_attempt_at=row.next_attempt_at,
        delivered_at=row.delivered_at,
        replay_of_id=row.replay_of_id,
        payload=dict(row.payload),
    )


def page_deliveries(
    db: Tx,
    *,
    principal: Principal | None,
    endpoint_id: int | None = None,
    status: DeliveryStatus | None = None,
    event: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[int, list[DeliveryView]]:
    """Deliveries, newest first, and how many match (administrators)."""
    require(principal, Action.MANAGE_INTEGRATIONS)
    d = WebhookDelivery
    where: list[ColumnElement[bool]] = []
    if endpoint_id is not None:
        where.append(d.endpoint_id == endpoint_id)
    if status is not None:
        where.append(d.status == status)
    if event:
        where.append(d.event == event)
    with reading(db) as session:
        count = int(session.scalar(select(func.count(d.id)).where(*where)) or 0)
        rows = session.scalars(
            select(d)
            .where(*where)
            .order_by(d.created_at.desc(), d.id.desc())
            .offset(max(0, offset))
            .limit(max(1, limit))
        ).all()
        return count, [_view(r) for r in rows]


def get_delivery(db: Tx, delivery_id: int, *, principal: Principal | None) -> DeliveryView:
    require(principal, Action.MANAGE_INTEGRATIONS)
    with reading(db) as session:
        row = session.get(WebhookDelivery, delivery_id)
        if row is None:
            raise NotFound(f"No delivery #{delivery_id}.", code="delivery_not_found")
        return _view(row)


def replay(db: Tx, delivery_id: int, *, principal: Principal | None, now: datetime) -> DeliveryView:
    """Send a delivery again, as a new delivery of the same event (same body and event id).

    A webhook goes to its endpoint's current URL; one whose endpoint was removed cannot be
    replayed (404)."""
    require(principal, Action.MANAGE_INTEGRATIONS)
    with writing(db) as session:
        original = session.get(WebhookDelivery, delivery_id)
        if original is None:
            raise NotFound(f"No delivery #{delivery_id}.", code="delivery_not_found")
        url = original.url
        if original.endpoint_id is not None:
            endpoint = session.get(WebhookEndpoint, original.endpoint_id)
            if endpoint is None:
                raise NotFound("Its webhook endpoint was removed.", code="endpoint_not_found")
            url = endpoint.url
        row = enqueue_delivery(
            session,
            event=original.event,
            url=url,
            payload=dict(original.payload),
            now=now,
            method=original.method,
            interview_id=original.interview_id,
            endpoint_id=original.endpoint_id,
            event_id=original.event_id,
            replay_of_id=original.id,
        )
        return _view(row)
