"""Follow-ups before moving on, offline, on a real database (SQLite and PostgreSQL): the
interviewer asks about what the answer missed, the next question waits until the candidate
answers (or moves on), the reply is stored and scored with its question, and no more than the
template's number of follow-ups is asked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from core.db.engine import Database
from core.db.models import ChatMessage, FollowUp, InterviewResponse, InterviewTemplate
from core.domain import ChatRole, FollowUpStatus
from core.interview import flow, room
from core.interview.view import FlowError
from core.interviewer.ai.conversation import Interviewer
from core.interviewer.ai.factory import build_offline_evaluator
from core.staff.permissions import CandidatePrincipal
from tests.support.factories import make_interview

T0 = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
QUESTION = {
    "question_text": "How does a HashMap work in Java?",
    "question_type": "technical",
    "difficulty": "medium",
    "expected_answer": "Keys are hashed with hashCode to pick a bucket; collisions chain in "
    "a list or tree; equals finds the key; the table resizes past the load factor.",
    "evaluation_criteria": [
        "hashCode selects a bucket",
        "collisions chain in a list or tree",
        "resizes past the load factor",
    ],
    "follow_ups": ["What happens when many keys collide in one bucket?"],
    "notes": "Assume Java 8 or later.",
}
FIRST = "A HashMap uses hashCode to select a bucket for each key."


def _running(db: Database, follow_ups: int) -> tuple[int, str]:
    iid = make_interview(db, scheduled_at=T0)
    with db.write() as s:
        from core.db.models import Interview

        interview = s.get(Interview, iid)
        assert interview is not None
        template = s.get(InterviewTemplate, interview.template_id)
        assert template is not None
        template.max_follow_ups = follow_ups
        from core.db.models import InterviewQuestion

        q = s.scalars(
            select(InterviewQuestion).where(
                InterviewQuestion.interview_id == iid, InterviewQuestion.order == 1
            )
        ).one()
        q.question_text = QUESTION["question_text"]  # type: ignore[assignment]
        q.expected_answer = QUESTION["expected_answer"]  # type: ignore[assignment]
        q.evaluation_criteria = list(QUESTION["evaluation_criteria"])
        q.follow_ups = list(QUESTION["follow_ups"])
        q.notes = QUESTION["notes"]  # type: ignore[assignment]
    token = flow.new_session_token()
    flow.start(db, iid, token=token, now=T0)
    return iid, token


@pytest.fixture
def evaluator(settings):  # type: ignore[no-untyped-def]
    return build_offline_evaluator(settings, lexical_only=True)


def _submit(db: Database, evaluator, iid: int, token: str, text: str) -> room.SubmittedAnswer:  # type: ignore[no-untyped-def]
    q = flow.load(db, iid).questions[0]
    return room.submit_answer(
        db,
        evaluator,
        Interviewer(),
        CandidatePrincipal(iid),
        iid,
        q.id,
        text=text,
        code="",
        token=token,
        now=T0 + timedelta(minutes=2),
    )


def _score(db: Database, iid: int) -> float:
    with db.read() as s:
        q_id = flow.load(db, iid).questions[0].id
        r = s.scalars(select(InterviewResponse).where(InterviewResponse.question_id == q_id)).one()
        assert r.score is not None
        return r.score


def test_a_follow_up_on_a_missed_point_comes_before_the_next_question(
    any_db: Database, evaluator
) -> None:  # type: ignore[no-untyped-def]
    db = any_db
    iid, token = _running(db, follow_ups=2)
    submitted = _submit(db, evaluator, iid, token, FIRST)
    assert submitted.follow_up == "What happens when many keys collide in one bucket?"
    view = flow.load(db, iid)
    assert view.follow_up is not None and view.follow_up.question_order == 1
    assert view.current_order == 2  # the pointer moved; the page shows the follow-up first
    first_score = _score(db, iid)

    # The reply is drafted (a reload shows it), then submitted and scored with the question.
    reply = "Collisions chain in a linked list, turned into a tree when a bucket grows."
    room.save_follow_up_draft(
        db,
        CandidatePrincipal(iid),
        iid,
        view.follow_up.id,
        text=reply,
        token=token,
        now=T0 + timedelta(minutes=3),
    )
    assert flow.load(db, iid).follow_up.draft_text == reply  # type: ignore[union-attr]
    second = room.answer_follow_up(
        db,
        evaluator,
        Interviewer(),
        CandidatePrincipal(iid),
        iid,
        view.follow_up.id,
        text=reply,
        token=token,
        now=T0 + timedelta(minutes=4),
    )
    assert _score(db, iid) > first_score  # the missed point now counts
    # Still missing the load factor, and a second follow-up is allowed: aimed at it.
    assert second is not None and "load factor" in second
    with db.read() as s:
        rows = list(s.scalars(select(FollowUp).order_by(FollowUp.round)))
        assert [r.status for r in rows] == [FollowUpStatus.ANSWERED, FollowUpStatus.OPEN]
        assert rows[0].score == pytest.approx(_score(db, iid))
        assert rows[0].answer_text == reply
        assert rows[1].aimed_at == ["resizes past the load factor"]
        chat = [
            (m.role, m.content) for m in s.scalars(select(ChatMessage).order_by(ChatMessage.id))
        ]
    assert chat[:2] == [
        (ChatRole.INTERVIEWER, "What happens when many keys collide in one bucket?"),
        (ChatRole.CANDIDATE, reply),
    ]
    # Moving on without answering takes nothing away; the limit (2) is reached.
    before = _score(db, iid)
    room.skip_follow_up(
        db,
        CandidatePrincipal(iid),
        iid,
        rows[1].id,
        token=token,
        now=T0 + timedelta(minutes=5),
    )
    view = flow.load(db, iid)
    assert view.follow_up is None and view.current is not None and view.current.order == 2
    assert _score(db, iid) == before


def test_no_more_follow_ups_than_the_template_allows(any_db: Database, evaluator) -> None:  # type: ignore[no-untyped-def]
    db = any_db
    iid, token = _running(db, follow_ups=1)
    submitted = _submit(db, evaluator, iid, token, FIRST)
    assert submitted.follow_up is not None
    follow_up = flow.load(db, iid).follow_up
    assert follow_up is not None
    nxt = room.answer_follow_up(
        db,
        evaluator,
        Interviewer(),
        CandidatePrincipal(iid),
        iid,
        follow_up.id,
        text="It keeps a list per bucket.",
        token=token,
        now=T0 + timedelta(minutes=3),
    )
    assert nxt is None and flow.load(db, iid).follow_up is None
    # A second press of the same Submit changes nothing.
    again = room.answer_follow_up(
        db,
        evaluator,
        Interviewer(),
        CandidatePrincipal(iid),
        iid,
        follow_up.id,
        text="Something else entirely.",
        token=token,
        now=T0 + timedelta(minutes=3),
    )
    assert again is None
    with db.read() as s:
        assert s.scalars(select(FollowUp.answer_text)).all() == ["It keeps a list per bucket."]


def test_none_when_the_template_turns_them_off(any_db: Database, evaluator) -> None:  # type: ignore[no-untyped-def]
    iid, token = _running(any_db, follow_ups=0)
    assert _submit(any_db, evaluator, iid, token, FIRST).follow_up is None
    assert flow.load(any_db, iid).follow_up is None


def test_a_reply_typed_when_the_interview_ends_counts(any_db: Database, evaluator) -> None:  # type: ignore[no-untyped-def]
    db = any_db
    iid, token = _running(db, follow_ups=1)
    _submit(db, evaluator, iid, token, FIRST)
    follow_up = flow.load(db, iid).follow_up
    assert follow_up is not None
    before = _score(db, iid)
    room.save_follow_up_draft(
        db,
        CandidatePrincipal(iid),
        iid,
        follow_up.id,
        text="Collisions chain in a list or a tree; it resizes past the load factor.",
        token=token,
        now=T0 + timedelta(minutes=3),
    )
    room.finish(
        db,
        evaluator,
        CandidatePrincipal(iid),
        iid,
        now=T0 + timedelta(minutes=4),
        reason="ended_by_candidate",
    )
    with db.read() as s:
        row = s.scalars(select(FollowUp)).one()
        assert row.status is FollowUpStatus.ANSWERED
    assert _score(db, iid) > before


def test_another_interview_cannot_answer_it(any_db: Database, evaluator) -> None:  # type: ignore[no-untyped-def]
    db = any_db
    iid, token = _running(db, follow_ups=1)
    _submit(db, evaluator, iid, token, FIRST)
    follow_up = flow.load(db, iid).follow_up
    assert follow_up is not None
    other, other_token = _running(db, follow_ups=1)
    with pytest.raises(FlowError, match="not part of this interview"):
        room.answer_follow_up(
            db,
            evaluator,
            Interviewer(),
            CandidatePrincipal(other),
            other,
            follow_up.id,
            text="forged",
            token=other_token,
            now=T0 + timedelta(minutes=3),
        )
    with pytest.raises(FlowError, match="another tab"):
        room.skip_follow_up(db, CandidatePrincipal(iid), iid, follow_up.id, token="stale", now=T0)
