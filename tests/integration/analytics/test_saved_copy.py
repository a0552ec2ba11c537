"""The copy lives in memory and is saved to its file in the background: when, what, and what a
bad file or a failed save does."""

from __future__ import annotations

import json
import logging
import os
import shutil
from pathlib import Path

import duckdb
import pytest
from sqlalchemy import func, select

from core.analytics import persist, saving
from core.analytics.dashboard import AnalyticsService
from core.analytics.filters import DashboardRequest
from core.clock import FixedClock
from core.db import changes
from core.db.engine import Database
from core.db.migrate import upgrade_to_head
from core.db.models import ProctorEvent
from core.domain import ProctorEventKind, Severity
from tests.support.analytics import chart_data
from tests.support.analytics_dataset import NOW, SmallDataset, at

REQUEST = DashboardRequest()


def _add_warning(db: Database, small: SmallDataset) -> None:
    with db.write() as s:
        s.add(
            ProctorEvent(
                interview_id=small.interviews["I3"],
                kind=ProctorEventKind.BOOK,
                severity=Severity.WARNING,
                started_at=at(9, 9, 40),
            )
        )


def _small_events(db: Database) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(ProctorEvent)) or 0


def _service(db: Database, path: Path, clock: FixedClock | None = None) -> AnalyticsService:
    return AnalyticsService(db.engine, path=path, clock=clock)


def _flagged(svc: AnalyticsService) -> list[int]:
    return chart_data(svc.dashboard(REQUEST, NOW), "most_flagged")["warnings"].tolist()


def test_a_full_read_is_saved_in_the_background_after_the_dashboard(
    db: Database, small: SmallDataset, tmp_path: Path
) -> None:
    path = tmp_path / "copy.duckdb"
    first = _service(db, path)
    try:
        before = first.dashboard(REQUEST, NOW)
        first.store.wait_saved(60)
        assert path.is_file() and first.store.saved_version == first.store.version
        # The file is not held open: another process (here a second service) reads it at once,
        # and after a restart only the delta.
        _add_warning(db, small)
        second = _service(db, path)
        try:
            assert second.store.persistent
            report = second.store.refresh()
            assert report.changed and not report.full and report.rows_read == 1
            after = second.dashboard(REQUEST, NOW)
            assert after.headline == before.headline
            warnings = chart_data(after, "most_flagged")["warnings"].tolist()
            assert warnings == [2, 2, 1]  # I1, then I3 with its new warning
        finally:
            second.close()
    finally:
        first.close()


def test_a_save_writes_the_copy_and_position_it_pinned(
    db: Database, small: SmallDataset, tmp_path: Path
) -> None:
    path, pinned = tmp_path / "copy.duckdb", tmp_path / "pinned.duckdb"
    svc = _service(db, path)
    try:
        svc.dashboard(REQUEST, NOW)
        svc.store.wait_saved(60)
        _add_warning(db, small)
        svc.store.refresh()
        with svc.store.lock:
            pending = svc.store.pin_save(force=True)  # the copy with one new warning
        assert pending is not None
        _add_warning(db, small)
        assert svc.store.refresh().rows_read == 1  # the copy moves on while the save waits
        pending.write()
        with duckdb.connect(str(path), read_only=True) as saved:
            events = saved.execute("SELECT count(*), max(id) FROM proctor_events").fetchone()
            meta = json.loads(
                saved.execute(
                    "SELECT value FROM analytics_meta WHERE key = 'position'"
                ).fetchone()[0]
            )
        assert events is not None and events[0] == _small_events(db) - 1  # not the newest one
        with db.engine.connect() as conn:  # and its position: only the newest one is after it
            after_pin = changes.ids_of(conn, "proctor_events", meta["last_id"])
        assert len(after_pin) == 1 and after_pin[0][0] > events[1]
        shutil.copyfile(path, pinned)
    finally:
        svc.close()  # saves the newest copy over it
    pinned.replace(path)
    restarted = _service(db, path)
    try:
        report = restarted.store.refresh()
        assert not report.full and report.rows_read == 1  # only the warning after the pin
        assert _flagged(restarted) == [3, 2, 1]
    finally:
        restarted.close()


def test_a_copy_file_of_another_database_is_not_used(
    db: Database, small: SmallDataset, tmp_path: Path
) -> None:
    path = tmp_path / "copy.duckdb"
    first = AnalyticsService(db.engine, path=path)
    first.dashboard(REQUEST, NOW)
    first.close()
    other = Database(f"sqlite:///{tmp_path / 'other.db'}")
    upgrade_to_head(other.engine)
    svc = AnalyticsService(other.engine, path=path)
    try:
        report = svc.store.refresh()
        assert report.full
        assert svc.dashboard(REQUEST, NOW).is_empty
    finally:
        svc.close()
        other.dispose()


def test_changes_are_saved_at_most_every_interval(
    db: Database, small: SmallDataset, tmp_path: Path
) -> None:
    clock = FixedClock()
    svc = AnalyticsService(
        db.engine,
        path=tmp_path / "copy.duckdb",
        clock=clock,
    )
    try:
        svc.dashboard(REQUEST, NOW)
        svc.store.wait_saved(60)
        assert svc.store.saved_version == 1  # a full read: saved at once
        _add_warning(db, small)
        svc.dashboard(REQUEST, NOW)
        svc.store.wait_saved(60)
        assert (svc.store.version, svc.store.saved_version) == (2, 1)  # within the interval
        clock.advance(saving.SAVE_INTERVAL_SECONDS)
        svc.dashboard(REQUEST, NOW)  # nothing new to read; the delta is now due
        svc.store.wait_saved(60)
        assert svc.store.saved_version == 2
    finally:
        svc.close()


