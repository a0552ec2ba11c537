"""What counts as a proctoring *warning*: one definition for every place that counts them.

A warning is a proctoring event of severity ``warning`` or ``critical`` that is not a pure
connection event. ``info`` events ("could not tell", a short video drop that came back by
itself) are recorded and listed by kind but are not warnings; kinds that say nothing about the
candidate's conduct (``NOT_CONDUCT``: a connection drop, a problem on our side) are never
warnings, whatever severity they carry. "Camera lost" (no video past the limit, or the camera
turned off) is a warning.

The Review page (``ReviewBundle.warning_count``), the candidate's completion page and the
analytics queries (``warning_sql``) all count with this module, so they agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, TypeVar

from core.domain import ProctorEventKind, Severity

WARNING_SEVERITIES = frozenset({Severity.WARNING, Severity.CRITICAL})
# Kind values, not members: events of any kind value stored in the database are judged.
NOT_CONDUCT = frozenset({"connection", "system_issue"})


class _Event(Protocol):
    @property
    def kind(self) -> ProctorEventKind: ...

    @property
    def severity(self) -> Severity: ...


E = TypeVar("E", bound=_Event)


def is_warning(kind: ProctorEventKind | str, severity: Severity | str) -> bool:
    return Severity(severity) in WARNING_SEVERITIES and str(kind) not in NOT_CONDUCT


def warnings_only(events: Iterable[E]) -> list[E]:
    """The events that are warnings, in their order."""
    return [e for e in events if is_warning(e.kind, e.severity)]


def count_warnings(events: Iterable[_Event]) -> int:
    return sum(1 for e in events if is_warning(e.kind, e.severity))


def _sql_list(values: Iterable[str]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in sorted(values)) + ")"


def warning_sql(kind_column: str = "kind", severity_column: str = "severity") -> str:
    """The same definition as a SQL condition on a ``proctor_events`` row (DuckDB or any SQL).

    Built only from this module's constants and the caller's constant column names (never
    from user input)."""
    severities = _sql_list(s.value for s in WARNING_SEVERITIES)
    connection = _sql_list(NOT_CONDUCT)
    return (
        f"(CAST({severity_column} AS VARCHAR) IN {severities}"
        f" AND CAST({kind_column} AS VARCHAR) NOT IN {connection})"
    )
