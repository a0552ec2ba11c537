"""Demo data: complete, idempotent, and with the numbers the product describes."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from core.config import Settings
from core.db.engine import Database
from core.db.models import Candidate, Interview, InterviewQuestion, InterviewTemplate, User
from core.domain import InterviewStatus
from core.seed import seed_demo

NOW = datetime(2026, 5, 4, 6, 0, tzinfo=UTC)


def test_seed_is_idempotent_and_complete(any_db: Database, settings: Settings) -> None:
    first = seed_demo(any_db, settings, NOW)
    second = seed_demo(any_db, settings, NOW)
    assert len(first.passwords) == 3 and second.passwords == {}
    assert second.created == {}
    with any_db.read() as s:
        templates = {
            t.title: (t.interview_type, t.difficulty, len(t.questions))
            for t in s.scalars(select(InterviewTemplate))
        }
        assert templates == {
            "Frontend Developer": ("technical", "medium", 4),
            "Python Backend Engineer": ("technical", "hard", 5),
            "System Design": ("system_design", "hard", 3),
            "Behavioral": ("behavioral", "easy", 5),
        }
        interviews = {i.title: i for i in s.scalars(select(Interview))}
        assert set(interviews) == {
            "Frontend Developer at TechCorp",
            "Backend Engineer at StartupX",
            "Full Stack Developer at Acme Retail",
        }
        done = interviews["Backend Engineer at StartupX"]
        assert (done.status, done.total_score, done.max_score, done.percentage) == (
            InterviewStatus.COMPLETED,
            32.0,
            40.0,
            80.0,
        )
        n_questions = {
            t: s.scalar(
                select(func.count())
                .select_from(InterviewQuestion)
                .where(InterviewQuestion.interview_id == i.id)
            )
            for t, i in interviews.items()
        }
        assert n_questions == {
            "Frontend Developer at TechCorp": 5,
            "Backend Engineer at StartupX": 4,
            "Full Stack Developer at Acme Retail": 3,
        }
        assert interviews["Full Stack Developer at Acme Retail"].status == (
            InterviewStatus.IN_PROGRESS
        )
        assert s.scalar(select(func.count()).select_from(Candidate)) == 4
        assert s.scalar(select(func.count()).select_from(User)) == 3


def test_seed_passwords_are_random(db: Database, settings: Settings) -> None:
    report = seed_demo(db, settings, NOW)
    assert len(set(report.passwords.values())) == 3
    assert all(len(p) >= 12 for p in report.passwords.values())
