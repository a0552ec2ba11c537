"""Evaluation use cases: score answers, re-score, override, complete an interview, chat
follow-ups and clarifications, and generate an interview's questions.

Model calls (LLM or embeddings) never run inside a database transaction: each use case reads
in one short session, computes, then writes in another. Functions block the calling thread for
the evaluator's time (up to the LLM timeout): call them from a worker, not a UI callback loop.
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.clock import Clock, SystemClock
from core.db.models import (
    AuditLog,
    CodeSubmission,
    Evaluation,
    FollowUp,
    Interview,
    InterviewQuestion,
    InterviewResponse,
)
from core.db.uow import Tx, reading, writing
from core.domain import FollowUpStatus, ResponseStatus, SubmissionKind
from core.errors import IntervistaError
from core.interviewer.ai.feedback import QuestionOutcome, aggregate
from core.interviewer.ai.records import (
    InterviewEvaluationSummary,
    StoredEvaluation,
    StoredOverride,
    outcome_of,
    question_spec,
    stored_of,
    versions_of,
)
from core.interviewer.ai.stuffing import guard_against_stuffing
from core.interviewer.ai.types import AnswerInput, CodeTestResult, EvaluationResult, Evaluator
from core.interviewer.speech.spoken_answer import flag_for_listening, review_reason, scored_text

MAX_CHAT_CHARS = 2000


class EvaluationError(IntervistaError, ValueError):
    """A use case cannot run on this input; the message says why (safe to show staff)."""

    code = "evaluation_failed"


def _latest_code_result(session: Session, question_id: int) -> CodeTestResult | None:
    stmt = (
        select(CodeSubmission)
        .where(CodeSubmission.question_id == question_id)
        .where(CodeSubmission.kind == SubmissionKind.SUBMIT)
        .order_by(CodeSubmission.submitted_at.desc(), CodeSubmission.id.desc())
        .limit(1)
    )
    sub = session.scalars(stmt).first()
    if sub is None:
        return None
    # The runner stores the weighted share of passed tests (0-1); CodeTestResult wants 0-10.
    score = None if sub.score is None else round(10.0 * sub.score, 4)
    return CodeTestResult(passed=sub.tests_passed, total=sub.tests_total, score=score)


def evaluate_response(
    db: Tx,
    evaluator: Evaluator,
    response_id: int,
    *,
    code_result: CodeTestResult | None = None,
    force: bool = False,
    only_if_better: bool = False,
) -> StoredEvaluation:
    """Score a submitted response and store score, metrics, feedback and audit fields.

    The answers to the interviewer's follow-ups count with the first answer (one text).
    ``only_if_better``: after a follow-up answer, the new result replaces the stored one only
    if it scores at least as well (a follow-up can add what was missed, never take away).

    Already evaluated responses are returned as stored unless ``force`` (re-evaluation).
    A spoken answer is scored on its transcript (with any typed text); one not transcribed is
    flagged for a person to listen to (``core.interviewer.speech.spoken_answer``).
    ``code_result`` defaults to the latest Submit of the question's code, if any.
    """
    with reading(db) as session:
        response = session.get(InterviewResponse, response_id)
        if response is None:
            raise EvaluationError(f"response {response_id} does not exist")
        if response.status != ResponseStatus.SUBMITTED:
            raise EvaluationError(f"response {response_id} is {response.status}, not submitted")
        if response.is_evaluated and not force:
            return stored_of(response)
        question = session.get(InterviewQuestion, response.question_id)
        assert question is not None  # foreign key
        spec = question_spec(question)
        if code_result is None and (response.code_response or "").strip():
            code_result = _latest_code_result(session, question.id)
        text = scored_text(
            response.text_response,
            response.audio_path,
            response.transcript_status,
            response.transcript_text,
        )
        text = "\n\n".join([text, *answered_follow_ups(session, question.id)]).strip()
        listen = review_reason(
            response.audio_path, response.transcript_status, response.transcript_error
        )
        answer = AnswerInput(text, response.code_response, code_result)
    result = guard_against_stuffing(evaluator.evaluate(spec, answer), answer.text)
    result = flag_for_listening(result, listen)
    return _write_result(db, response_id, result, only_if_better=only_if_better)


def answered_follow_ups(session: Session, question_id: int) -> list[str]:
    """The candidate's answers to the follow-ups on a question, in the order asked."""
    return [
        t
        for t in session.scalars(
            select(FollowUp.answer_text)
            .where(FollowUp.question_id == question_id)
            .where(FollowUp.status == FollowUpStatus.ANSWERED)
            .order_by(FollowUp.round)
        )
        if t.strip()
    ]


def _write_result(
    db: Tx, response_id: int, result: EvaluationResult, *, only_if_better: bool = False
) -> StoredEvaluation:
    with writing(db) as session:
        response = session.get(InterviewResponse, response_id)
        if response is None:
            raise EvaluationError(f"response {response_id} was deleted during evaluation")
        if only_if_better and response.is_evaluated and (response.score or 0.0) > result.score:
            return stored_of(response)
        response.score = result.score
        response.evaluation_metrics = result.metrics_record()
        response.ai_feedback = result.feedback
        response.is_evaluated = True
        response.needs_review = result.needs_review
        response.evaluator_kind = result.engine
        response.evaluator_model = result.model[:200]
        response.prompt_version = result.prompt_version
        response.rubric_hash = result.rubric_hash
        session.flush()
        return stored_of(response)


def reevaluate_response(
    db: Tx, evaluator: Evaluator, response_id: int, code_result: CodeTestResult | None = None
) -> StoredEvaluation:
    """Score again (new engine, rubric or model); a human override stays untouched."""
    return evaluate_response(db, evaluator, response_id, code_result=code_result, force=True)


