"""Finishing an interview: status, overall evaluation with the proctoring summary, template
statistics. Called when the candidate ends it, when time is up (browser or sweeper), or after
the last question.

Completion is one transaction (locked, so only one caller completes). The evaluation that
follows may be slow (an LLM), so it runs outside any transaction under a *lease*: the caller
that takes ``interviews.evaluation_claimed_until`` evaluates; others see it being done. Once an
``Evaluation`` row exists nobody evaluates again here, so each interview is evaluated once
(re-scoring is the reviewers' explicit action). A process that dies mid-evaluation leaves a
lease that expires; the sweeper then picks the interview up.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists, or_, select, update

from core.clock import FixedClock
from core.db.models import Evaluation, Interview
from core.db.uow import Tx, reading, unit_of, writing
from core.domain import InterviewStatus
from core.integrations.events import Event, emit
from core.interview import flow
from core.interviewer.ai.types import Evaluator
from core.interviewer.evaluation import EvaluationError, complete_interview_evaluation
from core.proctor.event_log import summary_by_kind

logger = logging.getLogger(__name__)

DEFAULT_LEASE = timedelta(minutes=10)


@dataclass(frozen=True)
class Completion:
    interview_id: int
    completed_now: bool
    evaluated: bool  # an evaluation exists now (made by this call or earlier)
    problem: str  # empty, or why the evaluation is not there yet
    evaluated_now: bool = False  # this call built it


def finish_interview(
    db: Tx,
    evaluator: Evaluator,
    interview_id: int,
    *,
    now: datetime,
    reason: str,
    lease: timedelta = DEFAULT_LEASE,
) -> Completion:
    """Complete (idempotent), then evaluate once: the proctoring summary and the template's
    statistics come with the evaluation."""
    completed_now = flow.complete(db, interview_id, now=now, reason=reason)
    return evaluate_completed(
        db, evaluator, interview_id, now=now, lease=lease, completed_now=completed_now
    )


def evaluate_completed(
    db: Tx,
    evaluator: Evaluator,
    interview_id: int,
    *,
    now: datetime,
    lease: timedelta = DEFAULT_LEASE,
    completed_now: bool = False,
) -> Completion:
    """Evaluate a completed interview unless it has been (or is being) evaluated."""
    if _has_evaluation(db, interview_id):
        return Completion(interview_id, completed_now, True, "")
    if not _claim(db, interview_id, now, lease):
        return Completion(interview_id, completed_now, False, "The evaluation is being prepared.")
    try:
        complete_interview_evaluation(db, interview_id, evaluator, clock=FixedClock(now))
    except EvaluationError as exc:  # e.g. no questions at all: nothing to score
        logger.info("interview %s not evaluated: %s", interview_id, exc)
        return Completion(interview_id, completed_now, False, str(exc))
    except Exception:
        _release(db, interview_id)  # let the next caller (or the sweeper) try again at once
        raise
    with unit_of(db) as uow:  # the summary, the lease and the template's figures: one commit
        summary = {
            s.kind.value: {
                "count": s.count,
                "seconds": round(s.total_seconds, 1),
                "severity": s.max_severity.value,
                "peak_confidence": s.peak_confidence,
            }
            for s in summary_by_kind(uow, interview_id)
        }
        session = uow.session
        evaluation = session.scalars(
            select(Evaluation).where(Evaluation.interview_id == interview_id)
        ).first()
        if evaluation is not None:
            evaluation.proctoring_summary = summary
        interview = session.get(Interview, interview_id)
        if interview is not None:
            interview.evaluation_claimed_until = None
        flow.record_completion_score(uow, interview_id)
        emit(session, Event.EVALUATION_READY, interview_id=interview_id, now=now)
    return Completion(interview_id, completed_now, True, "", evaluated_now=True)


def _has_evaluation(db: Tx, interview_id: int) -> bool:
    with reading(db) as session:
        found = session.scalar(select(exists().where(Evaluation.interview_id == interview_id)))
        return bool(found)


def _claim(db: Tx, interview_id: int, now: datetime, lease: timedelta) -> bool:
    """Take the evaluation lease: one conditional UPDATE, so two processes cannot both win."""
    with writing(db) as session:
        taken = session.execute(
            update(Interview)
            .where(Interview.id == interview_id)
            .where(Interview.status == InterviewStatus.COMPLETED)
            .where(
                or_(
                    Interview.evaluation_claimed_until.is_(None),
                    Interview.evaluation_claimed_until < now,
                )
            )
            .where(~exists().where(Evaluation.interview_id == interview_id))
            .values(evaluation_claimed_until=now + lease)
            .execution_options(synchronize_session=False)
        )
        return bool(taken.rowcount == 1)  # type: ignore[attr-defined]


def _release(db: Tx, interview_id: int) -> None:
    with writing(db) as session:
        session.execute(
            update(Interview)
            .where(Interview.id == interview_id)
            .values(evaluation_claimed_until=None)
            .execution_options(synchronize_session=False)
        )
