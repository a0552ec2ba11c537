"""Finishing an interview: status, overall evaluation with the proctoring summary, template
statistics. Called when the candidate ends it, when time is up, or after the last question."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from core.clock import FixedClock
from core.db.engine import Database
from core.db.models import Evaluation
from core.interview import flow
from core.interviewer.ai.types import Evaluator
from core.interviewer.evaluation import EvaluationError, complete_interview_evaluation
from core.proctor.event_log import summary_by_kind

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Completion:
    interview_id: int
    completed_now: bool
    evaluated: bool
    problem: str  # empty, or why the evaluation could not be built yet


def finish_interview(
    db: Database, evaluator: Evaluator, interview_id: int, *, now: datetime, reason: str
) -> Completion:
    """Complete (idempotent), evaluate, attach the proctoring summary, update the template."""
    completed_now = flow.complete(db, interview_id, now=now, reason=reason)
    try:
        complete_interview_evaluation(db, interview_id, evaluator, clock=FixedClock(now))
    except EvaluationError as exc:  # e.g. no answers at all: nothing to score
        logger.info("interview %s not evaluated: %s", interview_id, exc)
        return Completion(interview_id, completed_now, False, str(exc))
    summary = {
        s.kind.value: {
            "count": s.count,
            "seconds": round(s.total_seconds, 1),
            "severity": s.max_severity.value,
            "peak_confidence": s.peak_confidence,
        }
        for s in summary_by_kind(db, interview_id)
    }
    with db.write() as session:
        evaluation = session.scalars(
            select(Evaluation).where(Evaluation.interview_id == interview_id)
        ).first()
        if evaluation is not None:
            evaluation.proctoring_summary = summary
    if completed_now:
        flow.record_completion_score(db, interview_id)
    return Completion(interview_id, completed_now, True, "")
