"""The main evaluation flow on both SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.db.engine import Database
from core.db.models import ChatMessage, Evaluation
from core.interviewer import conversation
from core.interviewer import evaluation as svc
from core.interviewer.ai.conversation import Interviewer
from core.interviewer.ai.offline import OfflineEvaluator
from core.interviewer.ai.questions import QuestionGenerator
from tests.support.factories import add_response
from tests.support.factories import make_eval_candidate as make_candidate
from tests.support.factories import make_eval_interview as make_interview


@pytest.mark.postgres
def test_generate_answer_evaluate_override_complete(
    any_db: Database, lexical_evaluator: OfflineEvaluator
) -> None:
    candidate = make_candidate(any_db)
    interview = make_interview(any_db, candidate, total_questions=2)
    questions = conversation.generate_interview_questions(any_db, QuestionGenerator(), interview)
    first, second = questions
    r1 = add_response(any_db, interview, first.id, "A clear and relevant answer about it.")
    add_response(any_db, interview, second.id, "")
    stored = svc.evaluate_response(any_db, lexical_evaluator, r1)
    svc.override_score(any_db, r1, 6.0, "discussed live", None)
    conversation.answer_clarification(
        any_db, Interviewer(), first.id, "Which version should I assume?"
    )
    summary = svc.complete_interview_evaluation(any_db, interview, lexical_evaluator)
    assert summary.total_score == 6.0 + 0.0  # the empty second answer scores 0
    assert summary.ai_total_score == pytest.approx(stored.score)
    with any_db.read() as session:
        evaluation = session.scalars(select(Evaluation)).one()
        assert evaluation.details["ai_total_score"] == pytest.approx(stored.score)
        assert len(list(session.scalars(select(ChatMessage)))) == 2