def reevaluate_fallbacks(db: Tx, evaluator: Evaluator) -> list[StoredEvaluation]:
    """Re-score every response that was scored by the offline fallback when the LLM failed."""
    with reading(db) as session:
        stmt = select(InterviewResponse.id).where(
            InterviewResponse.evaluator_kind == "offline-fallback"
        )
        ids = list(session.scalars(stmt))
    return [reevaluate_response(db, evaluator, rid) for rid in ids]


def override_score(
    db: Tx,
    response_id: int,
    score: float,
    reason: str,
    user_id: int | None,
    clock: Clock | None = None,
) -> StoredOverride:
    """Store a human score beside the AI's (never over it), with reason, author and time."""
    if not 0.0 <= score <= 10.0:
        raise EvaluationError("an override score must be between 0 and 10")
    if not reason.strip():
        raise EvaluationError("an override needs a reason")
    now = (clock or SystemClock()).now()
    with writing(db) as session:
        response = session.get(InterviewResponse, response_id)
        if response is None:
            raise EvaluationError(f"response {response_id} does not exist")
        response.override_score = round(score, 2)
        response.override_reason = reason.strip()
        response.override_by_id = user_id
        response.override_at = now
        session.add(
            AuditLog(
                actor_id=user_id,
                action="score_override",
                entity_type="interview_response",
                entity_id=response_id,
                details={"ai_score": response.score, "override_score": round(score, 2)},
                at=now,
            )
        )
        return StoredOverride(
            response_id, response.score, round(score, 2), reason.strip(), user_id, now
        )


def _outcomes(
    session: Session, interview_id: int
) -> tuple[list[QuestionOutcome], dict[str, object]]:
    questions = session.scalars(
        select(InterviewQuestion)
        .where(InterviewQuestion.interview_id == interview_id)
        .order_by(InterviewQuestion.order)
    )
    responses = {
        r.question_id: r
        for r in session.scalars(
            select(InterviewResponse).where(InterviewResponse.interview_id == interview_id)
        )
    }
    outcomes: list[QuestionOutcome] = []
    engines: Counter[str] = Counter()
    versions: dict[str, dict[str, str]] = {}
    for position, q in enumerate(questions, start=1):
        r = responses.get(q.id)
        outcomes.append(outcome_of(position, q, r))
        if r is not None and r.is_evaluated:
            engines[r.evaluator_kind] += 1
            versions[f"Q{position}"] = versions_of(r)
    return outcomes, {"engines": dict(engines), "questions": versions}


def complete_interview_evaluation(
    db: Tx, interview_id: int, evaluator: Evaluator | None = None, clock: Clock | None = None
) -> InterviewEvaluationSummary:
    """Build (or rebuild) the Evaluation row and the Interview totals from the responses.

    With an ``evaluator``, submitted responses not yet scored are scored first.
    """
    if evaluator is not None:
        with reading(db) as session:
            pending = list(
                session.scalars(
                    select(InterviewResponse.id)
                    .where(InterviewResponse.interview_id == interview_id)
                    .where(InterviewResponse.status == ResponseStatus.SUBMITTED)
                    .where(InterviewResponse.is_evaluated.is_(False))
                )
            )
        for response_id in pending:
            evaluate_response(db, evaluator, response_id)
    now = (clock or SystemClock()).now()
    with writing(db) as session:
        interview = session.get(Interview, interview_id)
        if interview is None:
            raise EvaluationError(f"interview {interview_id} does not exist")
        outcomes, versions = _outcomes(session, interview_id)
        if not outcomes:
            raise EvaluationError(f"interview {interview_id} has no questions to evaluate")
        fb = aggregate(outcomes)
        row = session.scalars(select(Evaluation).where(Evaluation.interview_id == interview_id))
        evaluation = row.first() or Evaluation(interview_id=interview_id, created_at=now)
        evaluation.overall_score = fb.overall_score
        evaluation.total_score = fb.total_score
        evaluation.max_score = fb.max_score
        evaluation.percentage = fb.percentage
        evaluation.overall_feedback = fb.overall_feedback
        evaluation.traits = dict(fb.traits)
        evaluation.strengths = list(fb.strengths)
        evaluation.weaknesses = list(fb.weaknesses)
        evaluation.recommendations = list(fb.recommendations)
        evaluation.details = {"questions": list(fb.details), "ai_total_score": fb.ai_total_score}
        evaluation.evaluator_versions = versions
        session.add(evaluation)
        interview.total_score = fb.total_score
        interview.max_score = fb.max_score
        interview.percentage = fb.percentage
        interview.overall_feedback = fb.overall_feedback
        interview.strengths = list(fb.strengths)
        interview.weaknesses = list(fb.weaknesses)
        interview.recommendations = list(fb.recommendations)
        interview.needs_review = fb.needs_review
        session.flush()
        return InterviewEvaluationSummary(
            interview_id=interview_id,
            evaluation_id=evaluation.id,
            overall_score=fb.overall_score,
            total_score=fb.total_score,
            ai_total_score=fb.ai_total_score,
            max_score=fb.max_score,
            percentage=fb.percentage,
            overall_feedback=fb.overall_feedback,
            strengths=fb.strengths,
            weaknesses=fb.weaknesses,
            recommendations=fb.recommendations,
            traits=dict(fb.traits),
            needs_review=fb.needs_review,
        )


__all__ = [
    "EvaluationError",
    "complete_interview_evaluation",
    "evaluate_response",
    "override_score",
    "reevaluate_fallbacks",
    "reevaluate_response",
]
