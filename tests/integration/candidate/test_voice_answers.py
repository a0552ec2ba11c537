"""Spoken answers: real WAV bytes stored under data/, bad recordings refused, nothing lost."""

from __future__ import annotations

import wave
from datetime import UTC, datetime
from pathlib import Path

import pytest

from core.config import Settings
from core.db.engine import Database
from core.interview import flow, media
from core.recruiting.interviews import get_interview
from tests.support.factories import make_interview
from tests.support.sample_files import wav_bytes

T0 = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)


@pytest.fixture
def running(db: Database) -> tuple[int, int]:
    iid = make_interview(db, scheduled_at=T0)
    flow.start(db, iid, token="t", now=T0)
    return iid, flow.load(db, iid).questions[0].id


def test_recording_is_stored_and_replaced(
    db: Database, settings: Settings, running: tuple[int, int]
) -> None:
    iid, qid = running
    first = media.save_audio(db, settings.data_dir, iid, qid, audio=wav_bytes(), token="t", now=T0)
    second = media.save_audio(
        db, settings.data_dir, iid, qid, audio=wav_bytes(1.0), token="t", now=T0
    )
    assert not (settings.data_dir / first).exists()
    stored = settings.data_dir / second
    with wave.open(str(stored)) as w:
        assert w.getnframes() == 16_000
    detail = get_interview(db, iid)
    assert detail is not None and detail.questions[0].audio_path == second


@pytest.mark.parametrize(
    ("audio", "message"),
    [
        (b"", "empty"),
        (b"not a wav file at all", "could not be read"),
        (b"RIFF" + b"\x00" * 4 + b"WAVE" + b"\x00" * (26 * 1024 * 1024), "too long"),
    ],
)
def test_bad_recordings_are_refused(
    db: Database, settings: Settings, running: tuple[int, int], audio: bytes, message: str
) -> None:
    iid, qid = running
    with pytest.raises(flow.FlowError, match=message):
        media.save_audio(db, settings.data_dir, iid, qid, audio=audio, token="t", now=T0)
    assert not (Path(settings.data_dir) / "audio").exists()


def test_no_recording_after_submit(
    db: Database, settings: Settings, running: tuple[int, int]
) -> None:
    iid, qid = running
    flow.submit(db, iid, qid, text="typed", code="", token="t", now=T0)
    with pytest.raises(flow.FlowError, match="already submitted"):
        media.save_audio(db, settings.data_dir, iid, qid, audio=wav_bytes(), token="t", now=T0)
