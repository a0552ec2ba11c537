"""MonotonicTimeline: the timestamps a recording can store, whatever arrived."""

from __future__ import annotations

from fractions import Fraction
from itertools import pairwise

import pytest

from core.proctor.frame_timing import MonotonicTimeline, ticks

VIDEO = Fraction(1, 90000)
WRAP = 1 << 32  # what aiortc adds to every later frame after one late packet
FALLBACK = 2700  # the caller's wall-clock step (30 ms)

# incoming pts (None: no pts) -> expected output pts, corrections
CASES = {
    "steady 30 fps is kept as it came": ([1000, 4000, 7000, 10000], [1000, 4000, 7000, 10000], 0),
    "jitter and a real 5-s gap are kept": (
        [0, 1000, 6000, 6000 + 5 * 90000],
        [0, 1000, 6000, 456000],
        0,
    ),
    "aiortc's false wrap: one late packet shifts the rest 13 h ahead": (
        [0, 3000, 6000, 5990 + WRAP, 9000 + WRAP, 12000 + WRAP],
        [0, 3000, 6000, 6000 + FALLBACK, 9010 + FALLBACK, 12010 + FALLBACK],
        1,
    ),
    "a step backwards (a late frame) is moved forward": (
        [0, 3000, 6000, 4000, 9000],
        [0, 3000, 6000, 6000 + FALLBACK, 11000 + FALLBACK],
        1,
    ),
    "an equal timestamp is moved forward": (
        [0, 3000, 3000, 6000],
        [0, 3000, 3000 + FALLBACK, 6000 + FALLBACK],
        1,
    ),
    "a frame without pts continues from the last one": (
        [0, 3000, None, 9000],
        [0, 3000, 3000 + FALLBACK, 9000 + FALLBACK],
        1,
    ),
    "a negative first pts starts at 0": ([-500, 2500], [0, 3000], 0),
    "a step longer than a minute is not believed": (
        [0, 3000, 3000 + 61 * 90000],
        [0, 3000, 3000 + FALLBACK],
        1,
    ),
}


@pytest.mark.parametrize(("incoming", "expected", "corrections"), CASES.values(), ids=CASES)
def test_timeline(incoming: list[int | None], expected: list[int], corrections: int) -> None:
    timeline = MonotonicTimeline(VIDEO)
    out = [timeline.next_pts(pts, FALLBACK) for pts in incoming]
    assert out == expected
    assert timeline.corrections == corrections
    assert all(b > a for a, b in pairwise(out))


def test_a_fallback_of_zero_still_moves_forward() -> None:
    timeline = MonotonicTimeline(VIDEO)
    assert [timeline.next_pts(p, 0) for p in (10, 10, 10)] == [10, 11, 12]


@pytest.mark.parametrize(
    ("seconds", "time_base", "expected"),
    [(0.03, VIDEO, 2700), (0.02, Fraction(1, 48000), 960), (-1.0, VIDEO, 0), (0.0, VIDEO, 0)],
)
def test_ticks(seconds: float, time_base: Fraction, expected: int) -> None:
    assert ticks(seconds, time_base) == expected
