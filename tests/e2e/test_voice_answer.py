"""A spoken answer in Chromium, from a fake microphone playing speech made by espeak-ng: the
candidate records it, sees what was heard, submits it; it is transcribed by the shared Whisper
model, scored like typed text, and the reviewer sees the transcript under the recording.
Also a silent microphone: the candidate is told, and the answer is flagged for a reviewer.
Screenshots go to test-output/e2e-voice/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from core.bootstrap import ensure_database
from core.config import load_settings
from core.db.engine import Database
from core.db.models import Interview, InterviewQuestion, InterviewResponse
from core.domain import Role, TranscriptStatus
from core.interviewer.speech.wer import word_error_rate
from tests.support.browser import (
    CHROMIUM,
    app_env,
    fake_microphone_args,
    require_chromium,
    streamlit_server,
)
from tests.support.factories import PASSWORD, issue_key, make_interview, make_user
from tests.support.sample_files import wav_bytes
from tests.support.shared import REPO_ROOT, shared_path
from tests.support.speech import speak

pytestmark = [pytest.mark.browser, pytest.mark.shared, pytest.mark.slow]
SHOTS = REPO_ROOT / "test-output" / "e2e-voice"
QUESTION = "How would you plan a new feature with your team?"
SPOKEN = (
    "First I would ask the team what the users need, then I would write a small plan and share it."
)


def _voice_interview(db: Database) -> tuple[int, str]:
    iid = make_interview(db, scheduled_at=datetime.now(UTC) + timedelta(seconds=10))
    with db.write() as s:
        interview = s.get(Interview, iid)
        assert interview is not None
        interview.enable_video, interview.enable_audio = False, True
        first = s.scalars(
            select(InterviewQuestion)
            .where(InterviewQuestion.interview_id == iid)
            .order_by(InterviewQuestion.order)
        ).first()
        assert first is not None
        first.question_text = QUESTION
        first.expected_answer = "Find out what users need, agree a plan with the team, share it."
        first.evaluation_criteria = ["asks what users need", "makes a plan", "shares it"]
    return iid, issue_key(db, iid)


def _first_response(db: Database, iid: int) -> InterviewResponse:
    with db.read() as s:
        r = s.scalars(
            select(InterviewResponse)
            .where(InterviewResponse.interview_id == iid)
            .order_by(InterviewResponse.id)
        ).first()
        assert r is not None
        s.expunge(r)
        return r


@contextmanager
def _app(tmp_path: Path) -> Iterator[tuple[str, Database, dict[str, str]]]:
    env = app_env(tmp_path / "data", INTERVISTA_EVALUATOR="offline")
    env["INTERVISTA_MODELS_DIR"] = str(shared_path("models"))
    settings = load_settings(
        data_dir=Path(env["INTERVISTA_DATA_DIR"]), database_url=env["INTERVISTA_DATABASE_URL"]
    )
    db = ensure_database(settings)
    with streamlit_server(env) as base:
        yield base, db, env
    db.dispose()


def _record(page: Any, label: str, seconds: float) -> None:
    """Press the audio input's record button, let the fake microphone play, press stop."""
    box = page.locator('[data-testid="stAudioInput"]').filter(has_text=label)
    box.locator('[data-testid="stAudioInputActionButton"]').click()
    page.wait_for_timeout(int(seconds * 1000))
    box.locator('[data-testid="stAudioInputActionButton"]').click()


def _start(page: Any, base: str, key: str) -> None:
    from playwright.sync_api import expect

    page.goto(f"{base}/interview?key={key}")
    expect(page.get_by_text("What happens")).to_be_visible(timeout=30_000)
    page.get_by_text("I agree that my").click()
    page.get_by_role("button", name="Start the interview").click()
    expect(page.get_by_text("Question 1 of 3")).to_be_visible(timeout=60_000)


def test_a_spoken_answer_is_heard_scored_and_shown_to_the_reviewer(tmp_path: Path) -> None:
    require_chromium()
    from playwright.sync_api import expect, sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    speech = speak(SPOKEN, tmp_path / "answer.wav", pad_seconds=1.0)
    with _app(tmp_path) as (base, db, _env), sync_playwright() as pw:
        iid, key = _voice_interview(db)
        make_user(db, Role.HIRING_MANAGER, email="manager@example.com")
        args = fake_microphone_args(speech, loop=False)
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=args)
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        _start(page, base, key)
        _record(page, "Or answer by voice (transcribed and scored)", seconds=8)
        heard = page.locator('[data-testid="stMarkdownContainer"] p').filter(has_text="We heard:")
        expect(heard).to_be_visible(timeout=90_000)
        text = heard.inner_text().removeprefix("We heard:").strip()
        wer = word_error_rate(SPOKEN, text)
        print(f"heard in the browser: WER {wer:.1%}: {text!r}")
        assert wer <= 0.35
        page.screenshot(path=str(SHOTS / "1-heard.png"), full_page=True)
        page.get_by_role("button", name="Submit answer").click()
        expect(page.get_by_text("Question 2 of 3")).to_be_visible(timeout=90_000)

        r = _first_response(db, iid)
        assert r.transcript_status == TranscriptStatus.DONE
        assert r.transcript_model == "faster-whisper-tiny.en (int8)"
        assert r.text_response == "" and r.is_evaluated and r.score is not None
        assert not r.needs_review, r.evaluation_metrics
        print(f"scored {r.score} from the transcript")

        review = browser.new_page(viewport={"width": 1280, "height": 1000})
        review.goto(f"{base}/review?interview={iid}")
        review.get_by_label("Email").fill("manager@example.com")
        review.get_by_role("textbox", name="Password").fill(PASSWORD)
        review.get_by_role("button", name="Sign in").click()
        review.get_by_role("tab", name="Questions").click(timeout=60_000)
        review.get_by_text(re.compile(r"^Q1 · ")).first.click(timeout=30_000)
        expect(
            review.get_by_text("Transcript (transcribed by faster-whisper-tiny.en")
        ).to_be_visible(timeout=30_000)
        expect(review.get_by_text(r.transcript_text, exact=True)).to_be_visible()
        expect(
            review.get_by_text("(nothing typed: the answer was spoken, see below)")
        ).to_be_visible()
        review.screenshot(path=str(SHOTS / "2-review.png"), full_page=True)
        browser.close()


def test_a_silent_microphone_is_named_and_the_answer_flagged(tmp_path: Path) -> None:
    require_chromium()
    from playwright.sync_api import expect, sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    silence = tmp_path / "silence.wav"
    silence.write_bytes(wav_bytes(6, sample=b"\x00\x00"))
    with _app(tmp_path) as (base, db, _env), sync_playwright() as pw:
        iid, key = _voice_interview(db)
        args = fake_microphone_args(silence)
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=args)
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        _start(page, base, key)
        _record(page, "Or answer by voice", seconds=3)
        expect(page.get_by_text("could not be transcribed")).to_be_visible(timeout=90_000)
        expect(page.get_by_text("The recording is silent")).to_be_visible()
        page.screenshot(path=str(SHOTS / "3-silent.png"), full_page=True)
        page.get_by_role("button", name="Submit answer").click()
        expect(page.get_by_text("Question 2 of 3")).to_be_visible(timeout=90_000)
        r = _first_response(db, iid)
        assert r.transcript_status == TranscriptStatus.FAILED and r.needs_review
        assert any("silent" in x for x in r.evaluation_metrics["review_reasons"])
        browser.close()
