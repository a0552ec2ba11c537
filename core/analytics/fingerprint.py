"""What the analytics copy compares to tell whether the operational database changed.

SQL text is built only from constant table names (hence ``noqa: S608``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from core.analytics.tables import BIG_TABLES


@dataclass(frozen=True)
class Fingerprint:
    interviews_count: int
    audit_max_id: int
    evaluations_max_id: int
    max_ids: tuple[tuple[str, int], ...]
    small_digest: str
    interviews_updated: Any = None  # the driver's raw value: compared back in SQL as it came

    def cheap_part(self) -> tuple[Any, ...]:
        return (
            self.interviews_count,
            self.audit_max_id,
            self.evaluations_max_id,
            self.max_ids,
            self.small_digest,
        )

    def max_id(self, table: str) -> int:
        return dict(self.max_ids)[table]


def cheap_fingerprint_sql() -> str:
    """Primary-key maxima and one count: index lookups only."""
    parts = [
        "(SELECT count(*) FROM interviews)",
        "(SELECT coalesce(max(id), 0) FROM audit_log)",
        "(SELECT coalesce(max(id), 0) FROM evaluations)",
        *(f"(SELECT coalesce(max(id), 0) FROM {t.name})" for t in BIG_TABLES),  # noqa: S608
    ]
    return "SELECT " + ", ".join(parts)


# An index lookup (ix_interviews_updated_at); a scan on a database without that index.
UPDATED_SQL = "SELECT max(updated_at) FROM interviews"


UPDATED_LOOKBACK_SECONDS = 60.0


def earlier(value: Any, seconds: float) -> Any:
    """The driver's raw ``max(updated_at)`` moved back by ``seconds``, in the same form
    (a datetime on PostgreSQL; SQLAlchemy's text on SQLite, which compares as text)."""
    if isinstance(value, datetime):
        return value - timedelta(seconds=seconds)
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value  # an unknown form: compared as it came, without the look-back
        return (moment - timedelta(seconds=seconds)).strftime("%Y-%m-%d %H:%M:%S.%f")
    return value
