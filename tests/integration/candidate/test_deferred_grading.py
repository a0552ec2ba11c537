"""An LLM's grade never keeps the candidate's page waiting: the answer gets the offline
engine's score at once (``offline-provisional``) and the model's grade replaces it from the
worker thread — also after the interview is completed (its evaluation is rebuilt), and after a
restart (provisional grades are queued again). A scripted OpenAI-compatible server on loopback
plays a slow model."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from core.db.engine import Database
from core.db.models import Evaluation, InterviewResponse
from core.interview import flow, room
from core.interview.grading import PROVISIONAL, DeferredGrading, ProvisionalEvaluator
from core.interviewer.ai.conversation import Interviewer
from core.interviewer.ai.factory import build_offline_evaluator
from core.interviewer.ai.llm import LLMEvaluator
from core.interviewer.evaluation import evaluate_response
from core.staff.permissions import CandidatePrincipal
from tests.support.evaluation import GOOD_GRADE, make_client
from tests.support.factories import make_interview
from tests.support.fake_openai_server import Reply, Stall, fake_openai

T0 = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)


def _response(db: Database, iid: int) -> InterviewResponse:
    with db.read() as s:
        return s.scalars(
            select(InterviewResponse).where(InterviewResponse.interview_id == iid)
        ).one()


def _submit(db: Database, grading: DeferredGrading, evaluator, iid: int, token: str) -> float:  # type: ignore[no-untyped-def]
    q = flow.load(db, iid).questions[0]
    start = time.perf_counter()
    room.submit_answer(
        db,
        evaluator,
        Interviewer(),
        CandidatePrincipal(iid),
        iid,
        q.id,
        text="Point 1 is covered here with a short explanation.",
        code="",
        token=token,
        now=T0 + timedelta(minutes=1),
        grading=grading,
    )
    return time.perf_counter() - start


def test_the_page_gets_the_offline_score_at_once_and_the_grade_follows(
    any_db: Database, settings
) -> None:  # type: ignore[no-untyped-def]
    iid = make_interview(any_db, scheduled_at=T0)
    token = flow.new_session_token()
    flow.start(any_db, iid, token=token, now=T0)
    with fake_openai([Stall(2.0, then=Reply(GOOD_GRADE))]) as server:
        evaluator = LLMEvaluator(
            make_client(server.base_url), build_offline_evaluator(settings, lexical_only=True)
        )
        grading = DeferredGrading(any_db, evaluator)
        try:
            waited = _submit(any_db, grading, evaluator, iid, token)
            assert waited < 1.5  # not the model's 2 s
            first = _response(any_db, iid)
            assert first.is_evaluated and first.evaluator_kind == PROVISIONAL
            # The candidate finishes before the grade arrives: the evaluation exists at once …
            room.finish(
                any_db,
                evaluator.offline,
                CandidatePrincipal(iid),
                iid,
                now=T0 + timedelta(minutes=2),
                reason="ended_by_candidate",
            )
            assert grading.wait_idle(30)
        finally:
            grading.stop()
    graded = _response(any_db, iid)
    assert graded.evaluator_kind == "llm" and graded.score == pytest.approx(8.5)
    with any_db.read() as s:  # … and follows the model's grade once it is there
        evaluation = s.scalars(select(Evaluation).where(Evaluation.interview_id == iid)).one()
        assert evaluation.total_score == pytest.approx(8.5)


def test_provisional_grades_left_by_a_stopped_process_are_graded_at_start(
    any_db: Database, settings
) -> None:  # type: ignore[no-untyped-def]
    iid = make_interview(any_db, scheduled_at=T0)
    token = flow.new_session_token()
    flow.start(any_db, iid, token=token, now=T0)
    offline = build_offline_evaluator(settings, lexical_only=True)
    _submit(any_db, DeferredGrading(any_db, offline), offline, iid, token)
    # As a process that stopped before the model answered leaves it:
    evaluate_response(any_db, ProvisionalEvaluator(offline), _response(any_db, iid).id, force=True)
    assert _response(any_db, iid).evaluator_kind == PROVISIONAL
    with fake_openai([Reply(GOOD_GRADE)]) as server:
        evaluator = LLMEvaluator(
            make_client(server.base_url), build_offline_evaluator(settings, lexical_only=True)
        )
        restarted = DeferredGrading(any_db, evaluator)
        try:
            assert restarted.resume_pending() == 1
            assert restarted.wait_idle(30)
        finally:
            restarted.stop()
    assert _response(any_db, iid).evaluator_kind == "llm"


def test_without_an_llm_nothing_is_deferred(any_db: Database, settings) -> None:  # type: ignore[no-untyped-def]
    iid = make_interview(any_db, scheduled_at=T0)
    token = flow.new_session_token()
    flow.start(any_db, iid, token=token, now=T0)
    evaluator = build_offline_evaluator(settings, lexical_only=True)
    grading = DeferredGrading(any_db, evaluator)
    assert not grading.deferred
    _submit(any_db, grading, evaluator, iid, token)
    assert _response(any_db, iid).evaluator_kind == "offline-lexical"
