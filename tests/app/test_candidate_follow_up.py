"""The interviewer's follow-up in the candidate's room (AppTest through the real router): it
comes before the next question, survives a reload with what was typed, and its answer is stored
and scored with the question."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from core.db.engine import Database
from core.db.models import FollowUp, Interview, InterviewQuestion, InterviewTemplate
from core.domain import FollowUpStatus
from tests.support.apptest import texts
from tests.support.factories import issue_key, make_interview


def _interview(db: Database) -> tuple[int, str]:
    iid = make_interview(db, scheduled_at=datetime.now(UTC) + timedelta(seconds=5))
    with db.write() as s:
        interview = s.get(Interview, iid)
        assert interview is not None
        interview.enable_video = False  # no camera consent needed here
        template = s.get(InterviewTemplate, interview.template_id)
        assert template is not None
        template.max_follow_ups = 1
        q = s.scalars(
            select(InterviewQuestion).where(
                InterviewQuestion.interview_id == iid, InterviewQuestion.order == 1
            )
        ).one()
        q.question_text = "How does a HashMap work in Java?"
        q.expected_answer = "hashCode picks a bucket; collisions chain; it resizes."
        q.evaluation_criteria = ["hashCode selects a bucket", "collisions chain in a list"]
        q.follow_ups = ["What happens when many keys collide?"]
    return iid, issue_key(db, iid)


def _click(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click()
    return at.run()


def test_the_follow_up_comes_before_the_next_question(
    open_app: Callable[..., AppTest], app_env: Database
) -> None:
    iid, key = _interview(app_env)
    at = _click(open_app(key=key), "Start the interview")
    at.text_area[0].input("hashCode selects a bucket for the key.")
    at = _click(at, "Submit answer")
    content = texts(at)
    assert "Question 1 of 3: a follow-up" in content
    assert "What happens when many keys collide?" in content
    assert "Question 2 of 3" not in content

    # A reload (a new session) shows the follow-up again with what was typed.
    box = next(t for t in at.text_area if t.label == "Your answer to the follow-up")
    box.input("They chain in a linked list")
    at.run()
    at = open_app(key=key)
    at = (
        _click(at, "Start the interview")
        if "Start the interview" in [b.label for b in at.button]
        else at
    )
    box = next(t for t in at.text_area if t.label == "Your answer to the follow-up")
    assert box.value == "They chain in a linked list"

    at = _click(at, "Submit follow-up answer")
    assert "Question 2 of 3" in texts(at)
    with app_env.read() as s:
        row = s.scalars(select(FollowUp).where(FollowUp.interview_id == iid)).one()
        assert row.status is FollowUpStatus.ANSWERED and row.score is not None
        assert row.answer_text == "They chain in a linked list"


def test_moving_on_without_answering(open_app: Callable[..., AppTest], app_env: Database) -> None:
    iid, key = _interview(app_env)
    at = _click(open_app(key=key), "Start the interview")
    at.text_area[0].input("hashCode selects a bucket for the key.")
    at = _click(at, "Submit answer")
    at = _click(at, "Submit follow-up answer")  # nothing typed: says what to do
    assert "Type an answer first, or move on without answering." in texts(at)
    at = _click(at, "Move on without answering")
    assert "Question 2 of 3" in texts(at)
    with app_env.read() as s:
        row = s.scalars(select(FollowUp).where(FollowUp.interview_id == iid)).one()
        assert row.status is FollowUpStatus.PASSED


def test_the_evaluation_says_when_grades_are_still_coming(
    open_app: Callable[..., AppTest], app_env: Database
) -> None:
    from core.db.models import InterviewResponse
    from core.interview.grading import PROVISIONAL

    iid, key = _interview(app_env)
    with app_env.write() as s:  # no follow-ups here: straight to the end
        interview = s.get(Interview, iid)
        assert interview is not None
        template = s.get(InterviewTemplate, interview.template_id)
        assert template is not None
        template.max_follow_ups = 0
    at = _click(open_app(key=key), "Start the interview")
    for _ in range(3):
        at.text_area[0].input("An answer about point 1, point 2 and point 3.")
        at = _click(at, "Submit answer")
    with app_env.write() as s:  # as when an LLM's grades have not arrived yet
        for r in s.scalars(select(InterviewResponse).where(InterviewResponse.interview_id == iid)):
            r.evaluator_kind = PROVISIONAL
    at = _click(at, "Finish the interview")
    assert "Interview complete. Thank you!" in texts(at)
    assert "Some answers are still being graded by the AI model" in texts(at)
