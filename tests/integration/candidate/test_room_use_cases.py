"""The room's use cases on a real database: what one click does, for the page and the API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from core.db.engine import Database
from core.db.models import ChatMessage, InterviewResponse
from core.domain import ChatRole, InterviewStatus, ResponseStatus
from core.errors import IntervistaError, PermissionDenied
from core.interview import flow, room
from core.interview.view import FlowError
from core.interviewer.ai.conversation import Interviewer
from core.interviewer.ai.factory import build_offline_evaluator
from core.staff.permissions import CandidatePrincipal
from tests.support.factories import make_interview

T0 = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)


class BrokenEvaluator:
    name = "broken"

    def evaluate(self, question, answer):  # type: ignore[no-untyped-def]
        raise RuntimeError("endpoint down")


class BrokenInterviewer(Interviewer):
    def clarify(self, question, text):  # type: ignore[no-untyped-def]
        raise RuntimeError("endpoint down")


@pytest.fixture
def running(any_db: Database) -> tuple[Database, int, str]:
    iid = make_interview(any_db, scheduled_at=T0)
    token = flow.new_session_token()
    flow.start(any_db, iid, token=token, now=T0)
    return any_db, iid, token


def test_submit_scores_and_a_second_submit_keeps_the_first(running, settings) -> None:
    db, iid, token = running
    q = flow.load(db, iid).questions[0]
    evaluator = build_offline_evaluator(settings, lexical_only=True)
    me = CandidatePrincipal(iid)
    first = room.submit_answer(
        db,
        evaluator,
        Interviewer(),
        me,
        iid,
        q.id,
        text="An index.",
        code="",
        token=token,
        now=T0 + timedelta(minutes=1),
    )
    again = room.submit_answer(
        db,
        evaluator,
        Interviewer(),
        me,
        iid,
        q.id,
        text="Other",
        code="",
        token=token,
        now=T0 + timedelta(minutes=2),
    )
    assert first.first and first.evaluated
    assert not again.first and again.response_id == first.response_id
    with db.read() as s:
        r = s.get(InterviewResponse, first.response_id)
        assert r is not None and r.text_response == "An index." and r.is_evaluated


def test_another_interviews_link_is_refused(running, settings) -> None:
    db, iid, token = running
    q = flow.load(db, iid).questions[0]
    stranger = CandidatePrincipal(iid + 1000)
    with pytest.raises(PermissionDenied) as refused:
        room.submit_answer(
            db,
            build_offline_evaluator(settings, lexical_only=True),
            Interviewer(),
            stranger,
            iid,
            q.id,
            text="x",
            code="",
            token=token,
            now=T0,
        )
    assert refused.value.code == "permission_denied" and isinstance(refused.value, IntervistaError)
    with pytest.raises(PermissionDenied):
        room.ask_interviewer(db, Interviewer(), stranger, iid, q.id, "Hi?", token=token, now=T0)


def test_a_failing_evaluator_keeps_the_answer(running) -> None:
    db, iid, token = running
    q = flow.load(db, iid).questions[0]
    done = room.submit_answer(
        db,
        BrokenEvaluator(),
        Interviewer(),
        CandidatePrincipal(iid),
        iid,
        q.id,
        text="kept",
        code="",
        token=token,
        now=T0,
    )
    assert done.first and not done.evaluated
    with db.read() as s:
        r = s.get(InterviewResponse, done.response_id)
        assert r is not None and r.status is ResponseStatus.SUBMITTED and not r.is_evaluated


def test_asking_the_interviewer(running) -> None:
    db, iid, token = running
    q = flow.load(db, iid).questions[0]
    me = CandidatePrincipal(iid)
    reply = room.ask_interviewer(
        db, Interviewer(), me, iid, q.id, " Which DB? ", token=token, now=T0
    )
    assert reply.answered and reply.question == "Which DB?" and reply.reply
    broken = room.ask_interviewer(
        db, BrokenInterviewer(), me, iid, q.id, "Still there?", token=token, now=T0
    )
    assert not broken.answered and "could not answer" in broken.reply
    with db.read() as s:
        asked = s.scalars(
            select(ChatMessage.content).where(
                ChatMessage.interview_id == iid, ChatMessage.role == ChatRole.CANDIDATE
            )
        ).all()
    assert asked == ["Which DB?", "Still there?"]  # the unanswered question is kept
    with pytest.raises(FlowError, match="could not be sent"):
        room.ask_interviewer(db, Interviewer(), me, iid, q.id, "   ", token=token, now=T0)
    with pytest.raises(FlowError, match="another tab"):
        room.ask_interviewer(db, Interviewer(), me, iid, q.id, "Hi", token="other", now=T0)


def test_finish_completes_and_evaluates(running, settings) -> None:
    db, iid, _ = running
    done = room.finish(
        db,
        build_offline_evaluator(settings, lexical_only=True),
        CandidatePrincipal(iid),
        iid,
        now=T0 + timedelta(minutes=5),
        reason="ended_by_candidate",
    )
    assert done.completed_now and done.evaluated and done.evaluated_now
    assert flow.load(db, iid).status is InterviewStatus.COMPLETED
