"""ConnectWatch: when a browser stuck "connecting" is asked for a new attempt."""

from __future__ import annotations

import pytest

from core.proctor.media_session import ConnectWatch

T, F = True, False
# (seconds since start, playing, signalling, wanted) -> due?
CASES = {
    "a connection within the limit is left alone": (
        [(0, F, T, T, F), (3.9, F, T, T, F), (4.5, T, F, T, F)],
    ),
    "connecting past the limit is restarted once": (
        [(0, F, T, T, F), (4.0, F, T, T, T), (5.0, F, T, T, F)],
    ),
    "not wanted (another tab, STOP) is never restarted": (
        [(0, F, T, F, F), (30, F, T, F, F)],
    ),
    "stopped in between: the wait starts again": (
        [(0, F, T, T, F), (3, F, F, T, F), (5, F, T, T, F),
         (8.9, F, T, T, F), (9.0, F, T, T, T)],
    ),
    "each failed attempt waits longer": (
        [(0, F, T, T, F), (4, F, T, T, T), (5, F, T, T, F),
         (12.9, F, T, T, F), (13, F, T, T, T), (14, F, T, T, F),
         (25.9, F, T, T, F), (26, F, T, T, T)],
    ),
    "video resets the backoff": (
        [(0, F, T, T, F), (4, F, T, T, T), (5, T, F, T, F),
         (6, F, T, T, F), (10, F, T, T, T)],
    ),
}  # fmt: skip


@pytest.mark.parametrize("steps", [c[0] for c in CASES.values()], ids=list(CASES))
def test_restart_when_stuck(steps: list[tuple[float, bool, bool, bool, bool]]) -> None:
    watch = ConnectWatch(after=4.0, longest=20.0)
    for now, playing, signalling, wanted, expected in steps:
        assert watch.due(now, playing, signalling, wanted) is expected, now


def test_the_wait_is_capped() -> None:
    watch = ConnectWatch(after=4.0, longest=10.0)
    watch.restarts = 9
    assert watch.limit() == 10.0


def test_observe_starts_the_clock_without_restarting() -> None:
    watch = ConnectWatch(after=4.0)
    watch.observe(0, False, True, True)
    assert watch.due(4.0, False, True, True) and watch.restarts == 1 and watch.last_wait == 4.0
