"""services.proctoring and services.recordings on a real migrated database."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from core.config import Settings
from core.db.engine import Database
from core.domain import ProctorEventKind as K
from core.domain import RecordingKind, Severity
from core.proctor.event_log import (
    UnknownInterview,
    list_events,
    record_updates,
    summary_by_kind,
)
from core.proctor.recorder import SafeMediaRecorder, recording_path
from core.proctor.recordings import RecordingError, list_recordings, register_recording
from core.proctor.rule_types import EventPhase
from tests.support.factories import make_proctor_interview as make_interview
from tests.support.media_tracks import STEPS, SyntheticVideoTrack
from tests.support.proctor_events import T0, update


def test_open_then_close_is_one_row(db: Database, interview_id: int) -> None:
    record_updates(
        db,
        interview_id,
        [update("a-phone-1", K.PHONE, EventPhase.OPENED, start=1, peak=0.6, snapshot="s/1.jpg")],
    )
    (opened,) = list_events(db, interview_id)
    assert opened.ended_at is None and opened.snapshot_path == "s/1.jpg"
    record_updates(
        db,
        interview_id,
        [
            update("a-phone-1", K.PHONE, EventPhase.CLOSED, start=1, end=4, peak=0.9),
            update("a-no_person-2", K.NO_PERSON, EventPhase.OPENED, start=10),
            update("a-no_person-2", K.NO_PERSON, EventPhase.CLOSED, start=10, end=16),
        ],
    )
    events = list_events(db, interview_id)
    assert [(e.kind, e.key) for e in events] == [
        (K.PHONE, "a-phone-1"),
        (K.NO_PERSON, "a-no_person-2"),
    ]
    phone = events[0]
    assert phone.duration_seconds == 3 and phone.peak_confidence == 0.9
    assert phone.snapshot_path == "s/1.jpg"  # kept when the close has no newer snapshot
    summary = {s.kind: s for s in summary_by_kind(db, interview_id)}
    assert summary[K.PHONE].count == 1 and summary[K.PHONE].max_severity is Severity.CRITICAL
    assert summary[K.NO_PERSON].total_seconds == 6 and summary[K.NO_PERSON].open_count == 0


def test_close_without_open_is_stored_whole(db: Database, interview_id: int) -> None:
    record_updates(
        db, interview_id, [update("x-1", K.CAMERA_LOST, EventPhase.CLOSED, start=0, end=8)]
    )
    (event,) = list_events(db, interview_id)
    assert event.duration_seconds == 8


def test_unknown_interview_writes_nothing(db: Database, interview_id: int) -> None:
    with pytest.raises(UnknownInterview, match="99999"):
        record_updates(db, 99999, [update("k", K.PHONE, EventPhase.OPENED, start=0)])
    assert list_events(db, 99999) == []


def _record_synthetic(path: Path) -> None:
    async def go() -> None:
        recorder = SafeMediaRecorder(path)
        recorder.addTrack(SyntheticVideoTrack())
        await recorder.start()
        for _ in range(300):
            await asyncio.sleep(0.005)
        await recorder.stop()

    asyncio.run(go())


def test_register_recording(settings: Settings, db: Database, interview_id: int) -> None:
    path = recording_path(settings.data_dir, interview_id, T0)
    _record_synthetic(path)
    view = register_recording(
        db, data_dir=settings.data_dir, interview_id=interview_id, path=path, started_at=T0
    )
    assert view.path.startswith(f"recordings/{interview_id}/") and view.path.endswith(".mp4")
    assert view.kind is RecordingKind.VIDEO
    assert view.duration_seconds == pytest.approx(sum(STEPS) / 90000, rel=0.05)
    assert view.size_bytes == path.stat().st_size
    assert list_recordings(db, interview_id) == [view]


def test_register_refuses_broken_or_foreign_files(
    settings: Settings, db: Database, interview_id: int, tmp_path: Path
) -> None:
    broken = settings.data_dir / "recordings" / "broken.mp4"
    broken.parent.mkdir(parents=True)
    broken.write_bytes(b"\x00" * 100)
    with pytest.raises(RecordingError, match="does not decode"):
        register_recording(
            db,
            data_dir=settings.data_dir,
            interview_id=interview_id,
            path=broken,
            started_at=T0,
            timeout_seconds=0.5,
        )
    with pytest.raises(RecordingError, match="not inside the data dir"):
        register_recording(
            db, data_dir=settings.data_dir, interview_id=interview_id,
            path=tmp_path / "elsewhere.mp4", started_at=T0,
        )  # fmt: skip
    assert list_recordings(db, interview_id) == []
    assert make_interview(db, "other@example.com") != interview_id
