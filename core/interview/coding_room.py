"""The coding panel's clicks in the interview room: Run (the examples), Submit (every test)
and Run with my input (the candidate's own input, not graded).

Each takes the candidate's principal (from their secret link) and the tab's token, and checks
them before anything runs: the link opens this interview, the interview runs in this tab with
time left. The code runs in the sandbox outside any transaction; these calls block the calling
thread for the run.
"""

from __future__ import annotations

import logging
from datetime import datetime

from core.coding import attempts
from core.coding.attempts import CodingError, RunOutcome
from core.coding.custom_run import CustomInputError, CustomRunResult, check_size, run_custom
from core.coding.sandbox.factory import Sandbox
from core.db.models import InterviewQuestion
from core.db.uow import Tx, reading
from core.domain import CodingLanguage, SubmissionKind
from core.interview import flow
from core.staff.permissions import Action, CandidatePrincipal, require

logger = logging.getLogger(__name__)


def run_code(
    db: Tx,
    sandbox: Sandbox,
    principal: CandidatePrincipal,
    interview_id: int,
    question_id: int,
    *,
    language: CodingLanguage,
    code: str,
    kind: SubmissionKind,
    token: str,
    now: datetime,
) -> RunOutcome:
    """Run the examples (``RUN``) or every test (``SUBMIT``); the attempt is stored."""
    require(principal, Action.TAKE_INTERVIEW, interview_id=interview_id)
    flow.require_live(db, interview_id, token=token, now=now)
    return attempts.run_code(
        db,
        sandbox,
        interview_id=interview_id,
        question_id=question_id,
        language=language,
        code=code,
        kind=kind,
        now=now,
    )


def run_with_input(
    db: Tx,
    sandbox: Sandbox,
    principal: CandidatePrincipal,
    interview_id: int,
    question_id: int,
    *,
    language: CodingLanguage,
    code: str,
    input_text: str,
    token: str,
    now: datetime,
) -> CustomRunResult:
    """Run the code once on the candidate's own input and return what it produced.

    Nothing is graded or stored. Raises PermissionDenied, FlowError (not live in this tab),
    CustomInputError (``custom_input_too_large`` / ``custom_input_invalid``) or CodingError."""
    require(principal, Action.TAKE_INTERVIEW, interview_id=interview_id)
    check_size(input_text)
    flow.require_live(db, interview_id, token=token, now=now)
    if not code.strip():
        raise CodingError("The editor is empty: write some code first.")
    if len(code) > attempts.MAX_CODE_CHARS:
        raise CodingError(f"The code is longer than {attempts.MAX_CODE_CHARS:,} characters.")
    with reading(db) as session:
        question = session.get(InterviewQuestion, question_id)
        if question is None or question.interview_id != interview_id:
            raise CodingError("That question is not part of this interview.")
        problem_id = question.coding_problem_ref
    if not problem_id:
        raise CodingError("This question has no coding problem attached.")
    try:
        result = run_custom(problem_id, language, code, input_text, sandbox=sandbox)
    except CustomInputError:
        raise
    except KeyError as exc:
        raise CodingError(
            f"The coding problem {problem_id!r} is missing; tell the recruiter."
        ) from exc
    except ValueError as exc:
        raise CodingError(str(exc)) from exc
    logger.info(
        "custom-input run: interview %s question %s %s -> %s in %.2f s",
        interview_id,
        question_id,
        language.value,
        result.status,
        result.wall_seconds,
    )
    return result
