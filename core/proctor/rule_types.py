"""Inputs, outputs and thresholds of the proctoring rule engine (see rules.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

import numpy as np

from core.domain import ProctorEventKind, Severity
from core.proctor.detection import Detection
from core.proctor.frame_quality import FrameQuality


@dataclass(frozen=True)
class RuleConfig:
    """Thresholds, in seconds and detector confidences. Defaults are the shipped behaviour.

    Books and laptops are off by default: a bookshelf behind the candidate or the laptop they
    interview on is normal, and flagging it would be the false alarm users complain about.
    """

    person_confidence: float = 0.30
    no_person_seconds: float = 3.0
    multiple_people_seconds: float = 2.0
    # yolo11n sees clasped hands as a phone at up to 0.74 for about 0.2 s (book.mkv): a real
    # phone held up persists; the hands do not.
    phone_confidence: float = 0.50
    phone_seconds: float = 1.0
    detect_books: bool = False
    book_confidence: float = 0.50
    book_seconds: float = 3.0
    detect_laptops: bool = False
    laptop_confidence: float = 0.50
    laptop_seconds: float = 3.0
    # A lens covered by a hand or tape gives a nearly uniform frame; near-black is "dark".
    covered_max_contrast: float = 8.0
    dark_max_brightness: float = 25.0
    covered_seconds: float = 2.0
    # Dimmer than this and nobody detected: "could not tell", never "no person".
    dim_max_brightness: float = 50.0
    could_not_tell_seconds: float = 3.0
    camera_lost_seconds: float = 5.0
    # A condition absent for less than this does not end its event (gaps join).
    clear_seconds: float = 1.5
    # After an event of a kind ends, the next of that kind opens no sooner than this.
    cooldown_seconds: float = 5.0

    def __post_init__(self) -> None:
        for name, value in vars(self).items():
            if isinstance(value, float) and value < 0:
                raise ValueError(f"RuleConfig.{name} must be >= 0, got {value}")


SEVERITIES: dict[ProctorEventKind, Severity] = {
    ProctorEventKind.NO_PERSON: Severity.WARNING,
    ProctorEventKind.MULTIPLE_PEOPLE: Severity.CRITICAL,
    ProctorEventKind.PHONE: Severity.CRITICAL,
    ProctorEventKind.BOOK: Severity.WARNING,
    ProctorEventKind.LAPTOP: Severity.WARNING,
    ProctorEventKind.CAMERA_COVERED: Severity.WARNING,
    ProctorEventKind.CAMERA_LOST: Severity.WARNING,
    ProctorEventKind.COULD_NOT_TELL: Severity.INFO,
    ProctorEventKind.CONNECTION: Severity.INFO,
    ProctorEventKind.SYSTEM_ISSUE: Severity.INFO,
}


@dataclass(frozen=True)
class Observation:
    """What was seen in one sampled frame.

    ``detections`` is None when the detector failed on this frame (``error`` says why): the
    engine then reports "could not tell", never "no person". ``frame`` (BGR) is kept only as
    evidence for the snapshot.
    """

    detections: tuple[Detection, ...] | None
    quality: FrameQuality
    frame: np.ndarray | None = field(default=None, compare=False, repr=False)
    error: str = ""
    # False when the detector cannot confirm absence (faces only): seeing nobody is then
    # "could not tell", never "no person".
    absence_known: bool = True


@dataclass(frozen=True)
class Evidence:
    """The worst frame of an event and what was detected in it."""

    frame: np.ndarray = field(compare=False, repr=False)
    detections: tuple[Detection, ...]
    at: float


class EventPhase(StrEnum):
    OPENED = "opened"  # the condition persisted past its debounce
    CLOSED = "closed"  # the condition cleared (or the session ended)


@dataclass(frozen=True)
class RuleEvent:
    """One warning, reported when it opens and again when it closes (same ``key``).

    Times are the engine's clock (seconds); the worker maps them to wall-clock datetimes.
    """

    key: str
    kind: ProctorEventKind
    severity: Severity
    phase: EventPhase
    started_at: float
    ended_at: float | None
    peak_confidence: float | None
    detail: str
    evidence: Evidence | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class EventUpdate:
    """A warning opened or closed, in wall time, ready for ``event_log.record_updates``."""

    key: str
    kind: ProctorEventKind
    severity: Severity
    phase: EventPhase
    started_at: datetime
    ended_at: datetime | None
    peak_confidence: float | None
    detail: str
    detector: str
    snapshot_path: str | None
    thumbnail_path: str | None

    @classmethod
    def from_rule(
        cls,
        event: RuleEvent,
        wall: Callable[[float], datetime],
        *,
        detector: str,
        snapshot_path: str | None = None,
        thumbnail_path: str | None = None,
    ) -> EventUpdate:
        """``event`` with its engine times turned into wall times by ``wall``."""
        return cls(
            key=event.key,
            kind=event.kind,
            severity=event.severity,
            phase=event.phase,
            started_at=wall(event.started_at),
            ended_at=None if event.ended_at is None else wall(event.ended_at),
            peak_confidence=event.peak_confidence,
            detail=event.detail,
            detector=detector,
            snapshot_path=snapshot_path,
            thumbnail_path=thumbnail_path,
        )
