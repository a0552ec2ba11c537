"""Sign-in throttling: growing delays after failures, never a lock-out.

Failures are counted for two keys: the account *from one address*, and the address whatever the
account. After a number of free failures each further failure makes that key wait longer before
the next attempt is even checked (``base``, doubling, capped at ``cap``). An attacker flooding an
account from one address slows down there alone; the real user signing in from another address
is not delayed. Pure functions: the caller passes the clock's ``now``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from core.config import Settings


@dataclass(frozen=True)
class Backoff:
    """``free`` failures cost nothing; the n-th failure beyond them costs ``base * 2**(n-1)``
    seconds of waiting (at most ``cap``) before the next attempt is checked."""

    free: int
    base_seconds: float
    cap_seconds: float

    def delay_after(self, failures: int) -> float:
        """Seconds to wait after the last of ``failures`` recent failures."""
        beyond = failures - self.free
        if beyond <= 0:
            return 0.0
        if beyond > 64:  # 2**64 is far past any cap
            return self.cap_seconds
        return min(self.cap_seconds, self.base_seconds * 2 ** (beyond - 1))


@dataclass(frozen=True)
class FailureRecord:
    """Recent failures for one key: how many, and when the last one happened."""

    failures: int
    last_failure_at: datetime | None


def wait_seconds(backoff: Backoff, record: FailureRecord, now: datetime) -> int:
    """Whole seconds ``now`` still has to wait for this key (0: go ahead)."""
    if record.last_failure_at is None:
        return 0
    until = record.last_failure_at + timedelta(seconds=backoff.delay_after(record.failures))
    return max(0, math.ceil((until - now).total_seconds()))


@dataclass(frozen=True)
class LoginThrottle:
    """The sign-in policy: one backoff per (account, address), one per address."""

    per_account_address: Backoff
    per_address: Backoff
    window: timedelta  # failures older than this are forgotten

    @classmethod
    def from_settings(cls, settings: Settings) -> LoginThrottle:
        base, cap = settings.login_delay_base_seconds, settings.login_delay_max_seconds
        return cls(
            per_account_address=Backoff(settings.login_max_failures, base, cap),
            per_address=Backoff(settings.login_address_max_failures, base, cap),
            window=timedelta(seconds=settings.login_window_seconds),
        )

    def wait(self, account_address: FailureRecord, address: FailureRecord, now: datetime) -> int:
        """Seconds before the next attempt for this account from this address is checked."""
        return max(
            wait_seconds(self.per_account_address, account_address, now),
            wait_seconds(self.per_address, address, now),
        )


def describe_wait(seconds: int) -> str:
    """'45 seconds', '90 seconds', '3 minutes' (rounded up) — for the sign-in page."""
    if seconds < 120:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"
