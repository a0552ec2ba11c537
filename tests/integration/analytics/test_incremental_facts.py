"""The per-interview facts follow the copy incrementally (only the interviews whose rows changed)
and always equal a full rebuild: new answers and events, overrides, comments, statement deletes,
an erased interview and an erased candidate, new interviews; on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, select, update

from core.analytics import queries_scores as qs
from core.analytics.dashboard import AnalyticsService
from core.analytics.filters import DashboardRequest
from core.cli.synth.generate import generate
from core.config import Settings
from core.db.engine import Database
from core.db.models import Interview, InterviewResponse, ProctorEvent, ReviewComment
from core.domain import ProctorEventKind, Severity
from core.review.erasure import erase_candidate, erase_interview
from tests.support.analytics_dataset import NOW, SmallDataset, build

pytestmark = pytest.mark.postgres  # each test runs on SQLite and on PostgreSQL (any_db)
FACTS = "SELECT * FROM interview_facts ORDER BY interview_id"


def _facts_are_a_full_rebuild(service: AnalyticsService) -> list[tuple[object, ...]]:
    with service.store.lock:
        con = service.store.cursor()
        try:
            incremental = con.execute(FACTS).fetchall()
            qs.build_interview_facts(con)
            assert con.execute(FACTS).fetchall() == incremental
        finally:
            con.close()
    return incremental


def _event(interview_id: int, severity: Severity) -> ProctorEvent:
    return ProctorEvent(
        interview_id=interview_id, kind=ProctorEventKind.PHONE, severity=severity, started_at=NOW
    )


Change = Callable[[Database, Settings, SmallDataset], None]


def _new_answer_score(db: Database, _: Settings, small: SmallDataset) -> None:
    with db.write() as s:
        s.execute(
            update(InterviewResponse)
            .where(InterviewResponse.id == small.responses["I1q1"])
            .values(score=2.0)
        )


def _override(db: Database, _: Settings, small: SmallDataset) -> None:
    with db.write() as s:
        response = s.get(InterviewResponse, small.responses["I3q1"])
        assert response is not None
        response.override_score = 9.0


def _events_added_and_deleted(db: Database, _: Settings, small: SmallDataset) -> None:
    with db.write() as s:
        s.add(_event(small.interviews["I2"], Severity.CRITICAL))
        s.add(_event(small.interviews["I3"], Severity.INFO))
        s.execute(delete(ProctorEvent).where(ProctorEvent.interview_id == small.interviews["I1"]))


def _comment(db: Database, _: Settings, small: SmallDataset) -> None:
    with db.write() as s:
        s.add(ReviewComment(interview_id=small.interviews["I2"], author_id=None, body="Hm."))


def _comments_deleted(db: Database, _: Settings, small: SmallDataset) -> None:
    with db.write() as s:
        s.execute(delete(ReviewComment))


def _erase_interview(db: Database, settings: Settings, small: SmallDataset) -> None:
    erase_interview(db, settings, small.interviews["I1"], actor_id=None)


def _erase_candidate(db: Database, settings: Settings, small: SmallDataset) -> None:
    with db.read() as s:
        candidate = s.scalar(
            select(Interview.candidate_id).where(Interview.id == small.interviews["I3"])
        )
    assert candidate is not None
    erase_candidate(db, settings, candidate, actor_id=None)


def _new_interviews(db: Database, _: Settings, small: SmallDataset) -> None:
    generate(db, 12, seed=9, now=NOW)


CHANGES: list[Change] = [
    _new_answer_score,
    _override,
    _events_added_and_deleted,
    _comment,
    _comments_deleted,
    _erase_interview,
    _erase_candidate,
    _new_interviews,
]


def test_facts_follow_every_kind_of_change_incrementally(
    any_db: Database, settings: Settings
) -> None:
    small = build(any_db)
    service = AnalyticsService(any_db.engine)
    now = datetime(2026, 3, 10, 12, tzinfo=UTC)
    try:
        service.dashboard(DashboardRequest(), now)
        assert service.facts_updates == {"full": 1, "incremental": 0}
        before = _facts_are_a_full_rebuild(service)
        for n, change in enumerate(CHANGES, start=1):
            change(any_db, settings, small)
            service.dashboard(DashboardRequest(), now)
            assert service.facts_updates == {"full": 1, "incremental": n}, change.__name__
            after = _facts_are_a_full_rebuild(service)
            assert after != before, change.__name__  # the change did reach the facts
            before = after
    finally:
        service.close()


def test_a_full_read_rebuilds_the_facts_whole(any_db: Database) -> None:
    build(any_db)
    service = AnalyticsService(any_db.engine)
    now = datetime(2026, 3, 10, 12, tzinfo=UTC)
    try:
        service.dashboard(DashboardRequest(), now)
        with service.store.lock:
            assert service.store.take_touched() == set()  # taken by the facts update
        service.store._touched = None  # as after a full read or a loaded file
        service.store.version += 1
        service.dashboard(DashboardRequest(), now)
        assert service.facts_updates == {"full": 2, "incremental": 0}
        _facts_are_a_full_rebuild(service)
    finally:
        service.close()
