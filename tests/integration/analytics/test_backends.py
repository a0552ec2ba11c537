"""The same figures on SQLite and PostgreSQL (read by COPY on PostgreSQL)."""

from __future__ import annotations

import pytest

from core.analytics.dashboard import AnalyticsService
from core.analytics.filters import DashboardRequest, QuestionThresholds
from core.db.engine import Database
from tests.support.analytics import chart_data, records
from tests.support.analytics_dataset import NOW, build

pytestmark = pytest.mark.postgres  # each test runs on SQLite and on PostgreSQL (any_db)


def test_figures_agree_on_both_backends(any_db: Database) -> None:
    build(any_db)
    svc = AnalyticsService(any_db.engine)
    try:
        dash = svc.dashboard(DashboardRequest(questions=QuestionThresholds(min_answers=2)), NOW)
    finally:
        svc.close()
    h = dash.headline
    assert (h.interviews, h.completed, h.overridden, h.no_shows) == (7, 3, 1, 1)
    assert h.mean_score == pytest.approx(45.0)
    assert h.median_minutes == pytest.approx(45.0)
    assert records(chart_data(dash, "funnel"), "stage", "interviews") == [
        ("scheduled", 6),
        ("started", 4),
        ("completed", 3),
        ("reviewed", 3),
        ("decided", 1),
    ]
    assert records(chart_data(dash, "most_flagged"), "warnings", "critical", "kinds") == [
        (2, 2, "phone"),
        (1, 0, "no_person"),
        (1, 0, "book"),
    ]
    assert records(chart_data(dash, "questions"), "question", "mean", "flag") == [
        ("b1", 6.0, "ok"),
        ("b2", 4.5, "ok"),
        ("b3", 3.0, "too few answers"),
    ]
    assert records(chart_data(dash, "coding_pass_rates"), "language", "tests_passed_share") == [
        ("PYTHON", 0.6875),
        ("JAVA", 0.0),
    ]


def test_delta_refresh_on_both_backends(any_db: Database) -> None:
    data = build(any_db)
    svc = AnalyticsService(any_db.engine)
    try:
        svc.dashboard(DashboardRequest(), NOW)
        from core.db.models import ProctorEvent
        from core.domain import ProctorEventKind, Severity

        with any_db.write() as s:
            s.add(
                ProctorEvent(
                    interview_id=data.interviews["I2"],
                    kind=ProctorEventKind.BOOK,
                    severity=Severity.WARNING,
                    started_at=NOW,
                )
            )
        report = svc.store.refresh()
        assert report.changed and not report.full and report.rows_read == 1
        assert svc.store.counts()["proctor_events"] == 11
    finally:
        svc.close()
