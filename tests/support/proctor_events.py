"""Proctoring event updates as the worker emits them, at offsets from a fixed start."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.domain import ProctorEventKind as K
from core.domain import Severity
from core.proctor.rule_types import EventPhase, EventUpdate

T0 = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)


def update(
    key: str,
    kind: K,
    phase: EventPhase,
    *,
    start: float,
    end: float | None = None,
    peak: float | None = None,
    snapshot: str | None = None,
) -> EventUpdate:
    return EventUpdate(
        key=key,
        kind=kind,
        severity=Severity.CRITICAL if kind is K.PHONE else Severity.WARNING,
        phase=phase,
        started_at=T0 + timedelta(seconds=start),
        ended_at=None if end is None else T0 + timedelta(seconds=end),
        peak_confidence=peak,
        detail="test",
        detector="onnxruntime",
        snapshot_path=snapshot,
        thumbnail_path=snapshot.replace(".jpg", ".thumb.jpg") if snapshot else None,
    )
