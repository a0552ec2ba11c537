"""Rule engine, table driven, with an injected clock (time comes from the sample index)."""

from __future__ import annotations

import pytest

from core.domain import ProctorEventKind as K
from core.domain import Severity
from core.proctor.rule_types import EventPhase, RuleConfig
from core.proctor.rules import RuleEngine
from tests.support.rule_helpers import NO_FRAME, NOBODY, ONE, TWO, Segment, obs, run

PHONE = obs(phone=0.8)
DARK_EMPTY = obs((), brightness=40.0, contrast=20.0)
COVERED = obs((), brightness=90.0, contrast=3.0)
BLACK = obs((), brightness=5.0, contrast=20.0)
BROKEN = obs(error="model crashed")
BOOK = obs(book=0.9)
LAPTOP = obs(laptop=0.9)
NO_FACE = obs((), absence_known=False)  # a face-only detector saw nobody
ONE_FACE = obs(absence_known=False)
TWO_FACES = obs((1.0, 1.0), absence_known=False)

CASES: list[tuple[str, list[Segment], RuleConfig | None, list[K]]] = [
    ("all fine", [(30, ONE)], None, []),
    ("absence below debounce", [(5, ONE), (2.5, NOBODY), (5, ONE)], None, []),
    ("long absence is one event", [(5, ONE), (20, NOBODY), (5, ONE)], None, [K.NO_PERSON]),
    (
        "short return inside clear time joins",
        [(2, ONE), (5, NOBODY), (0.5, ONE), (5, NOBODY), (5, ONE)],
        None,
        [K.NO_PERSON],
    ),
    ("second person flicker", [(3, ONE), (1.5, TWO), (3, ONE)], None, []),
    ("second person stays", [(3, ONE), (6, TWO), (3, ONE)], None, [K.MULTIPLE_PEOPLE]),
    (
        "phone flicker",
        [(0.5, PHONE), (0.5, ONE)] * 10,
        None,
        [],
    ),
    ("phone held", [(2, ONE), (4, PHONE), (2, ONE)], None, [K.PHONE]),
    ("weak phone ignored", [(10, obs(phone=0.4))], None, []),
    (
        "cooldown suppresses a quick repeat",
        [(2, ONE), (2, PHONE), (2, ONE), (2, PHONE), (2, ONE)],
        None,
        [K.PHONE],
    ),
    (
        "after the cooldown a new event",
        [(2, ONE), (2, PHONE), (10, ONE), (2, PHONE), (2, ONE)],
        None,
        [K.PHONE, K.PHONE],
    ),
    ("detector error is could-not-tell", [(2, ONE), (10, BROKEN)], None, [K.COULD_NOT_TELL]),
    ("dim and empty is could-not-tell", [(2, ONE), (10, DARK_EMPTY)], None, [K.COULD_NOT_TELL]),
    ("no face is could-not-tell", [(2, ONE_FACE), (10, NO_FACE)], None, [K.COULD_NOT_TELL]),
    ("face detector: two faces", [(2, ONE_FACE), (5, TWO_FACES)], None, [K.MULTIPLE_PEOPLE]),
    ("covered lens", [(2, ONE), (10, COVERED)], None, [K.CAMERA_COVERED]),
    ("black frame", [(2, ONE), (10, BLACK)], None, [K.CAMERA_COVERED]),
    ("books off by default", [(10, BOOK)], None, []),
    ("books when enabled", [(10, BOOK)], RuleConfig(detect_books=True), [K.BOOK]),
    ("laptops off by default", [(10, LAPTOP)], None, []),
    ("laptops when enabled", [(10, LAPTOP)], RuleConfig(detect_laptops=True), [K.LAPTOP]),
    ("camera lost", [(3, ONE), (8, NO_FRAME), (3, ONE)], None, [K.CAMERA_LOST]),
    ("short frame gap", [(3, ONE), (4, NO_FRAME), (3, ONE)], None, []),
    ("camera never started", [(30, NO_FRAME)], None, []),
]


@pytest.mark.parametrize(
    ("segments", "config", "expected"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_kinds_of_events_opened(
    segments: list[Segment], config: RuleConfig | None, expected: list[K]
) -> None:
    events = run(segments, config=config)
    opened = [e.kind for e in events if e.phase is EventPhase.OPENED]
    closed = [e.kind for e in events if e.phase is EventPhase.CLOSED]
    assert opened == expected
    assert sorted(closed) == sorted(expected)  # every event closes exactly once


def test_long_absence_times_and_severity() -> None:
    events = run([(5, ONE), (20, NOBODY), (5, ONE)])
    opened, closed = events
    assert opened.key == closed.key
    assert opened.started_at == 5.0  # backdated to when the condition began
    assert opened.ended_at is None
    assert closed.ended_at == 24.5  # last sample with nobody
    assert closed.severity is Severity.WARNING


def test_peak_confidence_and_evidence_of_phone() -> None:
    rising = [(0.5, obs(phone=c)) for c in (0.6, 0.7, 0.95, 0.8, 0.7)]
    events = run([(2, ONE), *rising, (3, ONE)])
    assert [e.phase for e in events] == [EventPhase.OPENED, EventPhase.CLOSED]
    assert events[-1].peak_confidence == pytest.approx(0.95)
    assert events[-1].severity is Severity.CRITICAL


def test_could_not_tell_is_never_no_person() -> None:
    events = run([(30, BROKEN), (30, DARK_EMPTY)])
    assert K.NO_PERSON not in {e.kind for e in events}


def test_camera_lost_starts_at_last_frame_and_ends_when_frames_return() -> None:
    events = run([(3, ONE), (8, NO_FRAME), (3, ONE)])
    opened, closed = events
    assert opened.kind is K.CAMERA_LOST
    assert opened.started_at == 2.5  # the last frame seen
    assert closed.ended_at == 11.0  # the first frame back


def test_open_event_closed_at_end_of_session() -> None:
    events = run([(2, ONE), (10, TWO)], close=False)
    assert [e.phase for e in events] == [EventPhase.OPENED]
    engine = RuleEngine()
    for i in range(20):
        engine.update(i * 0.5, TWO)
    assert engine.open_kinds == {K.MULTIPLE_PEOPLE}
    (closed,) = engine.close_all(10.0)
    assert closed.phase is EventPhase.CLOSED and closed.ended_at == 9.5
    assert engine.open_kinds == frozenset()


def test_debounce_does_not_depend_on_sample_rate() -> None:
    slow = run([(2, ONE), (4, PHONE), (2, ONE)], rate_hz=2)
    fast = run([(2, ONE), (4, PHONE), (2, ONE)], rate_hz=30)
    assert [e.kind for e in slow] == [e.kind for e in fast] == [K.PHONE, K.PHONE]


@pytest.mark.parametrize("field", ["no_person_seconds", "phone_confidence", "cooldown_seconds"])
def test_negative_thresholds_are_refused(field: str) -> None:
    with pytest.raises(ValueError, match=field):
        RuleConfig(**{field: -1.0})
