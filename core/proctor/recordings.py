"""Finished recordings in the database: one Recording row with duration and size; and what a
reviewer may list of an interview's recordings (``interview_recordings``, metadata only).

``register_recording`` first waits until PyAV can decode the file (the recorder finishes the
MP4 about a second after STOP), so a registered recording always plays. It runs on a
background thread started by the recorder, never on the video callback.
"""

from __future__ import annotations

import wave
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from core.db.models import Interview, InterviewQuestion, InterviewResponse, Recording
from core.db.uow import Tx, reading, writing
from core.domain import RecordingKind, TranscriptStatus
from core.errors import IntervistaError, NotFound
from core.proctor.media_probe import MediaProbe, wait_until_decodable
from core.staff.permissions import Action, Principal, require_given


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
    with reading(db) as session:
        rows = session.scalars(
            select(Recording)
            .where(Recording.interview_id == interview_id)
            .order_by(Recording.started_at, Recording.id)
        ).all()
        return [recording_view(r) for r in rows]


@dataclass(frozen=True)
class SpokenAnswer:
    """A spoken answer's recording: which question, when, how big, and its transcript's state."""

    response_id: int
    question_id: int
    question_order: int
    started_at: datetime | None
    ended_at: datetime | None  # when the answer was submitted
    size_bytes: int | None  # None when the file is gone
    duration_seconds: float | None  # from the WAV header (None: gone or unreadable)
    transcript_status: TranscriptStatus | None
    mime_type: str = "audio/wav"  # the browser's recorder sends WAV (core.interview.media)


@dataclass(frozen=True)
class InterviewRecordings:
    interview_id: int
    sessions: tuple[RecordingView, ...]  # the camera/microphone during the interview
    answers: tuple[SpokenAnswer, ...]  # the candidate's spoken answers, by question


def ended_at(view: RecordingView) -> datetime | None:
    if view.duration_seconds is None:
        return None
    return view.started_at + timedelta(seconds=view.duration_seconds)


def _wav_facts(data_dir: Path, relative: str) -> tuple[int | None, float | None]:
    """Size and duration of a WAV file under the data dir (None: missing, not under it, or
    not readable as WAV)."""
    root = data_dir.resolve()
    path = (root / relative).resolve()
    if not relative or not path.is_relative_to(root) or not path.is_file():
        return None, None
    size = path.stat().st_size
    try:
        with wave.open(str(path), "rb") as audio:
            rate = audio.getframerate()
            return size, (audio.getnframes() / rate if rate else None)
    except (wave.Error, EOFError, OSError):
        return size, None


def interview_recordings(
    db: Tx, data_dir: Path, interview_id: int, *, principal: Principal | None = None
) -> InterviewRecordings:
    """The interview's recordings, metadata only (no paths). ``principal``, when given, must be
    allowed ``REVIEW_INTERVIEW`` (recordings are review material: hiring managers too)."""
    require_given(principal, Action.REVIEW_INTERVIEW, interview_id=interview_id)
    with reading(db) as session:
        if session.get(Interview, interview_id) is None:
            raise NotFound(f"There is no interview #{interview_id}.", code="interview_not_found")
        sessions = session.scalars(
            select(Recording)
            .where(Recording.interview_id == interview_id)
            .order_by(Recording.started_at, Recording.id)
        ).all()
        spoken = session.execute(
            select(InterviewResponse, InterviewQuestion.order)
            .join(InterviewQuestion, InterviewQuestion.id == InterviewResponse.question_id)
            .where(
                InterviewResponse.interview_id == interview_id,
                InterviewResponse.audio_path.is_not(None),
            )
            .order_by(InterviewQuestion.order)
        ).all()
        answers = []
        for r, order in spoken:
            size, seconds = _wav_facts(data_dir, r.audio_path or "")
            answers.append(
                SpokenAnswer(
                    response_id=r.id,
                    question_id=r.question_id,
                    question_order=order,
                    started_at=r.started_at,
                    ended_at=r.submitted_at,
                    size_bytes=size,
                    duration_seconds=seconds,
                    transcript_status=r.transcript_status,
                )
            )
        return InterviewRecordings(
            interview_id, tuple(recording_view(r) for r in sessions), tuple(answers)
        )
