"""Time is kept without a browser: the sweeper finishes interviews whose time is up and
evaluates interviews a crashed process left unevaluated.

Any number of sweepers may run on one database (two app processes, a worker): completion is a
locked transaction that only one caller wins, and evaluation takes a lease (see
``core.interview.completion``), so each interview is completed once and evaluated once.

``run_once`` is plain code with an injected clock (tests call it directly); ``start_sweeper``
runs it on a daemon thread every ``sweeper_interval_seconds``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import exists, or_, select

from core.clock import Clock, SystemClock
from core.db.engine import Database
from core.db.models import Evaluation, Interview, InterviewQuestion
from core.db.uow import reading
from core.domain import InterviewStatus
from core.interview import flow
from core.interview.completion import evaluate_completed
from core.interview.view import deadline_of
from core.interviewer.ai.types import Evaluator

if TYPE_CHECKING:
    from core.app import Application

logger = logging.getLogger(__name__)

BATCH = 50  # interviews per pass; the next pass takes the rest


@dataclass(frozen=True)
class SweepReport:
    completed: tuple[int, ...]  # interviews this pass completed (time up)
    evaluated: tuple[int, ...]  # interviews this pass evaluated


class InterviewSweeper:
    """One pass at a time per instance; instances in other threads or processes may race."""

    def __init__(
        self,
        db: Database,
        evaluator: Callable[[], Evaluator],
        *,
        grace: timedelta = timedelta(seconds=60),
        lease: timedelta = timedelta(minutes=10),
        clock: Clock | None = None,
    ) -> None:
        self.db = db
        self._evaluator = evaluator  # built on first need: loading a model is slow
        self.grace = grace
        self.lease = lease
        self.clock: Clock = clock or SystemClock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_once(self) -> SweepReport:
        """Finish what is overdue, then evaluate what was left unevaluated. Never raises for
        one interview's failure: it is logged and the next pass tries again."""
        now = self.clock.now()
        completed: list[int] = []
        evaluated: list[int] = []
        tried: set[int] = set()
        for interview_id in self._overdue(now):
            try:
                if flow.complete(self.db, interview_id, now=now, reason="time_up"):
                    completed.append(interview_id)
            except Exception:
                logger.exception("sweeper could not complete interview %s", interview_id)
                continue
        for interview_id in [*completed, *self._unevaluated(now)]:
            if interview_id in tried:
                continue
            tried.add(interview_id)
            try:
                result = evaluate_completed(
                    self.db, self._evaluator(), interview_id, now=now, lease=self.lease
                )
            except Exception:  # the evaluator is down: the lease is released, next pass
                logger.exception("sweeper could not evaluate interview %s", interview_id)
                continue
            if result.evaluated_now:
                evaluated.append(interview_id)
        if completed or evaluated:
            logger.info("sweeper: completed %s, evaluated %s", completed, evaluated)
        return SweepReport(tuple(completed), tuple(evaluated))

    def _overdue(self, now: datetime) -> list[int]:
        with reading(self.db) as session:
            running = session.scalars(
                select(Interview)
                .where(Interview.status == InterviewStatus.IN_PROGRESS)
                .where(Interview.started_at.is_not(None))
                .order_by(Interview.started_at)
            ).all()
            due = []
            for interview in running:
                deadline = deadline_of(interview)
                if deadline is not None and deadline + self.grace <= now:
                    due.append(interview.id)
            return due[:BATCH]

    def _unevaluated(self, now: datetime) -> list[int]:
        """Completed with questions, no evaluation, not being evaluated, and completed more
        than the grace period ago (the browser that completed it evaluates it first)."""
        with reading(self.db) as session:
            return list(
                session.scalars(
                    select(Interview.id)
                    .where(Interview.status == InterviewStatus.COMPLETED)
                    .where(Interview.completed_at <= now - self.grace)
                    .where(~exists().where(Evaluation.interview_id == Interview.id))
                    .where(exists().where(InterviewQuestion.interview_id == Interview.id))
                    .where(
                        or_(
                            Interview.evaluation_claimed_until.is_(None),
                            Interview.evaluation_claimed_until < now,
                        )
                    )
                    .order_by(Interview.completed_at)
                    .limit(BATCH)
                )
            )

    # -- the background thread ------------------------------------------------------------

    def start(self, interval_seconds: float) -> InterviewSweeper:
        self._thread = threading.Thread(
            target=self._run, args=(interval_seconds,), name="interview-sweeper", daemon=True
        )
        self._thread.start()
        return self

    def _run(self, interval_seconds: float) -> None:
        """Runs on the sweeper's own thread until ``stop``."""
        while not self._stop.wait(interval_seconds):
            try:
                self.run_once()
            except Exception:  # a database that is down: log, try again next interval
                logger.exception("interview sweeper pass failed")

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    @property
    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()


def start_sweeper(app: Application) -> InterviewSweeper | None:
    """The container's sweeper on a daemon thread; None when the interval setting is 0."""
    settings = app.settings
    if settings.sweeper_interval_seconds <= 0:
        logger.info("interview sweeper disabled (INTERVISTA_SWEEPER_INTERVAL_SECONDS=0)")
        return None
    sweeper = InterviewSweeper(
        app.db,
        lambda: app.evaluator,
        grace=timedelta(seconds=settings.sweeper_grace_seconds),
        lease=timedelta(seconds=settings.evaluation_lease_seconds),
        clock=app.clock,
    )
    return sweeper.start(settings.sweeper_interval_seconds)
