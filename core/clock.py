"""Clocks: the system clock and a fixed one for tests. All times are timezone-aware UTC."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...

    def monotonic(self) -> float: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()


@dataclass
class FixedClock:
    """A clock that only moves when told to (tests, replays)."""

    current: datetime = field(default_factory=lambda: datetime(2026, 1, 5, 9, 0, tzinfo=UTC))
    mono: float = 0.0

    def now(self) -> datetime:
        return self.current

    def monotonic(self) -> float:
        return self.mono

    def advance(self, seconds: float) -> None:
        self.current += timedelta(seconds=seconds)
        self.mono += seconds


class WallAnchor:
    """Turns a clock's monotonic seconds into wall time, anchored once at creation (so a wall
    clock that jumps later does not reorder events)."""

    def __init__(self, clock: Clock) -> None:
        self._wall = clock.now()
        self._mono = clock.monotonic()

    def wall(self, monotonic: float) -> datetime:
        return self._wall + timedelta(seconds=monotonic - self._mono)


def utcnow() -> datetime:
    return datetime.now(UTC)
