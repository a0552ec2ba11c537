"""Greenhouse's Assessment Partner API, our side: the tests we offer, sending one to a candidate,
Greenhouse's error reports, and the completion PATCH (its status: ``greenhouse_status``).

Our *tests* are the active interview templates marked "Offer to Greenhouse as a test"
(``InterviewTemplate.greenhouse_test``); a test's ``partner_test_id`` is the template's id as a
string. Greenhouse calls with an API key of scope ``greenhouse`` (``Action.GREENHOUSE_PARTNER``),
checked first by every use case here.

``send_test`` (``greenhouse_send``) makes the candidate, the interview, the on-demand invitation
(its email with the link) and a ``GreenhouseOrder`` in one transaction; ``test_status``
(``greenhouse_status``) reports where the interview stands, with its score once evaluated.

Completion: when an interview Greenhouse ordered gets its evaluation (``Event.EVALUATION_READY``),
``on_event`` queues one PATCH to the callback URL as a delivery (``core.integrations.deliveries``),
sent with retries by the delivery worker; Greenhouse then asks ``test_status``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from core.db.models import (
    GreenhouseOrder,
    GreenhouseResponseError,
    InterviewTemplate,
    WebhookDelivery,
)
from core.db.uow import Tx, reading, writing
from core.integrations.events import Event
from core.staff.permissions import Action, ApiKeyPrincipal, Principal, require

logger = logging.getLogger(__name__)

#: The delivery event of the completion PATCH (``WebhookDelivery.event``).
COMPLETED_EVENT = "greenhouse.completed"
#: Who the audit log names for Greenhouse's changes (an API key is not a user).
ACTOR_LABEL = "Greenhouse"


@dataclass(frozen=True)
class PartnerTest:
    partner_test_id: str
    partner_test_name: str


def require_partner(principal: Principal | None) -> int | None:
    """Refuse anyone but Greenhouse's key (``GREENHOUSE_PARTNER``); the key's id, to record."""
    require(principal, Action.GREENHOUSE_PARTNER)
    return principal.key_id if isinstance(principal, ApiKeyPrincipal) else None


def list_tests(db: Tx, *, principal: Principal | None) -> list[PartnerTest]:
    """The tests Greenhouse may send: active templates offered to it, by title."""
    require_partner(principal)
    t = InterviewTemplate
    stmt = (
        select(t.id, t.title)
        .where(t.is_active.is_(True), t.greenhouse_test.is_(True))
        .order_by(t.title, t.id)
    )
    with reading(db) as session:
        return [PartnerTest(str(i), title) for i, title in session.execute(stmt)]


def record_response_error(
    db: Tx,
    *,
    api_call: str,
    errors: list[str],
    details: dict[str, Any],
    partner_interview_id: str = "",
    now: datetime,
    principal: Principal | None,
) -> int:
    """Keep an error report Greenhouse sent about one of our answers, and log it."""
    key_id = require_partner(principal)
    with writing(db) as session:
        row = GreenhouseResponseError(
            api_call=api_call,
            errors=list(errors),
            partner_interview_id=partner_interview_id,
            details={**details, "api_key_id": key_id},
            received_at=now,
        )
        session.add(row)
        session.flush()
        logger.warning(
            "Greenhouse reports errors in our %s answer (%s): %s",
            api_call,
            partner_interview_id or "no partner_interview_id",
            "; ".join(errors) or "no details",
        )
        return row.id


def on_event(
    session: Session, event: Event, interview_id: int, data: dict[str, Any], now: datetime
) -> None:
    """The listener (``core.integrations.events``): the completion PATCH of an ordered test,
    queued once, in the transaction that made the evaluation."""
    if event is not Event.EVALUATION_READY:
        return
    order = session.scalars(
        select(GreenhouseOrder).where(GreenhouseOrder.interview_id == interview_id)
    ).first()
    if order is None or not order.callback_url or order.patched_at is not None:
        return
    d = WebhookDelivery
    queued = session.scalar(
        select(exists().where(d.interview_id == interview_id, d.event == COMPLETED_EVENT))
    )
    if queued:
        return
    from core.integrations.deliveries import enqueue_delivery

    enqueue_delivery(
        session,
        event=COMPLETED_EVENT,
        url=order.callback_url,
        method="PATCH",
        payload={},
        interview_id=interview_id,
        now=now,
    )
    logger.info("Greenhouse completion PATCH queued for interview %s", interview_id)
