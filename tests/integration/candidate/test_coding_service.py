"""Run and Submit from the interview: real sandbox, real problem bank, every attempt stored."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from core.coding.attempts import CodingError, run_code
from core.coding.sandbox.factory import build_sandbox
from core.config import Settings
from core.db.engine import Database
from core.db.models import CodeSubmission, InterviewQuestion
from core.domain import CodingLanguage, SubmissionKind
from core.interview import flow
from tests.support.factories import make_interview
from tests.support.shared import require_or_skip

BANK = Path(__file__).resolve().parents[3] / "core" / "coding" / "problems" / "bank"
NOW = datetime(2026, 1, 5, 10, 5, tzinfo=UTC)


@pytest.fixture
def coding_interview(db: Database) -> tuple[int, int]:
    require_or_skip(shutil.which("bwrap") is not None, "bubblewrap is not installed")
    iid = make_interview(db, scheduled_at=NOW)
    with db.write() as s:
        q = s.scalars(
            select(InterviewQuestion)
            .where(InterviewQuestion.interview_id == iid)
            .order_by(InterviewQuestion.order)
        ).first()
        q.coding_problem_ref = "balanced-brackets"
        qid = q.id
    flow.start(db, iid, token="t", now=NOW)
    return iid, qid


def test_run_then_submit_are_stored(
    db: Database, settings: Settings, coding_interview: tuple[int, int]
) -> None:
    iid, qid = coding_interview
    sandbox = build_sandbox(settings)
    good = (BANK / "balanced-brackets" / "solution.py").read_text()
    wrong = "def is_balanced(s):\n    return True\n"
    runs = [
        run_code(
            db,
            sandbox,
            interview_id=iid,
            question_id=qid,
            language=CodingLanguage.PYTHON,
            code=code,
            kind=kind,
            now=NOW,
        )
        for code, kind in ((wrong, SubmissionKind.RUN), (good, SubmissionKind.SUBMIT))
    ]
    assert runs[0].result.verdict.value != "accepted"
    assert runs[1].result.verdict.value == "accepted" and runs[1].result.score == 1.0
    assert runs[0].result.total < runs[1].result.total  # Run uses visible examples only
    with db.read() as s:
        rows = list(s.scalars(select(CodeSubmission).order_by(CodeSubmission.id)))
        assert [(r.kind, r.verdict) for r in rows] == [
            (SubmissionKind.RUN, runs[0].result.verdict.value),
            (SubmissionKind.SUBMIT, "accepted"),
        ]


@pytest.mark.parametrize(("code", "message"), [("   ", "empty"), ("x" * 100_001, "longer than")])
def test_bad_code_is_refused_before_running(
    db: Database, settings: Settings, coding_interview: tuple[int, int], code: str, message: str
) -> None:
    iid, qid = coding_interview
    with pytest.raises(CodingError, match=message):
        run_code(
            db,
            build_sandbox(settings),
            interview_id=iid,
            question_id=qid,
            language=CodingLanguage.PYTHON,
            code=code,
            kind=SubmissionKind.RUN,
            now=NOW,
        )
