"""The sign-in delay policy: free failures, then doubling delays up to a cap, per key; the clock
is a parameter."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.config import load_settings
from core.staff.throttle import (
    Backoff,
    FailureRecord,
    LoginThrottle,
    describe_wait,
    wait_seconds,
)

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
POLICY = Backoff(free=3, base_seconds=2.0, cap_seconds=60.0)


@pytest.mark.parametrize(
    ("failures", "delay"),
    [(0, 0), (1, 0), (3, 0), (4, 2), (5, 4), (6, 8), (7, 16), (8, 32), (9, 60), (50, 60)],
)
def test_delay_grows_after_the_free_failures_and_is_capped(failures: int, delay: float) -> None:
    assert POLICY.delay_after(failures) == delay


def test_a_huge_count_is_the_cap_not_an_overflow() -> None:
    assert POLICY.delay_after(10**6) == 60.0


@pytest.mark.parametrize(
    ("failures", "last_failure_seconds_ago", "wait"),
    [
        (0, None, 0),  # never failed
        (3, 0, 0),  # free failures cost nothing
        (4, 0, 2),  # just failed the 4th time: 2 s
        (4, 1, 1),
        (4, 1.5, 1),  # rounded up to a whole second
        (4, 2, 0),  # waited long enough
        (6, 3, 5),  # 8 s after the 6th failure
        (20, 59, 1),  # capped at 60 s
        (20, 60, 0),
    ],
)
def test_wait_counts_from_the_last_failure_on_the_given_clock(
    failures: int, last_failure_seconds_ago: float | None, wait: int
) -> None:
    last = (
        None
        if last_failure_seconds_ago is None
        else T0 - timedelta(seconds=last_failure_seconds_ago)
    )
    assert wait_seconds(POLICY, FailureRecord(failures, last), now=T0) == wait


@pytest.mark.parametrize(
    ("pair", "address", "wait"),
    [
        ((0, 0), (0, 0), 0),
        ((4, 0), (4, 0), 2),  # the account from this address is delayed
        ((0, 0), (11, 0), 2),  # the address alone is delayed (free: 10 for an address)
        ((6, 0), (11, 0), 8),  # both: the longer wait
        ((0, 0), (10, 0), 0),  # another account from a busy address, still within its free
    ],
)
def test_throttle_takes_the_longer_of_the_two_keys(
    pair: tuple[int, int], address: tuple[int, int], wait: int
) -> None:
    throttle = LoginThrottle(
        per_account_address=POLICY,
        per_address=Backoff(free=10, base_seconds=2.0, cap_seconds=60.0),
        window=timedelta(minutes=15),
    )

    def record(count: int, ago: int) -> FailureRecord:
        return FailureRecord(count, T0 - timedelta(seconds=ago) if count else None)

    assert throttle.wait(record(*pair), record(*address), now=T0) == wait


def test_policy_from_settings() -> None:
    settings = load_settings(
        login_max_failures=4,
        login_address_max_failures=30,
        login_delay_base_seconds=1.5,
        login_delay_max_seconds=120,
        login_window_seconds=600,
    )
    throttle = LoginThrottle.from_settings(settings)
    assert throttle.per_account_address == Backoff(4, 1.5, 120.0)
    assert throttle.per_address == Backoff(30, 1.5, 120.0)
    assert throttle.window == timedelta(minutes=10)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (1, "1 second"),
        (45, "45 seconds"),
        (90, "90 seconds"),
        (120, "2 minutes"),
        (121, "3 minutes"),
        (300, "5 minutes"),
    ],
)
def test_wait_is_said_in_words(seconds: int, text: str) -> None:
    assert describe_wait(seconds) == text
