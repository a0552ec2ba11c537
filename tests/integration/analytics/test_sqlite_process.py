"""The SQLite reader process that renders part of a full read: failures are clear, lose
nothing, and the child holds no secrets and writes nothing."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from core.analytics import snapshot, sqlite_process, text_read
from core.analytics.readers import open_reader
from core.analytics.sqlite_process import HelperError, SqliteProcess, start_helpers
from core.analytics.store import AnalyticsStore
from core.analytics.tables import BIG_TABLES, EVENTS
from core.db.engine import Database
from tests.integration.analytics.small_dataset import build


@pytest.fixture(autouse=True)
def _helpers_at_any_size(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(snapshot, "PROCESS_HELPER_MIN_BYTES", 0)


def _path(db: Database) -> str:
    return str(db.engine.url.database)


def test_the_child_inherits_no_environment_and_reads_only(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(db)
    monkeypatch.setenv("INTERVISTA_OPENAI_API_KEY", "sk-secret-of-the-app")
    [helper] = start_helpers(_path(db), 1)
    try:
        environ = Path(f"/proc/{helper.pid}/environ").read_bytes().split(b"\0")
        assert [e for e in environ if e] == [f"PATH={os.environ.get('PATH', '')}".encode()]
        helper.begin()
        assert helper.fetch("SELECT count(*) FROM proctor_events", {}) == b"10"
        with pytest.raises(HelperError, match=r"readonly|read-only|query_only"):
            helper.fetch("DELETE FROM proctor_events", {})
        assert helper.fetch("SELECT count(*) FROM proctor_events", {}) == b"10"  # still usable
        assert helper.fetch("SELECT NULL", {}) is None
    finally:
        helper.close()
    assert not helper.running


def test_a_bad_query_is_an_error_naming_sqlites_message(db: Database) -> None:
    build(db)
    [helper] = start_helpers(_path(db), 1)
    try:
        with pytest.raises(HelperError, match="no such table: nowhere"):
            helper.fetch("SELECT * FROM nowhere", {})
    finally:
        helper.close()


def test_a_helper_that_cannot_start_means_fewer_helpers(
    db: Database, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    build(db)
    assert start_helpers(_path(db), 2, python="/nonexistent/python") == []
    assert "cannot start a SQLite reader process" in caplog.text

    def broken(database: str, count: int) -> list[SqliteProcess]:
        return start_helpers(database, count, python="/nonexistent/python")

    monkeypatch.setattr(snapshot, "start_helpers", broken)
    with open_reader(db.engine, 2) as reader:
        assert reader.connections == 1
        assert reader.read_tables([EVENTS])["proctor_events"].num_rows == 10


def test_a_child_that_never_answers_is_left_out(
    db: Database, tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(db)
    silent = tmp_path / "silent-python"
    silent.write_text("#!/bin/sh\nexec sleep 30\n")
    silent.chmod(0o755)
    monkeypatch.setattr(sqlite_process, "READY_TIMEOUT_S", 0.5)
    caplog.set_level(logging.WARNING)
    assert start_helpers(_path(db), 1, python=str(silent)) == []
    assert "did not answer" in caplog.text


def test_a_child_that_dies_mid_read_fails_the_refresh_and_keeps_the_copy(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(db)
    monkeypatch.setattr(text_read, "CHUNK_IDS", 2)
    store = AnalyticsStore(db.engine, read_connections=2)
    try:
        assert store.refresh().full
        before = store.counts()
        version = store.version
        store._fingerprint = None  # the next refresh reads everything again

        original = SqliteProcess.fetch

        def dying(self: SqliteProcess, sql: str, params: dict[str, object]) -> object:
            self._proc.kill()
            return original(self, sql, params)

        monkeypatch.setattr(SqliteProcess, "fetch", dying)
        with pytest.raises(HelperError, match=r"exited|gone"):
            store.refresh()
        assert store.counts() == before  # every table still whole
        assert store.version == version
        monkeypatch.setattr(SqliteProcess, "fetch", original)
        assert store.refresh().full  # and the next refresh works
        assert store.counts() == before
    finally:
        store.close()


def test_every_helper_process_ends_with_the_read(db: Database) -> None:
    build(db)
    seen: list[SqliteProcess] = []
    original = snapshot.start_helpers

    def spy(database: str, count: int) -> list[SqliteProcess]:
        seen.extend(original(database, count))
        return seen

    snapshot.start_helpers = spy  # type: ignore[assignment]
    try:
        with open_reader(db.engine, 2) as reader:
            reader.read_tables(BIG_TABLES)
    finally:
        snapshot.start_helpers = original
    assert len(seen) == 2
    assert not any(helper.running for helper in seen)


def test_a_child_never_creates_a_database(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    missing = tmp_path / "missing.db"
    caplog.set_level(logging.WARNING)
    assert start_helpers(str(missing), 1) == []
    assert "no database file" in caplog.text
    assert not missing.exists()
