"""Factories for test data: small functions that write real rows and return their ids."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from core.db.engine import Database
from core.db.models import Candidate, Interview, InterviewTemplate, Job
from core.domain import CodingLanguage, Difficulty, InterviewStatus, InterviewType, Role
from core.services import access, auth
from core.services.templates import InterviewOptions, create_interview_from_template

_seq = itertools.count(1)
PASSWORD = "correct horse battery"


def make_user(
    db: Database, role: Role = Role.RECRUITER, email: str | None = None
) -> auth.StaffUser:
    n = next(_seq)
    return auth.create_user(
        db,
        email=email or f"user{n}@example.com",
        full_name=f"User {n}",
        role=role,
        password=PASSWORD,
        actor_id=None,
    )


def make_candidate(db: Database, name: str | None = None, email: str | None = None) -> int:
    n = next(_seq)
    with db.write() as s:
        c = Candidate(full_name=name or f"Candidate {n}", email=email or f"cand{n}@example.com")
        s.add(c)
        s.flush()
        return c.id


def make_job(db: Database, language: CodingLanguage = CodingLanguage.PYTHON) -> int:
    n = next(_seq)
    with db.write() as s:
        j = Job(
            title=f"Engineer {n}",
            company="Testco",
            coding_language=language,
            required_skills=["Python"],
        )
        s.add(j)
        s.flush()
        return j.id


def make_template(db: Database, questions: int = 3) -> int:
    qs = [
        {
            "question_text": f"Question {i}?",
            "question_type": "technical",
            "difficulty": "medium",
            "expected_answer": f"Answer {i}",
            "evaluation_criteria": [f"point {i}"],
        }
        for i in range(1, questions + 1)
    ]
    with db.write() as s:
        t = InterviewTemplate(
            title=f"Template {next(_seq)}",
            interview_type=InterviewType.TECHNICAL,
            difficulty=Difficulty.MEDIUM,
            questions=qs,
        )
        s.add(t)
        s.flush()
        return t.id


def make_interview(
    db: Database,
    *,
    scheduled_at: datetime | None = None,
    status: InterviewStatus = InterviewStatus.SCHEDULED,
    practice: bool = False,
    candidate_id: int | None = None,
) -> int:
    cid = candidate_id or make_candidate(db)
    tid, jid = make_template(db), make_job(db)
    with db.write() as s:
        interview = create_interview_from_template(
            s,
            template_id=tid,
            candidate_id=cid,
            job_id=jid,
            options=InterviewOptions(
                scheduled_at=scheduled_at or datetime(2026, 1, 5, 10, 0, tzinfo=UTC),
                is_practice=practice,
            ),
        )
        interview.status = status
        return interview.id


def issue_key(db: Database, interview_id: int, ttl: timedelta = timedelta(days=3)) -> str:
    with db.write() as s:
        i = s.get(Interview, interview_id)
        assert i is not None
        base = i.scheduled_at or datetime.now(UTC)
        return access.issue_key(s, interview_id, base + ttl)
