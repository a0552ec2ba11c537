"""The sweeper keeps time with no browser open: an interview whose time is up is completed and
evaluated exactly once, even with several sweepers racing (SQLite and PostgreSQL)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.clock import FixedClock
from core.db.engine import Database
from core.db.models import AuditLog, Evaluation, Interview
from core.domain import InterviewStatus
from core.interview import flow
from core.interview.completion import finish_interview
from core.interview.sweeper import InterviewSweeper
from core.interviewer.ai.factory import build_offline_evaluator
from core.interviewer.ai.types import AnswerInput, EvaluationResult, Evaluator, QuestionSpec
from tests.support.factories import make_interview

REPO = Path(__file__).resolve().parents[3]
T0 = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
DURATION = timedelta(minutes=30)  # the factory's template
GRACE = timedelta(seconds=60)


class CountingEvaluator:
    """The real offline evaluator, counting how often each answer is scored (thread-safe)."""

    def __init__(self, inner: Evaluator, *, fail: bool = False) -> None:
        self.inner = inner
        self.fail = fail
        self.calls = 0
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return self.inner.name

    def evaluate(self, question: QuestionSpec, answer: AnswerInput) -> EvaluationResult:
        with self._lock:
            self.calls += 1
        if self.fail:
            raise RuntimeError("the evaluator's endpoint is down")
        return self.inner.evaluate(question, answer)


@pytest.fixture
def evaluator(settings) -> Callable[..., CountingEvaluator]:
    offline = build_offline_evaluator(settings, lexical_only=True)
    return lambda **kw: CountingEvaluator(offline, **kw)


def _started_with_two_answers(db: Database) -> int:
    iid = make_interview(db, scheduled_at=T0)
    token = flow.new_session_token()
    flow.start(db, iid, token=token, now=T0)
    questions = flow.load(db, iid).questions
    for q, text in zip(questions[:2], ("An index speeds up lookups.", "Use a queue."), strict=True):
        flow.submit(db, iid, q.id, text=text, code="", token=token, now=T0 + timedelta(minutes=1))
    flow.save_draft(db, iid, questions[2].id, text="never submitted", code="", token=token, now=T0)
    return iid


def _sweeper(db: Database, evaluator: Evaluator, at: datetime) -> InterviewSweeper:
    return InterviewSweeper(db, lambda: evaluator, grace=GRACE, clock=FixedClock(at))


def _audits(db: Database, iid: int, action: str) -> int:
    with db.read() as s:
        return (
            s.scalar(
                select(func.count())
                .select_from(AuditLog)
                .where(AuditLog.entity_id == iid, AuditLog.action == action)
            )
            or 0
        )


def test_time_up_with_no_browser_completes_and_evaluates(any_db: Database, evaluator) -> None:
    iid = _started_with_two_answers(any_db)
    scorer = evaluator()
    before = _sweeper(any_db, scorer, T0 + DURATION + GRACE / 2).run_once()
    assert before.completed == () and flow.load(any_db, iid).status is InterviewStatus.IN_PROGRESS

    report = _sweeper(any_db, scorer, T0 + DURATION + GRACE).run_once()

    assert report.completed == (iid,) and report.evaluated == (iid,)
    with any_db.read() as s:
        interview = s.get(Interview, iid)
        assert interview is not None
        assert interview.status is InterviewStatus.COMPLETED
        assert interview.completed_at == T0 + DURATION  # the deadline, not the sweep time
        assert interview.percentage is not None and interview.evaluation_claimed_until is None
        evaluation = s.scalars(select(Evaluation).where(Evaluation.interview_id == iid)).one()
        assert evaluation.proctoring_summary == {}
    assert scorer.calls == 2  # the two submitted answers; the draft scores zero unscored
    assert _audits(any_db, iid, "interview.complete") == 1
    again = _sweeper(any_db, scorer, T0 + DURATION + 2 * GRACE).run_once()
    assert again.completed == () and again.evaluated == () and scorer.calls == 2


@pytest.mark.parametrize("sweepers", [2, 4])
def test_racing_sweepers_complete_and_evaluate_once(
    any_db: Database, evaluator, sweepers: int
) -> None:
    ids = [_started_with_two_answers(any_db) for _ in range(3)]
    scorer = evaluator()
    at = T0 + DURATION + GRACE
    start = threading.Barrier(sweepers)
    reports = []

    def sweep() -> None:
        start.wait()
        reports.append(_sweeper(any_db, scorer, at).run_once())

    threads = [threading.Thread(target=sweep) for _ in range(sweepers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)

    completed = sorted(i for r in reports for i in r.completed)
    evaluated = sorted(i for r in reports for i in r.evaluated)
    assert completed == sorted(ids) and evaluated == sorted(ids)  # each once, in all reports
    assert scorer.calls == 2 * len(ids)  # no answer scored twice
    for iid in ids:
        assert _audits(any_db, iid, "interview.complete") == 1
    with any_db.read() as s:
        rows = s.scalar(
            select(func.count()).select_from(Evaluation).where(Evaluation.interview_id.in_(ids))
        )
    assert rows == len(ids)


def test_browser_and_sweeper_racing_complete_once(any_db: Database, evaluator) -> None:
    iid = _started_with_two_answers(any_db)
    scorer = evaluator()
    at = T0 + DURATION + GRACE
    start = threading.Barrier(2)
    results: list[object] = []

    def browser() -> None:
        start.wait()
        results.append(finish_interview(any_db, scorer, iid, now=at, reason="time_up"))

    def sweeper() -> None:
        start.wait()
        results.append(_sweeper(any_db, scorer, at).run_once())

    threads = [threading.Thread(target=browser), threading.Thread(target=sweeper)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(results) == 2
    assert _audits(any_db, iid, "interview.complete") == 1
    assert scorer.calls == 2


def test_a_failed_evaluation_is_picked_up_by_the_next_pass(any_db: Database, evaluator) -> None:
    iid = _started_with_two_answers(any_db)
    at = T0 + DURATION + GRACE
    down = evaluator(fail=True)
    report = _sweeper(any_db, down, at).run_once()  # logged, not raised
    assert report.completed == (iid,) and report.evaluated == ()
    with any_db.read() as s:
        assert s.scalar(select(func.count()).select_from(Evaluation)) == 0
        interview = s.get(Interview, iid)
        assert interview is not None and interview.evaluation_claimed_until is None  # released

    up = evaluator()
    later = _sweeper(any_db, up, at + GRACE).run_once()
    assert later.completed == () and later.evaluated == (iid,)
    assert up.calls == 2


def test_a_dead_evaluators_lease_expires(any_db: Database, evaluator) -> None:
    """A process that died mid-evaluation left its lease: nobody evaluates until it expires."""
    iid = _started_with_two_answers(any_db)
    at = T0 + DURATION + GRACE
    flow.complete(any_db, iid, now=at, reason="time_up")
    with any_db.write() as s:
        interview = s.get(Interview, iid)
        assert interview is not None
        interview.evaluation_claimed_until = at + timedelta(minutes=10)
    scorer = evaluator()
    assert _sweeper(any_db, scorer, at + GRACE).run_once().evaluated == ()
    assert _sweeper(any_db, scorer, at + timedelta(minutes=11)).run_once().evaluated == (iid,)
    assert scorer.calls == 2


def test_not_started_and_unexpired_interviews_are_left_alone(any_db: Database, evaluator) -> None:
    scheduled = make_interview(any_db, scheduled_at=T0)
    running = _started_with_two_answers(any_db)
    scorer = evaluator()
    report = _sweeper(any_db, scorer, T0 + timedelta(minutes=29)).run_once()
    assert report.completed == () and report.evaluated == () and scorer.calls == 0
    assert flow.load(any_db, scheduled).status is InterviewStatus.SCHEDULED
    assert flow.load(any_db, running).status is InterviewStatus.IN_PROGRESS


def test_the_sweep_command_finishes_an_abandoned_interview(db: Database, settings) -> None:
    """``python -m core sweep --once`` as an operator runs it, on the same SQLite file."""
    iid = _started_with_two_answers(db)  # started at T0 (January 2026): long overdue now
    env = {
        **os.environ,
        "INTERVISTA_DATA_DIR": str(settings.data_dir),
        "INTERVISTA_DATABASE_URL": settings.resolved_database_url,
        "INTERVISTA_SECRETS_FILE": str(settings.data_dir / "none.toml"),
        "INTERVISTA_EVALUATOR": "offline",
    }
    run = [sys.executable, "-m", "core", "sweep", "--once"]
    done = subprocess.run(run, cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert f"completed 1 interview(s) [{iid}]; evaluated 1 [{iid}]" in done.stdout
    assert flow.load(db, iid).status is InterviewStatus.COMPLETED
    again = subprocess.run(run, cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert "completed 0 interview(s) []; evaluated 0 []" in again.stdout

    bad = subprocess.run(
        [*run[:-1], "--interval", "0"], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert bad.returncode == 2 and "--interval must be more than 0" in bad.stderr
