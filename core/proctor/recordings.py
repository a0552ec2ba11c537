"""Finished recordings in the database: one Recording row with duration and size.

``register_recording`` first waits until PyAV can decode the file (the recorder finishes the
MP4 about a second after STOP), so a registered recording always plays. It runs on a
background thread started by the recorder, never on the video callback.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from core.db.models import Interview, Recording
from core.db.uow import Tx, reading, writing
from core.domain import RecordingKind
from core.errors import IntervistaError
from core.proctor.media_probe import MediaProbe, wait_until_decodable


class RecordingError(IntervistaError, ValueError):
    """The recording cannot be registered (missing, outside the data dir, unreadable)."""

    code = "recording_invalid"


@dataclass(frozen=True)
class RecordingView:
    id: int
    interview_id: int
    path: str  # relative to the data dir
    kind: RecordingKind
    mime_type: str
    started_at: datetime
    duration_seconds: float | None
    size_bytes: int | None


def _relative(data_dir: Path, path: Path) -> str:
    try:
        return path.resolve().relative_to(data_dir.resolve()).as_posix()
    except ValueError as exc:
        raise RecordingError(f"{path} is not inside the data dir {data_dir}") from exc


def register_recording(
    db: Tx,
    *,
    data_dir: Path,
    interview_id: int,
    path: Path,
    started_at: datetime,
    timeout_seconds: float = 15.0,
) -> RecordingView:
    """Wait until ``path`` decodes, then insert its Recording row and return it."""
    relative = _relative(data_dir, path)
    probe: MediaProbe = wait_until_decodable(path, timeout_seconds=timeout_seconds)
    if probe.error:
        raise RecordingError(f"recording {relative} does not decode: {probe.error}")
    kind = RecordingKind.VIDEO if probe.video_frames else RecordingKind.AUDIO
    with writing(db) as session:
        if session.get(Interview, interview_id) is None:
            raise RecordingError(f"interview {interview_id} does not exist")
        row = Recording(
            interview_id=interview_id,
            path=relative,
            kind=kind,
            mime_type="video/mp4" if kind is RecordingKind.VIDEO else "audio/mp4",
            started_at=started_at,
            duration_seconds=probe.duration_seconds,
            size_bytes=path.stat().st_size,
        )
        session.add(row)
        session.flush()
        return recording_view(row)


def recording_view(row: Recording) -> RecordingView:
    return RecordingView(
        id=row.id,
        interview_id=row.interview_id,
        path=row.path,
        kind=row.kind,
        mime_type=row.mime_type,
        started_at=row.started_at,
        duration_seconds=row.duration_seconds,
        size_bytes=row.size_bytes,
    )


def list_recordings(db: Tx, interview_id: int) -> list[RecordingView]:
    from sqlalchemy import select

    with reading(db) as session:
        rows = session.scalars(
            select(Recording)
            .where(Recording.interview_id == interview_id)
            .order_by(Recording.started_at, Recording.id)
        ).all()
        return [recording_view(r) for r in rows]
