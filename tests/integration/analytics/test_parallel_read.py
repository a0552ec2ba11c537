"""Full reads as database-rendered CSV text, spread over connections that share one snapshot."""

from __future__ import annotations

import os
import time
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from sqlalchemy import update

from core.analytics import snapshot, text_read
from core.analytics.readers import open_reader
from core.analytics.sqlite_process import SqliteProcess
from core.analytics.store import AnalyticsStore
from core.analytics.tables import (
    ALL_TABLES,
    BIG_TABLES,
    EVENTS,
    INTERVIEWS,
    RESPONSES,
    TableSpec,
)
from core.db.engine import Database
from core.db.models import (
    Interview,
    InterviewQuestion,
    InterviewResponse,
    ProctorEvent,
)
from core.domain import Difficulty, ProctorEventKind, QuestionType, ResponseStatus, Severity
from tests.integration.analytics.small_dataset import build

pytestmark = pytest.mark.postgres  # each test runs on SQLite and on PostgreSQL (any_db)

AWKWARD_TEXT = "a, 'quoted' \"x\"\nsecond line; NULL\\n é"


@pytest.fixture(autouse=True)
def _sqlite_helpers_at_any_size(monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite's helpers are reader processes, started only for a big file: here at any size."""
    monkeypatch.setattr(snapshot, "PROCESS_HELPER_MIN_BYTES", 0)


def add_awkward_rows(db: Database) -> None:
    """Values that a naive CSV round trip gets wrong: separators, both quote characters,
    newlines, backslashes, an empty string, the text NULL, inexact floats, whole seconds."""
    data = build(db)
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


def typed(table: pa.Table) -> list[dict[str, object]]:
    """Rows by id, timestamps as timestamps (``read`` gives them as text)."""
    for index, field in enumerate(table.schema):
        if pa.types.is_string(field.type) and field.name.endswith("_at"):
            table = table.set_column(index, field.name, pc.cast(table[index], pa.timestamp("us")))
    return table.sort_by("id").to_pylist()


def test_text_reads_equal_row_reads(any_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    add_awkward_rows(any_db)
    monkeypatch.setattr(text_read, "CHUNK_IDS", 3)  # many chunks
    chunks: list[str] = []
    real_parse = text_read.parse

    def counting_parse(text: str, spec: TableSpec) -> pa.Table:
        chunks.append(spec.name)
        return real_parse(text, spec)

    monkeypatch.setattr(text_read, "parse", counting_parse)
    with open_reader(any_db.engine) as reader:
        by_text = reader.read_tables(BIG_TABLES)
    assert len(chunks) > 2 * len(BIG_TABLES)  # the tables really were read in several chunks
    with open_reader(any_db.engine) as reader:
        for spec in BIG_TABLES:
            assert by_text[spec.name].num_rows > 0, spec.name
            assert typed(by_text[spec.name]) == typed(reader.read(spec)), spec.name
    titles = {row["title"] for row in by_text["interviews"].to_pylist()}
    assert {AWKWARD_TEXT, ""} <= titles
    responses = by_text["interview_responses"].to_pylist()
    assert {r["question_text"] for r in responses} >= {AWKWARD_TEXT, "", None}
    assert {r["bank_id"] for r in responses} >= {"NULL", None}
    assert 0.1 + 0.2 in {r["score"] for r in responses}


@pytest.mark.parametrize("helpers", [1, 3])
def test_parallel_read_equals_serial(
    any_db: Database, monkeypatch: pytest.MonkeyPatch, helpers: int
) -> None:
    add_awkward_rows(any_db)
    monkeypatch.setattr(text_read, "CHUNK_IDS", 2)
    with open_reader(any_db.engine) as reader:
        serial = reader.read_tables(BIG_TABLES)
    with open_reader(any_db.engine, helpers) as reader:
        assert reader.connections == 1 + helpers
        parallel = reader.read_tables(BIG_TABLES)
    for spec in BIG_TABLES:
        assert parallel[spec.name].schema == serial[spec.name].schema
        assert typed(parallel[spec.name]) == typed(serial[spec.name]), spec.name


def _group(db: Database, helpers: int) -> AbstractContextManager[snapshot.Group]:
    if db.is_sqlite:
        return snapshot.sqlite_group(db.engine, helpers)
    return snapshot.postgres_group(db.engine, helpers)


def _count(conn: Any, table: str) -> int:
    sql = f"SELECT count(*) FROM {table}"
    if isinstance(conn, SqliteProcess):  # a SQLite helper: a reader in its own process
        return int(bytes(conn.fetch(sql, {}) or b"-1"))
    return int(conn.execute(sql).fetchone()[0])


def test_helpers_read_the_snapshot_of_the_main_connection(any_db: Database) -> None:
    data = build(any_db)
    before = 10
    with _group(any_db, 2) as (main, others):
        assert len(others) == 2
        with any_db.write() as s:  # commits after the group began: seen by none of it
            s.add(
                ProctorEvent(
                    interview_id=data.interviews["I2"],
                    kind=ProctorEventKind.BOOK,
                    severity=Severity.WARNING,
                    started_at=datetime(2026, 3, 3, 10, 30, tzinfo=UTC),
                )
            )
        assert [_count(c, "proctor_events") for c in [main, *others]] == [before] * 3
    with _group(any_db, 1) as (main, others):
        assert [_count(c, "proctor_events") for c in [main, *others]] == [before + 1] * 2


def test_a_busy_write_lock_means_one_connection_at_once(db: Database) -> None:
    build(db)
    writer = db.engine.raw_connection()
    try:
        writer.driver_connection.execute("BEGIN IMMEDIATE")
        started = time.perf_counter()
        with open_reader(db.engine, 2) as reader:
            assert reader.connections == 1
            tables = reader.read_tables([EVENTS, INTERVIEWS, RESPONSES])
        assert time.perf_counter() - started < 5
        assert tables["proctor_events"].num_rows == 10
        writer.driver_connection.execute("ROLLBACK")
    finally:
        writer.close()


def test_an_empty_table_reads_as_an_empty_table(any_db: Database) -> None:
    specs: list[TableSpec] = list(BIG_TABLES)
    with open_reader(any_db.engine, 1) as reader:
        tables = reader.read_tables(specs)
    for spec in specs:
        assert tables[spec.name].num_rows == 0
        assert tables[spec.name].schema == text_read.text_schema(spec)


def test_every_full_read_gives_the_same_copy(
    any_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Row reader, text on one connection, text on three: the same DuckDB tables."""
    add_awkward_rows(any_db)
    monkeypatch.setattr(text_read, "CHUNK_IDS", 2)
    copies = []
    for text_reads, connections in [(False, 1), (True, 1), (True, 3)]:
        store = AnalyticsStore(any_db.engine, read_connections=connections)
        store.text_reads = text_reads
        try:
            assert store.refresh().full
            con = store.cursor()
            copy = {}
            for table in ALL_TABLES:
                sql = f'SELECT * FROM "{table.name}" ORDER BY id'
                copy[table.name] = con.execute(sql).fetchall()
            copies.append(copy)
            con.close()
        finally:
            store.close()
    assert copies[0]["interviews"] and copies[0]["interview_responses"]
    assert copies[1] == copies[0]
    assert copies[2] == copies[0]


def test_a_full_read_uses_one_connection_per_core(any_db: Database) -> None:
    """PostgreSQL: server processes; SQLite: this process and reader processes."""
    expected = min(os.cpu_count() or 1, snapshot.MAX_CONNECTIONS)
    assert snapshot.default_connections(any_db.engine) == expected


def test_sqlite_helpers_are_processes_only_for_a_big_file(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(db)
    with snapshot.sqlite_group(db.engine, 1) as (_, others):
        assert len(others) == 1 and isinstance(others[0], SqliteProcess)
        assert others[0].pid != os.getpid()
    monkeypatch.setattr(snapshot, "PROCESS_HELPER_MIN_BYTES", 1 << 40)
    with snapshot.sqlite_group(db.engine, 1) as (_, others):
        assert others == []
