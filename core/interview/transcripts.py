"""Spoken answers: transcribe the stored recording, keep the text with the model's name, and
score the answer again if it was scored before its transcript arrived.

``SpokenAnswers`` is the application's service (``Application.spoken_answers``): a bounded
worker (``core.interviewer.speech.worker``) runs the transcriber off the page's thread; pages,
the CLI and tests call the use cases below through it or directly.
"""

from __future__ import annotations

import logging
import secrets
import time
import uuid
from collections.abc import Callable
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db.models import InterviewResponse
from core.db.uow import Tx, reading, writing
from core.domain import ResponseStatus, TranscriptStatus
from core.interviewer.ai.types import Evaluator
from core.interviewer.evaluation import evaluate_response
from core.interviewer.speech.spoken_answer import PENDING_REASON
from core.interviewer.speech.types import Transcriber, TranscriptionError
from core.interviewer.speech.worker import BoundedWorker
from core.review.erasure import safe_path

logger = logging.getLogger(__name__)

QUEUE_CAPACITY = 16


@dataclass(frozen=True)
class StoredTranscript:
    question_id: int
    status: TranscriptStatus | None  # None: no recording
    text: str
    model: str
    error: str


def _stored(question_id: int, r: InterviewResponse | None) -> StoredTranscript:
    if r is None:
        return StoredTranscript(question_id, None, "", "", "")
    status = TranscriptStatus(r.transcript_status) if r.transcript_status else None
    return StoredTranscript(
        question_id, status, r.transcript_text, r.transcript_model, r.transcript_error
    )


def _response(session: Session, question_id: int) -> InterviewResponse | None:
    return session.scalars(
        select(InterviewResponse).where(InterviewResponse.question_id == question_id)
    ).first()


def transcript_of(db: Tx, question_id: int) -> StoredTranscript:
    with reading(db) as session:
        return _stored(question_id, _response(session, question_id))


def transcribe_answer(
    db: Tx, transcriber: Transcriber, data_dir: Path, question_id: int
) -> StoredTranscript:
    """Transcribe the question's stored recording and store the result (worker thread).

    The model runs outside any transaction. A recording replaced meanwhile (the candidate
    recorded again) is not overwritten with the old one's text."""
    with reading(db) as session:
        r = _response(session, question_id)
        relative = r.audio_path if r is not None else None
    if not relative:
        return transcript_of(db, question_id)
    path = safe_path(data_dir, relative)
    status, text, model, error = TranscriptStatus.FAILED, "", transcriber.name, ""
    try:
        if path is None or not path.is_file():
            raise TranscriptionError("The recording is missing on the server.")
        result = transcriber.transcribe(path)
        status, text, model = TranscriptStatus.DONE, result.text.strip(), result.model
    except TranscriptionError as exc:
        error = str(exc)
    except Exception:
        incident = uuid.uuid4().hex[:8]
        logger.exception("transcription of %s failed (incident %s)", relative, incident)
        error = f"The transcriber failed (incident {incident})."
    with writing(db) as session:
        r = _response(session, question_id)
        if r is None or r.audio_path != relative:
            logger.info("recording of question %s replaced during transcription", question_id)
            return _stored(question_id, r)
        r.transcript_status, r.transcript_text = status, text
        r.transcript_model, r.transcript_error = model[:200], error
        session.flush()
        return _stored(question_id, r)


def rescore_if_heard_late(db: Tx, evaluator: Evaluator, question_id: int) -> bool:
    """Score again an answer that was scored while its transcript was pending (worker thread).

    A human override stays untouched (``evaluate_response`` never writes it)."""
    with reading(db) as session:
        r = _response(session, question_id)
        if r is None or r.status != ResponseStatus.SUBMITTED or not r.is_evaluated:
            return False
        if PENDING_REASON not in (r.evaluation_metrics or {}).get("review_reasons", []):
            return False
        response_id = r.id
    evaluate_response(db, evaluator, response_id, force=True)
    return True


