"""Analytics "Warnings by week": weeks are dates, every week in the span has a bar (0 when
nothing happened), and the axis is one category per week, never a time of day (issue 16 i)."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd

from core.analytics import charts
from core.db.engine import Database
from core.db.models import ProctorEvent
from core.domain import ProctorEventKind, Severity
from tests.support.analytics import Compute, chart_data
from tests.support.analytics_dataset import SmallDataset

WEEKS = ["16 Feb 2026", "23 Feb 2026", "02 Mar 2026", "09 Mar 2026"]


def _bars(figure: object) -> dict[str, list[int]]:
    traces = figure.data  # type: ignore[attr-defined]
    assert all(t.type == "bar" for t in traces)
    assert all(list(t.x) == WEEKS for t in traces)
    return {t.name: [int(v) for v in t.y] for t in traces}


def test_the_figure_has_a_bar_for_every_week_on_a_category_axis() -> None:
    data = pd.DataFrame(
        {
            "week": pd.to_datetime(["2026-02-16", "2026-03-02", "2026-03-02", "2026-03-09"]),
            "kind": ["phone", "book", "phone", "no_person"],
            "warnings": [1, 2, 3, 4],
        }
    ).astype({"week": "datetime64[us]"})
    figure = charts.warnings_over_time(data)
    assert _bars(figure) == {
        "book": [0, 0, 2, 0],
        "no_person": [0, 0, 0, 4],
        "phone": [1, 0, 3, 0],  # the week of 23 Feb had none: a 0, not a missing point
    }
    assert figure.layout.xaxis.type == "category" and figure.layout.barmode == "stack"
    one_week = charts.warnings_over_time(data.iloc[:1])
    assert [list(t.x) for t in one_week.data] == [["16 Feb 2026"]]  # one bar, not nothing


def test_warnings_over_several_weeks_from_the_database(
    db: Database, small: SmallDataset, compute: Compute
) -> None:
    with db.write() as s:
        for when, kind, severity in (
            (datetime(2026, 2, 16, 9, 0, tzinfo=UTC), ProctorEventKind.BOOK, Severity.WARNING),
            (datetime(2026, 2, 25, 23, 59, tzinfo=UTC), ProctorEventKind.PHONE, Severity.CRITICAL),
            (
                datetime(2026, 2, 25, 9, 0, tzinfo=UTC),
                ProctorEventKind.COULD_NOT_TELL,
                Severity.INFO,
            ),
        ):
            s.add(
                ProctorEvent(
                    interview_id=small.interviews["I1"],
                    kind=kind,
                    severity=severity,
                    started_at=when,
                )
            )
    dashboard = compute()
    data = chart_data(dashboard, "warnings_over_time")
    assert [d.isoformat() for d in data["week"].dt.date] == [
        "2026-02-16",
        "2026-02-23",
        "2026-03-02",
        "2026-03-02",
        "2026-03-09",
    ]
    figure = next(c.figure for c in dashboard.charts if c.key == "warnings_over_time")
    assert _bars(figure) == {
        "book": [1, 0, 1, 0],
        "no_person": [0, 0, 0, 1],
        "phone": [0, 1, 2, 0],
    }
    share = next(c.figure for c in dashboard.charts if c.key == "warning_share")
    assert share.layout.xaxis.type == "category"
    assert list(share.data[0].x) == ["02 Mar 2026", "09 Mar 2026"]  # weeks interviews started
