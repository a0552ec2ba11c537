"""ConnectionRules: short video drops are connection events (info); only video missing past
the limit, or a camera the candidate turned off, is a "camera lost" warning."""

from __future__ import annotations

import pytest

from core.domain import ProctorEventKind, Severity
from core.proctor.rule_types import EventPhase
from core.proctor.rules import ConnectionRules

K = ProctorEventKind
AWAY = 30.0

# Steps: ("frame"|"tick"|"end", at seconds). Expected: (kind, phase, start, end) in order.
CASES: list[
    tuple[str, list[tuple[str, float]], list[tuple[K, EventPhase, float, float | None]]]
] = [
    ("steady video: nothing", [("frame", t / 10) for t in range(0, 100)] + [("tick", 10.0)], []),
    ("jitter under the minimum gap: nothing", [("frame", 0), ("frame", 1.5), ("tick", 2)], []),
    (
        "a 6 s drop that came back: one connection event",
        [("frame", 9), ("frame", 10), ("tick", 13), ("tick", 15), ("frame", 16)],
        [(K.CONNECTION, EventPhase.CLOSED, 10, 16)],
    ),
    (
        "three drops in a row: three connection events, no warning",
        [("frame", 0), ("frame", 5), ("frame", 10), ("frame", 14), ("frame", 27), ("tick", 28)],
        [
            (K.CONNECTION, EventPhase.CLOSED, 0, 5),
            (K.CONNECTION, EventPhase.CLOSED, 5, 10),
            (K.CONNECTION, EventPhase.CLOSED, 10, 14),
            (K.CONNECTION, EventPhase.CLOSED, 14, 27),
        ],
    ),
    (
        "a long gap noticed only when video returns (no tick ran): still camera lost",
        [("frame", 0), ("frame", 60)],
        [(K.CAMERA_LOST, EventPhase.OPENED, 0, None), (K.CAMERA_LOST, EventPhase.CLOSED, 0, 60)],
    ),
    (
        "a drop just under the limit: connection, not lost",
        [("frame", 0), ("tick", 29.9), ("frame", 29.9)],
        [(K.CONNECTION, EventPhase.CLOSED, 0, 29.9)],
    ),
    (
        "video missing past the limit: camera lost from the last frame until it returns",
        [("frame", 0), ("tick", 29), ("tick", 30), ("tick", 45), ("frame", 50)],
        [(K.CAMERA_LOST, EventPhase.OPENED, 0, None), (K.CAMERA_LOST, EventPhase.CLOSED, 0, 50)],
    ),
    (
        "before the first frame nothing can be lost",
        [("tick", 100), ("frame", 101)],
        [],
    ),
    (
        "the interview ends while video is missing: the warning closes at the end",
        [("frame", 0), ("tick", 40), ("end", 60), ("frame", 61), ("tick", 200)],
        [(K.CAMERA_LOST, EventPhase.OPENED, 0, None), (K.CAMERA_LOST, EventPhase.CLOSED, 0, 60)],
    ),
    (
        "the interview ends during a short drop: nothing",
        [("frame", 0), ("tick", 5), ("end", 6)],
        [],
    ),
]


@pytest.mark.parametrize(("name", "steps", "expected"), CASES, ids=[c[0] for c in CASES])
def test_connection_rules(
    name: str,
    steps: list[tuple[str, float]],
    expected: list[tuple[K, EventPhase, float, float | None]],
) -> None:
    rules = ConnectionRules(away_seconds=AWAY, min_gap_seconds=2.0)
    events = []
    for action, at in steps:
        events += {
            "frame": rules.frame,
            "tick": rules.tick,
            "end": rules.end,
        }[action](at)
    got = [(e.kind, e.phase, e.started_at, e.ended_at) for e in events]
    assert got == [(k, p, pytest.approx(s), e if e is None else pytest.approx(e))
                   for k, p, s, e in expected]  # fmt: skip
    for event in events:
        expected_severity = Severity.INFO if event.kind is K.CONNECTION else Severity.WARNING
        assert event.severity is expected_severity
    opened = {e.key for e in events if e.phase is EventPhase.OPENED}
    closed = {e.key for e in events if e.phase is EventPhase.CLOSED}
    assert opened <= closed or not rules.lost  # every opened warning closes unless still lost


def test_missing_for_drives_the_reconnecting_note() -> None:
    rules = ConnectionRules(away_seconds=AWAY)
    assert rules.missing_for(10) == 0.0  # never started
    rules.frame(10)
    assert rules.missing_for(13.5) == pytest.approx(3.5)
    rules.end(14)
    assert rules.missing_for(100) == 0.0


@pytest.mark.parametrize(("away", "gap"), [(0.0, 2.0), (-1.0, 2.0), (30.0, -0.1)])
def test_bad_limits_are_refused(away: float, gap: float) -> None:
    with pytest.raises(ValueError):
        ConnectionRules(away_seconds=away, min_gap_seconds=gap)


@pytest.mark.parametrize(
    ("stall_at", "stall", "lost_at_60"),
    [
        (None, 0.0, True),  # 60 s without video: camera lost
        (45.0, 35.0, False),  # the watchdog woke at 45 s, 35 s late: 25 s count
        (50.0, 200.0, False),  # never moved past the moment it woke: 10 s count
        (10.0, 5.0, True),  # a short stall: 55 s still count
    ],
)
def test_a_stalled_server_does_not_count_against_the_candidate(
    stall_at: float | None, stall: float, lost_at_60: bool
) -> None:
    rules = ConnectionRules(away_seconds=AWAY)
    rules.frame(0)
    if stall_at is not None:
        rules.server_stalled(stall_at, stall)
    events = rules.tick(60)
    assert bool(events) is lost_at_60
    assert rules.missing_for(60) <= 60


def test_a_stall_after_the_warning_opened_changes_nothing() -> None:
    rules = ConnectionRules(away_seconds=AWAY)
    rules.frame(0)
    (opened,) = rules.tick(31)
    rules.server_stalled(40, 9)
    (closed,) = rules.frame(50)
    assert (closed.key, closed.started_at, closed.ended_at) == (opened.key, 0, 50)
