"""The DuckDB copy follows the database: deltas, overrides, deletions, and the result cache."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

from sqlalchemy import delete, func, select, update

from core.analytics.dashboard import AnalyticsService
from core.analytics.filters import DashboardRequest
from core.clock import FixedClock
from core.db.engine import Database
from core.db.models import Interview, InterviewResponse, Job, ProctorEvent
from core.domain import ProctorEventKind, Role, Severity
from core.review import judgement
from tests.support.analytics import chart_data
from tests.support.analytics_dataset import NOW, SmallDataset, at
from tests.support.factories import make_user

REQUEST = DashboardRequest()


def test_unchanged_data_is_served_from_the_cache(
    small: SmallDataset, service: AnalyticsService
) -> None:
    first = service.dashboard(REQUEST, NOW)
    again = service.dashboard(REQUEST, NOW + timedelta(minutes=20))  # same hour
    assert again is first
    report = service.store.refresh()
    assert not report.changed
    later = service.dashboard(REQUEST, NOW + timedelta(hours=1))  # no-shows may differ
    assert later is not first
    assert later.data_version == first.data_version


def test_a_new_event_is_appended_and_invalidates(
    db: Database, small: SmallDataset, service: AnalyticsService
) -> None:
    before = service.dashboard(REQUEST, NOW)
    with db.write() as s:
        s.add(
            ProctorEvent(
                interview_id=small.interviews["I2"],
                kind=ProctorEventKind.PHONE,
                severity=Severity.CRITICAL,
                started_at=at(3, 10, 20),
            )
        )
    report = service.store.refresh()
    assert report.changed and not report.full
    assert report.rows_read == 1
    after = service.dashboard(REQUEST, NOW)
    assert after.data_version == before.data_version + 1
    events = chart_data(after, "events_by_kind")
    assert int(events.loc[events["kind"] == "phone", "events"].iloc[0]) == 3


def test_a_human_override_changes_the_scores(
    db: Database, small: SmallDataset, service: AnalyticsService
) -> None:
    assert service.dashboard(REQUEST, NOW).headline.mean_score == 45.0
    reviewer = make_user(db, Role.HIRING_MANAGER)
    judgement.override_score(
        db,
        response_id=small.responses["I3q1"],
        score=9.0,
        reason="clearly correct on review",
        actor_id=reviewer.id,
        now=NOW,
    )
    after = service.dashboard(REQUEST, NOW)
    assert after.headline.mean_score == (70 + 35 + 90) / 3
    assert after.headline.overridden == 2


def _score_i3_without_new_ids(db: Database, small: SmallDataset) -> None:
    with db.write() as s:  # what the evaluator does: score the answer, then the totals
        s.execute(
            update(InterviewResponse)
            .where(InterviewResponse.id == small.responses["I3q2"])
            .values(score=5.0)
        )
        s.execute(  # updated_at: the column's onupdate (now)
            update(Interview).where(Interview.id == small.interviews["I3"]).values(percentage=40.0)
        )


def test_an_interview_only_change_shows_at_once(db: Database, small: SmallDataset) -> None:
    svc = AnalyticsService(db.engine, clock=FixedClock())
    try:
        assert svc.dashboard(REQUEST, NOW).headline.mean_score == 45.0
        _score_i3_without_new_ids(db, small)
        assert svc.dashboard(REQUEST, NOW).headline.mean_score == (70 + 35 + 40) / 3
    finally:
        svc.close()


def test_a_deleted_interview_disappears(
    db: Database, small: SmallDataset, service: AnalyticsService
) -> None:
    service.dashboard(REQUEST, NOW)
    with db.write() as s:
        s.execute(delete(Interview).where(Interview.id == small.interviews["I1"]))
    after = service.dashboard(REQUEST, NOW)
    assert after.headline.interviews == 6
    assert after.headline.mean_score == (35 + 30) / 2
    assert service.store.counts()["proctor_events"] == 7  # I1's three went with it (5 are I8's)


def test_a_new_job_shows_in_the_options(
    db: Database, small: SmallDataset, service: AnalyticsService
) -> None:
    assert len(service.options().jobs) == 2
    with db.write() as s:
        s.add(Job(title="Frontend", company="C"))
    assert "Frontend — C" in service.options().jobs.values()


def test_an_empty_database_has_no_dashboard(db: Database) -> None:
    svc = AnalyticsService(db.engine)
    try:
        assert svc.options().first_day is None
        dash = svc.dashboard(REQUEST, NOW)
        assert dash.is_empty and dash.charts == ()
    finally:
        svc.close()


def test_warm_up_in_the_background_prepares_the_first_dashboard(
    db: Database, small: SmallDataset
) -> None:
    svc = AnalyticsService(db.engine, clock=FixedClock())
    try:
        warming = svc.start_warm_up()
        assert warming is not None
        assert warming.result(60) > 0
        assert svc.store.version == 1  # the copy was read once
        assert svc.dashboard(REQUEST, NOW).headline.mean_score == 45.0
        assert svc.store.version == 1  # and the dashboard did not read it again
    finally:
        svc.close()


def test_a_change_with_an_earlier_updated_at_is_picked_up(
    db: Database, small: SmallDataset
) -> None:
    """The copy follows the change record, not ``updated_at``: an interview whose
    ``updated_at`` goes back in time is still read again."""
    svc = AnalyticsService(db.engine, clock=FixedClock())
    try:
        assert svc.dashboard(REQUEST, NOW).headline.mean_score == 45.0
        with db.write() as s:
            seen = s.scalar(select(func.max(Interview.updated_at)))
            s.execute(
                update(InterviewResponse)
                .where(InterviewResponse.id == small.responses["I3q2"])
                .values(score=5.0)
            )
            s.execute(
                update(Interview)
                .where(Interview.id == small.interviews["I3"])
                .values(percentage=40.0, updated_at=seen - timedelta(days=10))
            )
        assert svc.dashboard(REQUEST, NOW).headline.mean_score == (70 + 35 + 40) / 3
    finally:
        svc.close()


def test_the_first_build_never_blocks_a_page(db: Database, small: SmallDataset) -> None:
    """``prepare`` starts the full read in the background and answers at once; once it is
    done, pages get their dashboard from the copy."""
    svc = AnalyticsService(db.engine, clock=FixedClock())
    try:
        held, done = threading.Event(), threading.Event()

        def slow_full_read() -> None:  # holds the copy as a long full read would
            with svc.store.lock:
                held.set()
                done.wait(30)

        holder = threading.Thread(target=slow_full_read)
        holder.start()
        held.wait(30)
        try:
            started = time.perf_counter()
            assert svc.prepare(wait_s=0.1) is False
            assert time.perf_counter() - started < 1.0
        finally:
            done.set()
            holder.join()
        assert svc.store.version == 0
        deadline = 0
        while not svc.prepare(wait_s=1.0):
            deadline += 1
            assert deadline < 60
        assert svc.store.version == 1
        assert svc.dashboard(REQUEST, NOW).headline.mean_score == 45.0
        assert svc.store.version == 1
    finally:
        svc.close()
