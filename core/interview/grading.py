"""Grading that never keeps a page waiting for a model.

With an LLM evaluator, an answer is scored at once by the offline engine (milliseconds) and
stored as ``offline-provisional``; the model's grade runs on one worker thread and replaces it
when it arrives (a human override is kept apart, untouched). If the interview is already
evaluated by then, its evaluation is rebuilt from the responses. Provisional grades left by a
stopped process are queued again at start (``resume_pending``). Without an LLM the evaluator
is fast and runs on the caller's thread as before.
"""

from __future__ import annotations

import dataclasses
import logging

from sqlalchemy import exists, select

from core.db.models import Evaluation, InterviewResponse
from core.db.uow import Tx, reading
from core.interviewer.ai.llm import LLMEvaluator
from core.interviewer.ai.records import StoredEvaluation
from core.interviewer.ai.types import AnswerInput, EvaluationResult, Evaluator, QuestionSpec
from core.interviewer.evaluation import complete_interview_evaluation, evaluate_response
from core.interviewer.speech.worker import BoundedWorker

logger = logging.getLogger(__name__)

PROVISIONAL = "offline-provisional"


class ProvisionalEvaluator:
    """The offline engine's result, marked as waiting for the model's grade."""

    name = PROVISIONAL

    def __init__(self, offline: Evaluator) -> None:
        self._offline = offline

    def evaluate(self, question: QuestionSpec, answer: AnswerInput) -> EvaluationResult:
        result = self._offline.evaluate(question, answer)
        return dataclasses.replace(result, engine=PROVISIONAL)


class DeferredGrading:
    """Any thread may call ``grade``; the model's grades run on the worker's one thread."""

    def __init__(self, db: Tx, evaluator: Evaluator, capacity: int = 256) -> None:
        self._db, self._evaluator = db, evaluator
        self._deferred = isinstance(evaluator, LLMEvaluator)
        self._provisional = (
            ProvisionalEvaluator(evaluator.offline) if isinstance(evaluator, LLMEvaluator) else None
        )
        self._worker = BoundedWorker(capacity, name="llm-grading") if self._deferred else None

    @property
    def deferred(self) -> bool:
        return self._deferred

    def grade(self, response_id: int, *, again: bool = False) -> StoredEvaluation:
        """Score now (offline when deferred) and queue the model's grade. ``again``: a
        follow-up answer was added (the better score stands)."""
        if self._provisional is None or self._worker is None:
            return evaluate_response(
                self._db, self._evaluator, response_id, force=again, only_if_better=again
            )
        stored = evaluate_response(
            self._db, self._provisional, response_id, force=again, only_if_better=again
        )
        self._queue(response_id)
        return stored

    def _queue(self, response_id: int) -> None:
        assert self._worker is not None
        if self._worker.submit(("grade", response_id), lambda: self._final(response_id)) is None:
            logger.warning(
                "LLM grading queue full: response %s keeps its offline score for now "
                "(queued again at the next start)",
                response_id,
            )

    def _final(self, response_id: int) -> None:
        """Runs on the worker thread: the model's grade replaces the provisional one."""
        with reading(self._db) as session:
            r = session.get(InterviewResponse, response_id)
            if r is None or r.evaluator_kind != PROVISIONAL:
                return  # deleted, or re-scored meanwhile by someone else
            interview_id = r.interview_id
        evaluate_response(self._db, self._evaluator, response_id, force=True)
        with reading(self._db) as session:
            evaluated = session.scalar(
                select(exists().where(Evaluation.interview_id == interview_id))
            )
        if evaluated:  # completed with the provisional score: the totals follow the grade
            complete_interview_evaluation(self._db, interview_id)

    def pending(self, response_id: int) -> bool:
        return self._worker is not None and self._worker.pending(("grade", response_id))

    def resume_pending(self) -> int:
        """Queue again the grades a stopped process left provisional; returns how many."""
        if self._worker is None:
            return 0
        with reading(self._db) as session:
            ids = list(
                session.scalars(
                    select(InterviewResponse.id).where(
                        InterviewResponse.evaluator_kind == PROVISIONAL
                    )
                )
            )
        for response_id in ids:
            self._queue(response_id)
        return len(ids)

    def wait_idle(self, seconds: float) -> bool:
        """Tests and orderly shutdown: wait until nothing is queued (True) or time runs out."""
        import time

        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self._worker is None or not self._worker.busy:
                return True
            time.sleep(0.05)
        return False

    def stop(self) -> None:
        if self._worker is not None:
            self._worker.stop()
