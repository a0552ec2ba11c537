"""Full reads and incremental refreshes give the same copy, on SQLite and PostgreSQL, with
values a naive round trip gets wrong."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import update

from core.analytics.readers import arrow_schema, open_reader
from core.analytics.store import AnalyticsStore
from core.analytics.tables import ALL_TABLES, BIG_TABLES
from core.db.engine import Database
from core.db.models import (
    Interview,
    InterviewQuestion,
    InterviewResponse,
    ProctorEvent,
)
from core.domain import Difficulty, ProctorEventKind, QuestionType, ResponseStatus, Severity
from tests.support.analytics_dataset import SmallDataset, build

pytestmark = pytest.mark.postgres  # each test runs on SQLite and on PostgreSQL (any_db)

AWKWARD_TEXT = "a, 'quoted' \"x\"\nsecond line; NULL\\n é"


def add_awkward_rows(db: Database, small: SmallDataset | None = None) -> None:
    """Values that a naive CSV round trip gets wrong: separators, both quote characters,
    newlines, backslashes, an empty string, the text NULL, inexact floats, whole seconds."""
    data = build(db) if small is None else small
    with db.write() as s:
        first, second = data.interviews["I1"], data.interviews["I2"]
        s.execute(update(Interview).where(Interview.id == first).values(title=AWKWARD_TEXT))
        s.execute(update(Interview).where(Interview.id == second).values(title=""))
        for order, (bank, text, score) in enumerate(
            [(None, AWKWARD_TEXT, 0.1 + 0.2), (None, "", 1 / 3), ("NULL", "x", 2.5e-7)], start=9
        ):
            q = InterviewQuestion(
                interview_id=first,
                order=order,
                question_text=text,
                question_type=QuestionType.TECHNICAL,
                difficulty=Difficulty.HARD,
                bank_id=bank,
            )
            s.add(q)
            s.flush()
            s.add(
                InterviewResponse(
                    interview_id=first,
                    question_id=q.id,
                    status=ResponseStatus.SUBMITTED,
                    score=score,
                    override_score=7.123456789012345,
                )
            )
        s.add(
            ProctorEvent(
                interview_id=first,
                kind=ProctorEventKind.PHONE,
                severity=Severity.INFO,
                started_at=datetime(2026, 3, 2, 10, 0, tzinfo=UTC),  # no microseconds
            )
        )


def copy_of(store: AnalyticsStore) -> dict[str, list[tuple[object, ...]]]:
    con = store.cursor()
    try:
        return {
            t.name: con.execute(f'SELECT * FROM "{t.name}" ORDER BY id').fetchall()
            for t in ALL_TABLES
        }
    finally:
        con.close()


def test_an_incremental_copy_equals_a_full_read(any_db: Database) -> None:
    small = build(any_db)
    follower = AnalyticsStore(any_db.engine)
    fresh = AnalyticsStore(any_db.engine)
    try:
        assert follower.refresh().full
        add_awkward_rows(any_db, small)
        report = follower.refresh()
        assert report.changed and not report.full
        assert fresh.refresh().full
        followed, read = copy_of(follower), copy_of(fresh)
        assert read["interviews"] and read["interview_responses"]
        assert followed == read
        titles = {
            row[0] for row in fresh.cursor().execute("SELECT title FROM interviews").fetchall()
        }
        assert AWKWARD_TEXT in titles and "" in titles
    finally:
        follower.close()
        fresh.close()


def test_an_empty_table_reads_as_an_empty_table(any_db: Database) -> None:
    with open_reader(any_db.engine) as reader:
        for spec in BIG_TABLES:
            table = reader.read(spec)
            assert table.num_rows == 0
            assert table.schema == arrow_schema(spec)
