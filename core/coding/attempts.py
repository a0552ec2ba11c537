"""Running a candidate's code: Run (visible examples) and Submit (hidden tests too).

Every Run and Submit is stored as a CodeSubmission with its time and results. The code runs in
the sandbox (never in this process); this call blocks for the run — call it from the script
thread behind a spinner, never from a media or event-loop thread.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime

from core.coding.problems.grading import UnknownProblem, grade_submission
from core.coding.problems.results import GradeResult
from core.coding.sandbox.factory import Sandbox
from core.db.models import CodeSubmission, Interview, InterviewQuestion
from core.db.uow import Tx, reading, writing
from core.domain import CodingLanguage, InterviewStatus, SubmissionKind
from core.errors import IntervistaError

logger = logging.getLogger(__name__)
MAX_CODE_CHARS = 100_000


class CodingError(IntervistaError, ValueError):
    """The code cannot be run; the message is safe to show."""

    code = "coding_refused"


@dataclass(frozen=True)
class RunOutcome:
    submission_id: int
    result: GradeResult


def run_code(
    db: Tx,
    sandbox: Sandbox,
    *,
    interview_id: int,
    question_id: int,
    language: CodingLanguage,
    code: str,
    kind: SubmissionKind,
    now: datetime,
) -> RunOutcome:
    if not code.strip():
        raise CodingError("The editor is empty: write some code first.")
    if len(code) > MAX_CODE_CHARS:
        raise CodingError(f"The code is longer than {MAX_CODE_CHARS:,} characters.")
    with reading(db) as session:
        interview = session.get(Interview, interview_id)
        question = session.get(InterviewQuestion, question_id)
        if interview is None or question is None or question.interview_id != interview_id:
            raise CodingError("That question is not part of this interview.")
        if interview.status is not InterviewStatus.IN_PROGRESS:
            raise CodingError("This interview is not in progress.")
        problem_id = question.coding_problem_ref
    if not problem_id:
        raise CodingError("This question has no coding problem attached.")
    started = time.perf_counter()
    try:
        result = grade_submission(
            problem_id, language, code, visible_only=kind is SubmissionKind.RUN, sandbox=sandbox
        )
    except UnknownProblem as exc:
        raise CodingError(
            f"The coding problem {problem_id!r} is missing; tell the recruiter."
        ) from exc
    except ValueError as exc:
        raise CodingError(str(exc)) from exc
    elapsed_ms = (time.perf_counter() - started) * 1000
    with writing(db) as session:
        row = CodeSubmission(
            interview_id=interview_id,
            question_id=question_id,
            kind=kind,
            language=language,
            code=code,
            submitted_at=now,
            verdict=result.verdict.value,
            tests_passed=result.passed,
            tests_total=result.total,
            score=result.score,
            duration_ms=round(elapsed_ms, 1),
            results=result.to_dict(),
        )
        session.add(row)
        session.flush()
        return RunOutcome(row.id, result)


@dataclass(frozen=True)
class StoredRun:
    submission_id: int
    kind: SubmissionKind
    at: datetime
    results: dict[str, object]


def latest_run(db: Tx, question_id: int) -> StoredRun | None:
    """The newest Run or Submit of a question, with its stored results."""
    from sqlalchemy import select

    with reading(db) as session:
        row = session.scalars(
            select(CodeSubmission)
            .where(CodeSubmission.question_id == question_id)
            .order_by(CodeSubmission.submitted_at.desc(), CodeSubmission.id.desc())
        ).first()
        if row is None:
            return None
        return StoredRun(row.id, SubmissionKind(row.kind), row.submitted_at, dict(row.results))
