"""The updated_at look-back keeps the driver's form: datetime (PostgreSQL) or text (SQLite)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.analytics.fingerprint import earlier


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            datetime(2026, 11, 22, 8, 0, 30, tzinfo=UTC),
            datetime(2026, 11, 22, 7, 59, 30, tzinfo=UTC),
        ),
        ("2026-11-22 08:00:30.250000", "2026-11-22 07:59:30.250000"),
        ("2026-11-22 08:00:30", "2026-11-22 07:59:30.000000"),
        ("not a time", "not a time"),
        (None, None),
    ],
    ids=["postgres datetime", "sqlite text", "sqlite text without fraction", "unknown", "none"],
)
def test_earlier_by_a_minute(value: object, expected: object) -> None:
    assert earlier(value, 60) == expected


def test_sqlite_text_still_compares_in_time_order() -> None:
    moved = earlier("2026-11-22 08:00:00.000001", 60)
    assert "2026-11-22 07:59:00" < moved < "2026-11-22 07:59:00.000002"
