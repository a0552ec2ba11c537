"""The platform's events, emitted inside the transaction of the change that caused them.

``emit(session, event, interview_id=…, now=…)`` hands the event to each listener below, in the
caller's transaction: webhook fan-out (one delivery row per subscribed endpoint) and Greenhouse
(a completion PATCH for interviews it ordered). Listeners only add rows; the sending happens
later on the delivery worker's thread, so a slow receiver never slows a page.

Emitted from: ``core.interview.flow.complete`` (``interview.completed``),
``core.interview.completion.evaluate_completed`` when it builds the first evaluation
(``evaluation.ready``), ``core.scheduling.booking.cancel`` with the interview
(``interview.cancelled``) and ``core.review.judgement.set_decision`` (``review.decided``).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session


class Event(StrEnum):
    INTERVIEW_COMPLETED = "interview.completed"
    EVALUATION_READY = "evaluation.ready"
    INTERVIEW_CANCELLED = "interview.cancelled"
    REVIEW_DECIDED = "review.decided"


#: ``module:function`` of each listener: ``f(session, event, interview_id, data, now) -> None``.
LISTENERS: tuple[str, ...] = (
    "core.integrations.webhooks:on_event",
    "core.integrations.greenhouse:on_event",
)

Listener = Callable[[Session, Event, int, dict[str, Any], datetime], None]
_resolved: list[Listener] | None = None


def _listeners() -> list[Listener]:
    global _resolved
    if _resolved is None:
        found: list[Listener] = []
        for spec in LISTENERS:
            module_name, _, name = spec.partition(":")
            found.append(getattr(importlib.import_module(module_name), name))
        _resolved = found
    return _resolved


def emit(
    session: Session,
    event: Event,
    *,
    interview_id: int,
    now: datetime,
    data: dict[str, Any] | None = None,
) -> None:
    """Record ``event`` for ``interview_id`` in the caller's transaction (see module doc)."""
    for listener in _listeners():
        listener(session, event, interview_id, dict(data or {}), now)
