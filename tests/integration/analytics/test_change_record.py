"""The change record (core.db.changes) on SQLite and PostgreSQL, and the copy following it:
ORM and statement writes, deletes and erasures, new interviews, pruning, late commits."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import delete, func, select, update

from core.analytics.store import AnalyticsStore
from core.cli.synth.generate import generate
from core.config import Settings
from core.db import changes
from core.db.engine import Database
from core.db.models import (
    AuditLog,
    Candidate,
    Change,
    Interview,
    InterviewResponse,
    ProctorEvent,
)
from core.domain import ProctorEventKind, Severity
from core.review.erasure import erase_candidate, erase_interview
from tests.support.analytics_dataset import NOW, build

pytestmark = pytest.mark.postgres  # each test runs on SQLite and on PostgreSQL (any_db)


def _head(db: Database) -> int:
    with db.engine.connect() as conn:
        return int(conn.scalar(select(func.coalesce(func.max(Change.id), 0))) or 0)


def _since(db: Database, table: str, since: int) -> list[tuple[int, str]]:
    with db.engine.connect() as conn:
        return list(changes.ids_of(conn, table, since))


def _event(interview_id: int) -> ProctorEvent:
    return ProctorEvent(
        interview_id=interview_id,
        kind=ProctorEventKind.PHONE,
        severity=Severity.CRITICAL,
        started_at=NOW,
    )


def _same_as_a_full_read(db: Database, store: AnalyticsStore) -> None:
    fresh = AnalyticsStore(db.engine)
    try:
        assert fresh.refresh().full
        for table in ("interviews", "interview_responses", "proctor_events", "code_submissions"):
            sql = f'SELECT * FROM "{table}" ORDER BY id'
            with store.lock:
                mine = store.cursor().execute(sql).fetchall()
            assert mine == fresh.cursor().execute(sql).fetchall(), table
    finally:
        fresh.close()


def test_orm_inserts_updates_and_deletes_are_recorded(any_db: Database) -> None:
    small = build(any_db)
    start = _head(any_db)
    with any_db.write() as s:
        event = _event(small.interviews["I2"])
        s.add(event)
        s.get_one(Interview, small.interviews["I3"]).title = "renamed"
        s.get_one(Interview, small.interviews["I4"]).title = s.get_one(
            Interview, small.interviews["I4"]
        ).title  # no net change: nothing recorded
        s.delete(s.get_one(InterviewResponse, small.responses["I1q1"]))
        s.add(AuditLog(action="test", entity_type="x", entity_id=1))  # not a copied table
    assert _since(any_db, "proctor_events", start) == [(event.id, "upsert")]
    assert _since(any_db, "interviews", start) == [(small.interviews["I3"], "upsert")]
    assert _since(any_db, "interview_responses", start) == [(small.responses["I1q1"], "delete")]
    assert _since(any_db, "audit_log", start) == []


def test_update_and_delete_statements_are_recorded(any_db: Database) -> None:
    small = build(any_db)
    start = _head(any_db)
    with any_db.write() as s:
        s.execute(
            update(Interview)
            .where(Interview.id.in_([small.interviews["I1"], small.interviews["I2"]]))
            .values(title="bulk")
            .execution_options(synchronize_session=False)
        )
        s.execute(delete(ProctorEvent).where(ProctorEvent.interview_id == small.interviews["I8"]))
    ups = _since(any_db, "interviews", start)
    assert sorted(ups) == sorted(
        [(small.interviews["I1"], "upsert"), (small.interviews["I2"], "upsert")]
    )
    gone = _since(any_db, "proctor_events", start)
    assert len(gone) == 5 and {op for _, op in gone} == {"delete"}


def test_a_rolled_back_transaction_records_nothing(any_db: Database) -> None:
    small = build(any_db)
    start = _head(any_db)
    with pytest.raises(RuntimeError), any_db.write() as s:
        s.add(_event(small.interviews["I2"]))
        s.flush()
        raise RuntimeError("abandoned")
    assert _head(any_db) == start


def test_statement_deletes_and_updates_reach_the_copy(any_db: Database) -> None:
    small = build(any_db)
    store = AnalyticsStore(any_db.engine)
    try:
        store.refresh()
        with any_db.write() as s:
            s.execute(
                delete(ProctorEvent).where(ProctorEvent.interview_id == small.interviews["I8"])
            )
            s.execute(
                update(InterviewResponse)
                .where(InterviewResponse.id == small.responses["I3q2"])
                .values(score=5.0)
            )
        report = store.refresh()
        assert report.changed and not report.full and report.rows_read == 1
        assert store.counts()["proctor_events"] == 5  # I8's five went, I1's three and I2's stay
        _same_as_a_full_read(any_db, store)
    finally:
        store.close()


def test_erasing_an_interview_reaches_the_copy(any_db: Database, settings: Settings) -> None:
    small = build(any_db)
    store = AnalyticsStore(any_db.engine)
    try:
        store.refresh()
        before = store.counts()
        erase_interview(any_db, settings, small.interviews["I1"], actor_id=None)
        report = store.refresh()
        assert report.changed and not report.full
        after = store.counts()
        assert after["interviews"] == before["interviews"] - 1
        assert after["proctor_events"] == before["proctor_events"] - 3  # cascaded in the database
        assert after["interview_responses"] == before["interview_responses"] - 2
        _same_as_a_full_read(any_db, store)
    finally:
        store.close()


def test_erasing_a_candidate_reaches_the_copy(any_db: Database, settings: Settings) -> None:
    small = build(any_db)
    store = AnalyticsStore(any_db.engine)
    try:
        store.refresh()
        with any_db.read() as s:
            candidate = s.scalar(
                select(Interview.candidate_id).where(Interview.id == small.interviews["I1"])
            )
            owned = s.scalar(
                select(func.count())
                .select_from(Interview)
                .where(Interview.candidate_id == candidate)
            )
        assert candidate is not None and owned
        erase_candidate(any_db, settings, candidate, actor_id=None)
        with any_db.read() as s:
            assert s.get(Candidate, candidate) is None
        report = store.refresh()
        assert report.changed and not report.full
        assert store.counts()["interviews"] == len(small.interviews) - owned
        _same_as_a_full_read(any_db, store)
    finally:
        store.close()


def test_new_interviews_are_read_incrementally(any_db: Database) -> None:
    generate(any_db, 60, seed=3, now=NOW)
    store = AnalyticsStore(any_db.engine)
    try:
        assert store.refresh().full
        generate(any_db, 25, seed=5, now=NOW)  # bulk inserts record their rows themselves
        report = store.refresh()
        assert report.changed and not report.full
        assert store.counts()["interviews"] == 85
        _same_as_a_full_read(any_db, store)
    finally:
        store.close()


def test_a_copy_behind_pruned_changes_reads_everything_again(any_db: Database) -> None:
    small = build(any_db)
    store = AnalyticsStore(any_db.engine)
    try:
        store.refresh()
        with any_db.write() as s:  # two changes the copy never sees before they are pruned
            s.add(_event(small.interviews["I2"]))
            s.add(_event(small.interviews["I3"]))
        with any_db.write() as s:
            s.add(_event(small.interviews["I3"]))
        with any_db.engine.begin() as conn:
            removed = changes.prune(conn, NOW + timedelta(days=3650))
        assert removed > 0 and _head(any_db) > 0  # the newest change is always kept
        with any_db.engine.connect() as conn:
            assert conn.scalar(select(func.count()).select_from(Change)) == 1
        report = store.refresh()
        assert report.full
        _same_as_a_full_read(any_db, store)
    finally:
        store.close()


def test_a_change_committed_after_a_higher_one_is_not_missed(pg_db: Database) -> None:
    """PostgreSQL: transaction A takes change id n, B takes n + 1 and commits first; the copy
    applies n + 1, keeps n as a gap, and picks A's row up when A commits."""
    small = build(pg_db)
    store = AnalyticsStore(pg_db.engine)
    try:
        store.refresh()
        late = pg_db.new_write_session()
        late.begin()
        late.add(_event(small.interviews["I2"]))
        late.flush()  # its change id is taken now
        with pg_db.write() as s:
            s.add(_event(small.interviews["I3"]))
        report = store.refresh()
        assert report.rows_read == 1
        assert store.position is not None and store.position.gaps
        late.commit()
        late.close()
        report = store.refresh()
        assert report.changed and report.rows_read == 1
        assert store.position is not None and not store.position.gaps
        _same_as_a_full_read(pg_db, store)
    finally:
        store.close()


def test_a_bulk_update_by_primary_key_is_recorded(any_db: Database) -> None:
    small = build(any_db)
    start = _head(any_db)
    first, second = small.interviews["I5"], small.interviews["I6"]
    with any_db.write() as s:
        s.execute(update(Interview), [{"id": first, "title": "a"}, {"id": second, "title": "b"}])
    assert sorted(_since(any_db, "interviews", start)) == [(first, "upsert"), (second, "upsert")]
