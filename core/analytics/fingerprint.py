"""What the analytics copy compares to tell whether the operational database changed.

SQL text is built only from constant table names (hence ``noqa: S608``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from core.analytics.tables import BIG_TABLES, INTERVIEWS, RESPONSES, TableSpec


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


def delta_where(
    spec: TableSpec, previous: Fingerprint, id_lookback: int, updated_lookback_seconds: float
) -> tuple[str, dict[str, Any]]:
    """The condition (with its parameters) on ``spec.source`` of the rows that may have
    changed since ``previous``: new ids (and the last ``id_lookback`` again), interviews
    updated since (with a look-back), answers of those and answers named by new audit
    entries."""
    # A look-back re-reads the last ids (upserts are idempotent): on PostgreSQL an id can
    # commit after a higher one.
    params: dict[str, Any] = {"max_id": previous.max_id(spec.name) - id_lookback}
    where = f"{spec.alias}id > :max_id"
    # updated_at is set when a transaction flushes, not when it commits: one that commits
    # after a later one was seen would be missed without this look-back.
    since = earlier(previous.interviews_updated, updated_lookback_seconds)
    if spec is INTERVIEWS and since is not None:
        where += " OR updated_at > :since"
        params["since"] = since
    elif spec is RESPONSES:
        # One IN over a UNION of indexed reads: with ORs PostgreSQL scans every answer.
        ids = [
            "SELECT id FROM interview_responses WHERE id > :max_id",
            "SELECT entity_id FROM audit_log WHERE id > :audit AND entity_type = 'response'",
        ]
        params["audit"] = previous.audit_max_id
        if since is not None:
            ids.append(
                "SELECT id FROM interview_responses WHERE interview_id IN "
                "(SELECT id FROM interviews WHERE updated_at > :since)"
            )
            params["since"] = since
        where = f"r.id IN ({' UNION ALL '.join(ids)})"
    return where, params
