"""The room's voice answers as a candidate sees them (AppTest, real database, real files):
with no speech model the recording is kept and flagged for a reviewer; with the shared Whisper
model a human voice (JFK) is heard, shown back, and scored; a spoken chat question reaches the
interviewer; a broken upload gets a clear message and nothing is lost."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from core.config import get_settings
from core.db.engine import Database
from core.db.models import (
    ChatMessage,
    Interview,
    InterviewQuestion,
    InterviewResponse,
    InterviewTemplate,
)
from core.domain import TranscriptStatus
from tests.support.apptest import texts
from tests.support.factories import issue_key, make_interview
from tests.support.sample_files import wav_bytes
from tests.support.shared import shared_path


def _voice_room(
    open_app: Callable[..., AppTest],
    db: Database,
    *,
    aloud: str | None = None,
    show_transcript: bool = True,
) -> tuple[AppTest, int]:
    iid = make_interview(db, scheduled_at=datetime.now(UTC) + timedelta(seconds=5))
    with db.write() as s:
        interview = s.get(Interview, iid)
        assert interview is not None and interview.template_id is not None
        interview.enable_video, interview.enable_audio = False, True
        template = s.get(InterviewTemplate, interview.template_id)
        assert template is not None
        template.show_transcript_to_candidate = show_transcript
        if aloud is not None:  # the template offers to read questions aloud
            template = s.get(InterviewTemplate, interview.template_id)
            assert template is not None
            template.read_questions_aloud = True
            first = s.scalars(
                select(InterviewQuestion)
                .where(InterviewQuestion.interview_id == iid)
                .order_by(InterviewQuestion.order)
            ).first()
            assert first is not None
            first.question_text = aloud
    at = open_app(key=issue_key(db, iid))
    at.checkbox[0].check().run()  # consent to the microphone
    next(b for b in at.button if b.label == "Start the interview").click()
    return at.run(), iid


def _answer_box(at: AppTest) -> object:
    return next(a for a in at.audio_input if a.label.startswith("Or answer by voice"))


def _response(db: Database, iid: int) -> InterviewResponse:
    with db.read() as s:
        first = (  # the first question's answer (the next one opens after a submit)
            select(InterviewResponse)
            .where(InterviewResponse.interview_id == iid)
            .order_by(InterviewResponse.id)
        )
        r = s.scalars(first).first()
        assert r is not None
        s.expunge(r)
        return r


def _submit(at: AppTest) -> AppTest:
    next(b for b in at.button if b.label == "Submit answer").click()
    return at.run()


def test_without_a_speech_model_the_recording_is_kept_and_flagged(
    open_app: Callable[..., AppTest], app_env: Database
) -> None:
    at, iid = _voice_room(open_app, app_env)
    assert [a.label for a in at.audio_input] == ["Or answer by voice (kept for the reviewers)"]
    _answer_box(at).upload("answer.wav", wav_bytes(2), "audio/wav")  # type: ignore[attr-defined]
    at.run()
    assert "not transcribed on this server" in texts(at)
    r = _response(app_env, iid)
    assert r.audio_path and (get_settings().data_dir / r.audio_path).is_file()
    assert r.transcript_status == TranscriptStatus.FAILED
    assert "No speech model" in r.transcript_error
    _submit(at)
    r = _response(app_env, iid)
    assert r.is_evaluated and r.needs_review  # never a silent 0
    assert any("not transcribed" in x for x in r.evaluation_metrics["review_reasons"])


def test_a_broken_upload_gets_a_message_and_nothing_is_stored(
    open_app: Callable[..., AppTest], app_env: Database
) -> None:
    at, iid = _voice_room(open_app, app_env)
    _answer_box(at).upload("answer.wav", b"this is not a recording", "audio/wav")  # type: ignore[attr-defined]
    at.run()
    assert "could not be read" in texts(at)
    assert not at.exception
    assert _response(app_env, iid).audio_path is None


@pytest.fixture
def with_whisper(app_env: Database, monkeypatch: pytest.MonkeyPatch) -> Database:
    monkeypatch.setenv("INTERVISTA_MODELS_DIR", str(shared_path("models")))
    get_settings.cache_clear()
    return app_env


def test_a_spoken_answer_is_heard_shown_back_and_scored(
    open_app: Callable[..., AppTest], with_whisper: Database
) -> None:
    at, iid = _voice_room(open_app, with_whisper)
    assert [a.label for a in at.audio_input] == [
        "Or answer by voice (transcribed and scored)",
        "Or ask by voice",
    ]
    jfk = shared_path("audio", "jfk.wav").read_bytes()
    _answer_box(at).upload("answer.wav", jfk, "audio/wav")  # type: ignore[attr-defined]
    at.run(timeout=90)
    shown = texts(at)
    assert "We heard:" in shown and "ask not what your country can do for you" in shown.lower()
    r = _response(with_whisper, iid)
    assert r.transcript_status == TranscriptStatus.DONE
    assert r.transcript_model.startswith("faster-whisper-tiny.en")
    _submit(at)
    r = _response(with_whisper, iid)
    assert r.is_evaluated and r.score is not None and not r.needs_review
    assert r.text_response == ""  # scored from the transcript, nothing typed


def test_a_template_can_keep_the_transcript_from_the_candidate(
    open_app: Callable[..., AppTest], with_whisper: Database
) -> None:
    at, iid = _voice_room(open_app, with_whisper, show_transcript=False)
    jfk = shared_path("audio", "jfk.wav").read_bytes()
    _answer_box(at).upload("answer.wav", jfk, "audio/wav")  # type: ignore[attr-defined]
    at.run(timeout=90)
    shown = texts(at)
    assert "We heard:" not in shown and "your country" not in shown.lower()
    assert "saved and transcribed for scoring" in shown
    at.run()  # and after a rerun, from what is stored
    assert "your country" not in texts(at).lower()
    assert _response(with_whisper, iid).transcript_status == TranscriptStatus.DONE


def test_a_spoken_question_reaches_the_interviewer(
    open_app: Callable[..., AppTest], with_whisper: Database
) -> None:
    at, iid = _voice_room(open_app, with_whisper)
    jfk = shared_path("audio", "jfk.wav").read_bytes()
    ask = next(a for a in at.audio_input if a.label == "Or ask by voice")
    ask.upload("question.wav", jfk, "audio/wav")  # type: ignore[attr-defined]
    at.run(timeout=90)
    mine = select(ChatMessage).where(ChatMessage.interview_id == iid)
    with with_whisper.read() as s:
        said = [m.content for m in s.scalars(mine)]
    assert any("your country" in m.lower() for m in said), said
    at.run()  # a rerun does not send it again
    with with_whisper.read() as s:
        again = s.scalars(mine).all()
    assert len(again) == len(said)


def _iframes(at: AppTest) -> list[str]:
    return [str(el.proto.srcdoc) for el in at.get("iframe")]  # type: ignore[attr-defined]


def test_questions_are_read_aloud_only_when_the_template_offers_it(
    open_app: Callable[..., AppTest], app_env: Database
) -> None:
    hostile = 'What does </script><script>alert("x")</script> print?'
    at, _ = _voice_room(open_app, app_env, aloud=hostile)
    speakers = [doc for doc in _iframes(at) if "speechSynthesis" in doc]
    assert len(speakers) == 1
    assert "<script>alert" not in speakers[0]  # the text is a JSON string, never markup
    assert "\\u003c/script\\u003e\\u003cscript\\u003ealert" in speakers[0]
    plain, _ = _voice_room(open_app, app_env)
    assert not [doc for doc in _iframes(plain) if "speechSynthesis" in doc]


def _mic_test(open_app: Callable[..., AppTest], db: Database, audio: bytes) -> str:
    iid = make_interview(db, scheduled_at=datetime.now(UTC) + timedelta(seconds=5))
    with db.write() as s:
        interview = s.get(Interview, iid)
        assert interview is not None
        interview.enable_video, interview.enable_audio = False, True
    at = open_app(key=issue_key(db, iid))
    at.checkbox[0].check().run()
    test = next(a for a in at.audio_input if a.label == "Test your microphone (not stored)")
    test.upload("test.wav", audio, "audio/wav")  # type: ignore[attr-defined]
    at.run(timeout=90)
    assert not at.exception
    assert not list((get_settings().data_dir / "audio").rglob("*.wav"))  # nothing kept
    return texts(at)


def test_the_microphone_test_says_what_it_heard(
    open_app: Callable[..., AppTest], with_whisper: Database
) -> None:
    shown = _mic_test(open_app, with_whisper, shared_path("audio", "jfk.wav").read_bytes())
    assert "We heard:" in shown and "your microphone works" in shown


def test_the_microphone_test_names_a_silent_microphone(
    open_app: Callable[..., AppTest], with_whisper: Database
) -> None:
    silent = wav_bytes(3, sample=b"\x00\x00")
    shown = _mic_test(open_app, with_whisper, silent)
    assert "Your microphone test: The recording is silent" in shown
