"""The candidate's interview through the real router, step by step (AppTest, no camera)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from core.db.engine import Database
from core.db.models import ChatMessage, Evaluation, Interview, InterviewQuestion, InterviewResponse
from core.domain import InterviewStatus, QuestionType, ResponseStatus
from tests.support.apptest import texts
from tests.support.factories import issue_key, make_interview


def _interview(db: Database, *, video: bool = False, coding: bool = False) -> tuple[int, str]:
    iid = make_interview(db, scheduled_at=datetime.now(UTC) + timedelta(seconds=5))
    with db.write() as s:
        interview = s.get(Interview, iid)
        interview.enable_video = video
        if coding:
            q = s.scalars(
                select(InterviewQuestion)
                .where(InterviewQuestion.interview_id == iid)
                .order_by(InterviewQuestion.order)
            ).first()
            q.question_type = QuestionType.CODING
            q.coding_problem_ref = "balanced-brackets"
    return iid, issue_key(db, iid)


def _click(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click()
    return at.run()


def test_welcome_shows_the_interview_and_asks_consent_only_when_recording(
    open_app: Callable[..., AppTest], app_env: Database
) -> None:
    at = open_app(key=_interview(app_env, video=False)[1])
    content = texts(at)
    assert "Time: 30 minutes for 3 questions" in content and "What happens" in content
    assert not at.checkbox  # nothing is recorded: no consent needed
    start = next(b for b in at.button if b.label == "Start the interview")
    assert not start.disabled


def test_whole_text_interview_to_completion(
    open_app: Callable[..., AppTest], app_env: Database
) -> None:
    iid, key = _interview(app_env)
    at = _click(open_app(key=key), "Start the interview")
    assert "Question 1 of 3" in texts(at)
    at.text_area[0].input("A first draft")
    at.run()
    with app_env.read() as s:
        draft = s.scalars(
            select(InterviewResponse).where(InterviewResponse.interview_id == iid)
        ).one()
        assert (draft.status, draft.text_response) == (ResponseStatus.DRAFT, "A first draft")
    at.text_area[0].input("Answer 1 is about point 1")
    at = _click(at, "Submit answer")
    assert "Question 2 of 3" in texts(at)
    at = _click(at, "Skip for now")
    assert "Question 3 of 3" in texts(at)
    at.text_area[0].input("Answer 3 is about point 3")
    at = _click(at, "Submit answer")
    assert "Question 2 of 3" in texts(at)  # back to the skipped one
    at.chat_input[0].set_value("Can you clarify the question?").run()
    at.text_area[0].input("Answer 2 covers point 2")
    at = _click(at, "Submit answer")
    assert "You have answered every question." in texts(at)
    at = _click(at, "Finish the interview")
    content = texts(at)
    assert "Interview complete. Thank you!" in content
    assert "No warnings were recorded." in content
    with app_env.read() as s:
        assert s.get(Interview, iid).status is InterviewStatus.COMPLETED
        responses = list(
            s.scalars(select(InterviewResponse).where(InterviewResponse.interview_id == iid))
        )
        assert len(responses) == 3 and all(r.is_evaluated for r in responses)
        assert s.scalars(select(Evaluation).where(Evaluation.interview_id == iid)).one()
        roles = [
            m.role.value
            for m in s.scalars(select(ChatMessage).where(ChatMessage.interview_id == iid))
        ]
        assert roles.count("candidate") == 1 and "interviewer" in roles


def test_coding_question_runs_and_submits(
    open_app: Callable[..., AppTest], app_env: Database
) -> None:
    iid, key = _interview(app_env, coding=True)
    with app_env.read() as s:
        qid = s.scalars(
            select(InterviewQuestion.id)
            .where(InterviewQuestion.interview_id == iid)
            .order_by(InterviewQuestion.order)
        ).first()
    at = _click(open_app(key=key), "Start the interview")
    assert any(e.label.startswith("Problem: ") for e in at.expander), texts(at)
    at.session_state[f"code_{qid}"] = "def is_balanced(text):\n    return True\n"  # the editor
    at.run()
    at = _click(at, "Run examples")
    results = [*at.warning, *at.success]
    assert any("tests passed" in r.value for r in results), texts(at)
    assert not any(r.value.startswith("Accepted") for r in results)  # a wrong solution
    with app_env.read() as s:
        from core.db.models import CodeSubmission

        runs = list(s.scalars(select(CodeSubmission).where(CodeSubmission.interview_id == iid)))
    assert [r.kind.value for r in runs] == ["run"]


def test_refresh_resumes_with_the_draft(
    open_app: Callable[..., AppTest], app_env: Database
) -> None:
    _, key = _interview(app_env)
    first = _click(open_app(key=key), "Start the interview")
    first.text_area[0].input("Half-written answer")
    first.run()
    again = open_app(key=key)  # a refresh is a new session with the same link
    assert "Question 1 of 3" in texts(again)
    assert again.text_area[0].value == "Half-written answer"
    first.run()  # the old tab is told, nothing is lost
    assert "continues in another tab" in texts(first)


def test_voice_answers_are_offered_only_when_audio_is_on(
    open_app: Callable[..., AppTest], app_env: Database
) -> None:
    iid, key = _interview(app_env)
    with app_env.write() as s:
        s.get(Interview, iid).enable_audio = True
    welcome = open_app(key=key)
    assert welcome.checkbox  # recording the microphone needs consent
    welcome.checkbox[0].check().run()
    assert [a.label for a in welcome.get("audio_input")] == ["Test your microphone (not stored)"]
    room = _click(welcome, "Start the interview")
    # No speech model in this test's models dir: the answer is kept, and nothing offers a
    # spoken chat message that could not be read.
    assert [a.label for a in room.get("audio_input")] == [
        "Or answer by voice (kept for the reviewers)"
    ]
    _, silent_key = _interview(app_env)
    silent = _click(open_app(key=silent_key), "Start the interview")
    assert not silent.get("audio_input")
