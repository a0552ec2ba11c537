"""Spoken answers on a real database: the transcript is stored beside the recording with the
model's name, the answer is scored on it, and one that cannot be heard is flagged, never a
silent 0. A scripted transcriber stands in for the model here (the real one is exercised in
tests/integration/speech and test_spoken_answer_whisper.py); everything else is real."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from core.config import Settings
from core.db.engine import Database
from core.db.models import InterviewResponse
from core.domain import TranscriptStatus
from core.interview import flow, media, room
from core.interview.transcripts import SpokenAnswers, transcribe_answer, transcript_of
from core.interviewer.ai.conversation import Interviewer
from core.interviewer.ai.factory import build_offline_evaluator
from core.interviewer.speech.spoken_answer import PENDING_REASON
from core.interviewer.speech.types import NoSpeech, Transcript, TranscriptionError
from core.staff.permissions import CandidatePrincipal
from tests.support.factories import make_interview
from tests.support.sample_files import wav_bytes

T0 = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
ANSWER = (
    "An index is a sorted structure over a column that lets the database find rows without "
    "scanning the whole table; it speeds up reads and slows down writes."
)


class ScriptedTranscriber:
    """Says what it is told to; ``gate`` holds it mid-transcription when set."""

    name = "scripted-test-model"
    available = True

    def __init__(self, text: str = ANSWER, error: TranscriptionError | None = None) -> None:
        self.text, self.error = text, error
        self.gate: threading.Event | None = None
        self.started = threading.Event()
        self.calls = 0

    def transcribe(self, path: Path) -> Transcript:
        self.calls += 1
        self.started.set()
        if self.gate is not None:
            self.gate.wait(10)
        if self.error is not None:
            raise self.error
        return Transcript(self.text, self.name, "en", 3.0, 0.1)


@pytest.fixture
def running(any_db: Database, settings) -> tuple[Database, int, int, str]:
    db = any_db
    iid = make_interview(db, scheduled_at=T0)
    token = flow.new_session_token()
    flow.start(db, iid, token=token, now=T0)
    return db, iid, flow.load(db, iid).questions[0].id, token


def _record(db: Database, settings: Settings, iid: int, qid: int, token: str) -> str:
    return media.save_audio(
        db, settings.data_dir, iid, qid, audio=wav_bytes(2), token=token, now=T0
    )


def _submit(db: Database, settings, iid: int, qid: int, token: str, text: str = "", spoken=None):
    return room.submit_answer(
        db,
        build_offline_evaluator(settings, lexical_only=True),
        Interviewer(),
        CandidatePrincipal(iid),
        iid,
        qid,
        text=text,
        code="",
        token=token,
        now=T0 + timedelta(minutes=2),
        spoken=spoken,
    )


def _response(db: Database, qid: int) -> InterviewResponse:
    with db.read() as s:
        r = s.query(InterviewResponse).filter_by(question_id=qid).one()
        s.expunge(r)
        return r


def test_a_recording_is_pending_then_transcribed_with_the_models_name(running, settings) -> None:
    db, iid, qid, token = running
    _record(db, settings, iid, qid, token)
    assert transcript_of(db, qid).status is TranscriptStatus.PENDING
    stored = transcribe_answer(db, ScriptedTranscriber(), settings.data_dir, qid)
    assert stored.status is TranscriptStatus.DONE
    assert stored.text == ANSWER and stored.model == "scripted-test-model"
    _record(db, settings, iid, qid, token)  # recorded again: the old words go
    again = transcript_of(db, qid)
    assert again.status is TranscriptStatus.PENDING and again.text == ""


def test_a_voice_only_answer_is_scored_on_its_words(running, settings) -> None:
    db, iid, qid, token = running
    _record(db, settings, iid, qid, token)
    spoken = SpokenAnswers(db, ScriptedTranscriber(), settings.data_dir, lambda: None)  # type: ignore[arg-type,return-value]
    try:
        result = _submit(db, settings, iid, qid, token, spoken=spoken)
    finally:
        spoken.stop()
    assert result.evaluated
    r = _response(db, qid)
    assert r.text_response == "" and r.transcript_status == TranscriptStatus.DONE
    assert r.score is not None and r.score > 0  # an empty answer scores 0
    assert not r.needs_review


def test_the_typed_twin_scores_the_same(running, settings) -> None:
    db, iid, _, token = running
    questions = flow.load(db, iid).questions
    spoken = SpokenAnswers(db, ScriptedTranscriber(), settings.data_dir, lambda: None)  # type: ignore[arg-type,return-value]
    try:
        _record(db, settings, iid, questions[0].id, token)
        _submit(db, settings, iid, questions[0].id, token, spoken=spoken)
    finally:
        spoken.stop()
    # the same words typed, for the same question in another interview
    iid2 = make_interview(db, scheduled_at=T0)
    token2 = flow.new_session_token()
    flow.start(db, iid2, token=token2, now=T0)
    q2 = flow.load(db, iid2).questions[0].id
    _submit(db, settings, iid2, q2, token2, text=ANSWER)
    voice, typed = _response(db, questions[0].id), _response(db, q2)
    assert voice.score is not None and typed.score is not None
    assert abs(voice.score - typed.score) <= 1.0


@pytest.mark.parametrize(
    ("error", "shown"),
    [
        (NoSpeech("No speech was heard in the recording."), "No speech was heard"),
        (RuntimeError("ctranslate2 crashed"), "The transcriber failed (incident"),
    ],
)
def test_an_answer_that_cannot_be_heard_is_flagged_with_the_reason(
    running, settings, error: Exception, shown: str
) -> None:
    db, iid, qid, token = running
    _record(db, settings, iid, qid, token)
    transcriber = ScriptedTranscriber()
    transcriber.transcribe = lambda path: (_ for _ in ()).throw(error)  # type: ignore[method-assign]
    spoken = SpokenAnswers(db, transcriber, settings.data_dir, lambda: None)  # type: ignore[arg-type,return-value]
    try:
        _submit(db, settings, iid, qid, token, spoken=spoken)
    finally:
        spoken.stop()
    r = _response(db, qid)
    assert r.transcript_status == TranscriptStatus.FAILED and shown in r.transcript_error
    assert r.is_evaluated and r.needs_review
    assert any(shown in reason for reason in r.evaluation_metrics["review_reasons"])
    assert "A person will listen" in r.ai_feedback
    assert "ctranslate2" not in r.transcript_error  # internals stay in the log


def test_scored_before_the_transcript_then_scored_again_when_it_lands(running, settings) -> None:
    db, iid, qid, token = running
    _record(db, settings, iid, qid, token)
    _submit(db, settings, iid, qid, token)  # no transcription service: scored while pending
    r = _response(db, qid)
    assert r.needs_review and PENDING_REASON in r.evaluation_metrics["review_reasons"]
    first_score = r.score
    spoken = SpokenAnswers(
        db,
        ScriptedTranscriber(),
        settings.data_dir,
        lambda: build_offline_evaluator(settings, lexical_only=True),
    )
    try:
        assert spoken.settle(qid, 10).status is TranscriptStatus.DONE
    finally:
        spoken.stop()
    r = _response(db, qid)
    assert not r.needs_review and r.score is not None and r.score > (first_score or 0)


def test_a_recording_replaced_while_transcribing_keeps_the_new_one(running, settings) -> None:
    db, iid, qid, token = running
    _record(db, settings, iid, qid, token)
    slow = ScriptedTranscriber(text="the old recording's words")
    slow.gate = threading.Event()
    spoken = SpokenAnswers(db, slow, settings.data_dir, lambda: None)  # type: ignore[arg-type,return-value]
    try:
        assert spoken.request(qid)
        assert slow.started.wait(5)
        newest = _record(db, settings, iid, qid, token)  # while the old one is transcribed
        slow.gate.set()
        spoken.worker.submit("barrier", lambda: None).result(5)  # type: ignore[union-attr]
        r = _response(db, qid)
        assert r.audio_path == newest and r.transcript_status == TranscriptStatus.PENDING
        slow.text = "the new words"
        assert spoken.settle(qid, 10).text == "the new words"
    finally:
        spoken.stop()


def test_a_full_queue_refuses_and_submit_still_waits_its_turn(running, settings) -> None:
    db, iid, qid, token = running
    _record(db, settings, iid, qid, token)
    slow = ScriptedTranscriber()
    slow.gate = threading.Event()
    spoken = SpokenAnswers(db, slow, settings.data_dir, lambda: None, capacity=1)  # type: ignore[arg-type,return-value]
    try:
        blocker = spoken.worker.submit("blocker", lambda: slow.gate.wait(10))  # type: ignore[union-attr]
        assert blocker is not None
        assert not spoken.request(qid)  # full: refused at once, the page goes on
        threading.Timer(0.5, slow.gate.set).start()
        assert spoken.settle(qid, 10).status is TranscriptStatus.DONE  # waited for a slot
    finally:
        spoken.stop()


def test_recordings_left_pending_by_a_stopped_process_are_transcribed_on_start(
    running, settings
) -> None:
    db, iid, qid, token = running
    _record(db, settings, iid, qid, token)  # the process that stored it died before the worker ran
    spoken = SpokenAnswers(db, ScriptedTranscriber(), settings.data_dir, lambda: None)  # type: ignore[arg-type,return-value]
    try:
        assert spoken.resume_pending() == 1
        assert spoken.settle(qid, 10).status is TranscriptStatus.DONE
        assert spoken.resume_pending() == 0  # nothing left
    finally:
        spoken.stop()