class SpokenAnswers:
    """Transcription for the whole process: one bounded worker, shared by every session."""

    def __init__(
        self,
        db: Tx,
        transcriber: Transcriber,
        data_dir: Path,
        evaluator: Callable[[], Evaluator],
        *,
        capacity: int = QUEUE_CAPACITY,
    ) -> None:
        self.db, self.transcriber, self.data_dir = db, transcriber, data_dir
        self._evaluator = evaluator
        self.worker = BoundedWorker(capacity)

    @property
    def available(self) -> bool:
        return self.transcriber.available

    def _job(self, question_id: int) -> StoredTranscript:
        stored = transcribe_answer(self.db, self.transcriber, self.data_dir, question_id)
        try:
            rescore_if_heard_late(self.db, self._evaluator(), question_id)
        except Exception:
            logger.exception("re-scoring question %s after its transcript failed", question_id)
        return stored

    def request(self, question_id: int) -> bool:
        """Queue the question's recording (any thread); False when the queue is full (it is
        transcribed when the answer is submitted)."""
        return (
            self.worker.submit(("answer", question_id), lambda: self._job(question_id)) is not None
        )

    def settle(self, question_id: int, timeout: float) -> StoredTranscript:
        """Wait up to ``timeout`` s for the recording's transcript, queuing it if needed
        (blocks the caller; the work runs on the worker thread)."""
        current = transcript_of(self.db, question_id)
        if current.status is not TranscriptStatus.PENDING:
            return current
        deadline = time.monotonic() + timeout  # one budget for the slot and the result
        future = self.worker.submit(
            ("answer", question_id), lambda: self._job(question_id), wait_for_slot=timeout
        )
        if future is not None:
            try:
                future.result(timeout=max(0.0, deadline - time.monotonic()))
            except FutureTimeout:
                logger.info(
                    "transcript of question %s not ready after %.0f s", question_id, timeout
                )
            except Exception:
                logger.debug("transcription job failed; its error is stored", exc_info=True)
        return transcript_of(self.db, question_id)

    def transcribe_message(self, audio: bytes, interview_id: int, timeout: float) -> str:
        """A spoken chat message as text (blocks the caller up to ``timeout`` s; the model runs
        on the worker). Raises TranscriptionError with a sentence for the candidate."""
        if not self.transcriber.available:
            raise TranscriptionError(
                "Spoken messages cannot be transcribed on this server; type it."
            )
        folder = self.data_dir / "audio" / str(interview_id)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"chat-{secrets.token_hex(6)}.wav"
        path.write_bytes(audio)
        deadline = time.monotonic() + timeout
        try:
            future = self.worker.submit(
                ("chat", path.name),
                lambda: self.transcriber.transcribe(path),
                wait_for_slot=timeout,
            )
            if future is None:
                raise TranscriptionError("The server is busy transcribing; type your message.")
            try:
                return str(future.result(timeout=max(0.0, deadline - time.monotonic())).text)
            except FutureTimeout as exc:
                raise TranscriptionError("Transcribing took too long; type your message.") from exc
        finally:
            path.unlink(missing_ok=True)

    def resume_pending(self, slot_wait: float = 60.0) -> int:
        """Queue every recording left pending by a process that stopped (a restart, a crash)
        before its transcript was stored; return how many were queued. Blocks while the queue
        is full: call it from a background thread (``Application.start_background_work``)."""
        with reading(self.db) as session:
            stmt = select(InterviewResponse.question_id).where(
                InterviewResponse.transcript_status == TranscriptStatus.PENDING,
                InterviewResponse.audio_path.is_not(None),
            )
            waiting = list(session.scalars(stmt))
        queued = 0
        for question_id in waiting:
            future = self.worker.submit(
                ("answer", question_id),
                lambda q=question_id: self._job(q),  # type: ignore[misc]
                wait_for_slot=slot_wait,
            )
            queued += future is not None
        if waiting:
            logger.info("re-queued %d of %d pending transcripts", queued, len(waiting))
        return queued

    def stop(self) -> None:
        self.worker.stop()