def test_close_saves_what_the_interval_held_back(
    db: Database, small: SmallDataset, tmp_path: Path
) -> None:
    path = tmp_path / "copy.duckdb"
    svc = _service(db, path, FixedClock())
    svc.dashboard(REQUEST, NOW)
    svc.store.wait_saved(60)
    _add_warning(db, small)
    svc.dashboard(REQUEST, NOW)
    assert svc.store.saved_version < svc.store.version  # held back by the interval
    svc.close()
    restarted = _service(db, path)
    try:
        report = restarted.store.refresh()
        assert not report.full and not report.changed  # the file had the delta
        assert _flagged(restarted) == [2, 2, 1]
    finally:
        restarted.close()


def test_a_file_that_is_not_a_copy_is_ignored_then_replaced(
    db: Database, small: SmallDataset, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "copy.duckdb"
    path.write_bytes(b"not a DuckDB file\n" * 100)
    svc = _service(db, path)
    try:
        with caplog.at_level(logging.WARNING, logger="core.analytics.persist"):
            assert svc.store.refresh().full
        assert "not used" in caplog.text
        assert _flagged(svc) == [2, 1, 1]
        svc.store.wait_saved(60)
    finally:
        svc.close()
    again = _service(db, path)
    try:
        assert not again.store.refresh().full  # the next save replaced it with a copy
    finally:
        again.close()


def test_a_save_that_fails_is_logged_and_loses_nothing(
    db: Database, small: SmallDataset, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the copy's folder should be")
    svc = _service(db, blocker / "copy.duckdb")
    try:
        with caplog.at_level(logging.WARNING, logger="core.analytics.saving"):
            assert _flagged(svc) == [2, 1, 1]
            svc.store.wait_saved(60)
        assert "analytics copy not saved" in caplog.text
        assert svc.store.saved_version == 0
        _add_warning(db, small)
        assert _flagged(svc) == [2, 2, 1]  # the copy in memory goes on
    finally:
        svc.close()
    assert blocker.is_file() and not list(tmp_path.rglob("*copy.duckdb*"))  # nothing left over


def test_temporary_files_of_saves_that_died_are_removed(
    db: Database, small: SmallDataset, tmp_path: Path
) -> None:
    path = tmp_path / "copy.duckdb"
    dead = tmp_path / f".copy.duckdb.{persist.owner_tag(_dead_pid())}.7.tmp"
    mine = tmp_path / f".copy.duckdb.{persist.owner_tag()}.7.tmp"
    foreign_old = tmp_path / ".copy.duckdb.12@elsewhere.7.tmp"
    foreign_new = tmp_path / ".copy.duckdb.13@elsewhere.7.tmp.wal"
    for leftover in (dead, mine, foreign_old, foreign_new):
        leftover.write_bytes(b"half a save")
    os.utime(foreign_old, (1.0, 1.0))  # another host's save, long over
    svc = _service(db, path)
    try:
        svc.store.refresh()
        assert not dead.exists() and not foreign_old.exists()
        assert mine.exists() and foreign_new.exists()  # may be saves under way
    finally:
        svc.close()


def test_a_wal_left_beside_the_file_by_an_earlier_version_is_removed(
    db: Database, small: SmallDataset, tmp_path: Path
) -> None:
    path = tmp_path / "copy.duckdb"
    first = _service(db, path)
    first.store.refresh()
    first.close()  # a saved copy
    wal = tmp_path / "copy.duckdb.wal"
    wal.write_bytes(b"a WAL of the live copy that version 1 kept in the file")
    second = _service(db, path)
    try:
        assert not second.store.refresh().full  # the file was used, not refused for the WAL
        assert not wal.exists()
    finally:
        second.close()


def test_no_save_starts_once_close_has_begun(
    db: Database, small: SmallDataset, tmp_path: Path
) -> None:
    clock = FixedClock()
    svc = _service(db, tmp_path / "copy.duckdb", clock)
    try:
        svc.dashboard(REQUEST, NOW)
        svc.store.wait_saved(60)
        _add_warning(db, small)
        svc.store.refresh()
        clock.advance(saving.SAVE_INTERVAL_SECONDS)  # a save is due
        with svc.store.lock:
            svc.store._closing = True  # what close() sets before it waits for the last save
        assert svc.store.save_if_due() is None
    finally:
        svc.close()
    assert svc.store.saved_version == svc.store.version  # close() itself saved it


def _dead_pid() -> int:
    pid = 4_000_000
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return pid
        pid += 1


def test_a_save_that_cannot_start_never_costs_the_dashboard(
    db: Database,
    small: SmallDataset,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(*args: object, **kwargs: object) -> persist.PendingSave:
        raise duckdb.IOException("cannot pin")

    monkeypatch.setattr(persist, "begin_save", broken)
    svc = _service(db, tmp_path / "copy.duckdb")
    try:
        with caplog.at_level(logging.WARNING, logger="core.analytics.store"):
            assert _flagged(svc) == [2, 1, 1]
        assert "a save could not start" in caplog.text
    finally:
        monkeypatch.undo()
        svc.close()
