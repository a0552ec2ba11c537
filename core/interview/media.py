"""Candidate media and conversation history: spoken answers and the chat transcript."""

from __future__ import annotations

import secrets
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from core.db.models import ChatMessage
from core.db.uow import Tx, reading, writing
from core.domain import ResponseStatus, TranscriptStatus
from core.interview.flow import FlowError, live_interview, response_row
from core.interviewer.ai.records import StoredMessage, message_of


def chat_history(db: Tx, interview_id: int, limit: int = 200) -> tuple[StoredMessage, ...]:
    """The conversation so far, oldest first (the same read model the interviewer returns)."""
    with reading(db) as session:
        rows = session.scalars(
            select(ChatMessage)
            .where(ChatMessage.interview_id == interview_id)
            .order_by(ChatMessage.created_at, ChatMessage.id)
            .limit(limit)
        )
        return tuple(message_of(m) for m in rows)


MAX_AUDIO_BYTES = 25 * 1024 * 1024


def save_audio(
    db: Tx,
    data_dir: Path,
    interview_id: int,
    question_id: int,
    *,
    audio: bytes,
    token: str,
    now: datetime,
) -> str:
    """Store a spoken answer (WAV from the browser) with the response; return its path.

    The file goes under ``<data_dir>/audio/<interview>/``; the response keeps the relative path.
    A new recording replaces the previous one (and its transcript) for the same question; the
    transcript is then pending until ``SpokenAnswers`` transcribes it.
    """
    if not audio:
        raise FlowError("The recording is empty; record again.")
    if len(audio) > MAX_AUDIO_BYTES:
        raise FlowError("The recording is too long; keep spoken answers under about 10 minutes.")
    if audio[:4] != b"RIFF" or audio[8:12] != b"WAVE":
        raise FlowError("The recording could not be read; record again.")
    relative = f"audio/{interview_id}/q{question_id}-{secrets.token_hex(4)}.wav"
    with writing(db) as session:
        r = response_row(
            session, live_interview(session, interview_id, token, now), question_id, now
        )
        if r.status is ResponseStatus.SUBMITTED:
            raise FlowError("This answer is already submitted.")
        previous, r.audio_path = r.audio_path, relative
        r.transcript_status = TranscriptStatus.PENDING  # the worker transcribes it
        r.transcript_text = r.transcript_model = r.transcript_error = ""
        target = data_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(audio)  # inside the transaction: a failed write stores no path
    if previous and previous != relative:
        (data_dir / previous).unlink(missing_ok=True)
    return relative
