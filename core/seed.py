"""Demo data: idempotent, all text our own (see core/seed_content.py)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.config import Settings
from core.db.engine import Database
from core.db.models import (
    Candidate,
    Evaluation,
    Interview,
    InterviewQuestion,
    InterviewResponse,
    InterviewTemplate,
    Job,
    Slot,
    User,
)
from core.domain import InterviewStatus, ResponseStatus, Role
from core.recruiting.templates import (
    InterviewOptions,
    create_interview_from_template,
    question_row,
    record_template_score,
)
from core.scheduling import access
from core.scheduling.booking import book
from core.seed_content import CANDIDATES, COMPLETED_SCORES, JOBS, TEMPLATES
from core.staff.auth import generate_password, hash_password

logger = logging.getLogger(__name__)

DEMO_ADMIN_EMAIL = "admin@intervista.local"
DEMO_STAFF = (
    ("recruiter@intervista.local", "Riya Recruiter", Role.RECRUITER),
    ("manager@intervista.local", "Harish Manager", Role.HIRING_MANAGER),
)
SEED_EVALUATOR = "demo-seed"  # marks the hand-written demo scores as such


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=dict)
    passwords: dict[str, str] = field(default_factory=dict)  # shown once, never stored
    links: dict[str, str] = field(default_factory=dict)

    def bump(self, kind: str) -> None:
        self.created[kind] = self.created.get(kind, 0) + 1


def _ensure_users(session: Session, report: SeedReport) -> int:
    admin_id = 0
    for email, name, role in ((DEMO_ADMIN_EMAIL, "Demo Admin", Role.ADMIN), *DEMO_STAFF):
        user = session.scalars(select(User).where(User.email == email)).first()
        if user is None:
            password = generate_password()
            user = User(
                email=email, full_name=name, role=role, password_hash=hash_password(password)
            )
            session.add(user)
            session.flush()
            report.passwords[email] = password
            report.bump("users")
        if role is Role.ADMIN:
            admin_id = user.id
    return admin_id


def _ensure_catalog(session: Session, report: SeedReport, admin_id: int) -> None:
    for spec in TEMPLATES:
        if (
            session.scalars(
                select(InterviewTemplate).where(InterviewTemplate.title == spec["title"])
            ).first()
            is None
        ):
            session.add(InterviewTemplate(**spec, created_by_id=admin_id))
            report.bump("templates")
    for spec in JOBS:
        exists = session.scalars(
            select(Job).where(Job.title == spec["title"], Job.company == spec["company"])
        ).first()
        if exists is None:
            session.add(Job(**spec))
            report.bump("jobs")
    for spec in CANDIDATES:
        if (
            session.scalars(select(Candidate).where(Candidate.email == spec["email"])).first()
            is None
        ):
            session.add(Candidate(**spec))
            report.bump("candidates")
    session.flush()


def _ids(session: Session) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    templates = {t.title: t.id for t in session.scalars(select(InterviewTemplate))}
    jobs = {j.title: j.id for j in session.scalars(select(Job))}
    candidates = {c.email: c.id for c in session.scalars(select(Candidate))}
    return templates, jobs, candidates


def _local(settings: Settings, day: datetime, hour: int) -> datetime:
    local = datetime.combine(day.astimezone(settings.zone).date(), time(hour), settings.zone)
    return local.astimezone(day.tzinfo)


def _interview_exists(session: Session, candidate_id: int, title: str) -> bool:
    stmt = select(Interview.id).where(
        Interview.candidate_id == candidate_id, Interview.title == title
    )
    return session.scalars(stmt).first() is not None


def _scheduled(
    session: Session, settings: Settings, now: datetime, report: SeedReport
) -> tuple[int, int] | None:
    """Create the scheduled demo interview and its slot; return (interview id, slot id)."""
    templates, jobs, candidates = _ids(session)
    title = "Frontend Developer at TechCorp"
    cid = candidates["aarav.sharma@example.com"]
    if _interview_exists(session, cid, title):
        return None
    start = _local(settings, now + timedelta(days=1), 10)
    interview = create_interview_from_template(
        session,
        template_id=templates["Frontend Developer"],
        candidate_id=cid,
        job_id=jobs["Frontend Developer"],
        options=InterviewOptions(title=title, scheduled_at=start, enable_video=True),
    )
    extra = {
        "question_text": "Why are you interested in this role at TechCorp?",
        "question_type": "hr",
        "difficulty": "easy",
        "expected_answer": "Connects experience and goals to the role.",
        "evaluation_criteria": ["knows the role", "motivation"],
    }
    session.add(question_row(interview.id, interview.total_questions + 1, extra))
    interview.total_questions += 1
    slot = Slot(starts_at=start, ends_at=start + timedelta(minutes=45), capacity=3)
    session.add(slot)
    session.flush()
    report.bump("interviews")
    return interview.id, slot.id


def _completed(session: Session, now: datetime, report: SeedReport) -> None:
    templates, jobs, candidates = _ids(session)
    title = "Backend Engineer at StartupX"
    cid = candidates["maya.fernandes@example.com"]
    if _interview_exists(session, cid, title):
        return
    start = now - timedelta(days=3, hours=2)
    interview = create_interview_from_template(
        session,
        template_id=templates["Python Backend Engineer"],
        candidate_id=cid,
        job_id=jobs["Backend Engineer"],
        options=InterviewOptions(title=title, scheduled_at=start, enable_video=False),
    )
    questions = list(
        session.scalars(
            select(InterviewQuestion)
            .where(InterviewQuestion.interview_id == interview.id)
            .order_by(InterviewQuestion.order)
        )
    )
    for extra in questions[len(COMPLETED_SCORES) :]:  # this interview used 4 of the 5
        session.delete(extra)
    interview.total_questions = len(COMPLETED_SCORES)
    for i, (q, (score, feedback)) in enumerate(zip(questions, COMPLETED_SCORES, strict=False)):
        session.add(
            InterviewResponse(
                interview_id=interview.id,
                question_id=q.id,
                status=ResponseStatus.SUBMITTED,
                text_response=f"(Demo answer) {q.expected_answer}",
                started_at=start + timedelta(minutes=8 * i),
                submitted_at=start + timedelta(minutes=8 * i + 6),
                time_taken_seconds=360.0,
                score=score,
                ai_feedback=feedback,
                is_evaluated=True,
                evaluation_metrics={
                    "clarity": score,
                    "relevance": score,
                    "depth": score - 1,
                    "technical_accuracy": score,
                },
                evaluator_kind=SEED_EVALUATOR,
                evaluator_model="hand-written demo content",
            )
        )
    total = sum(s for s, _ in COMPLETED_SCORES)
    maximum = 10.0 * len(COMPLETED_SCORES)
    interview.status = InterviewStatus.COMPLETED
    interview.started_at = start
    interview.completed_at = start + timedelta(minutes=34)
    interview.total_score, interview.max_score = total, maximum
    interview.percentage = round(100 * total / maximum, 1)
    interview.strengths = ["Q2: precise about row locking and atomic updates"]
    interview.weaknesses = ["Q3: caching and redirect codes only touched on"]
    interview.recommendations = ["Go deeper on caching strategies in system design answers"]
    interview.overall_feedback = "Strong backend fundamentals (demo evaluation)."
    session.flush()
    session.add(
        Evaluation(
            interview_id=interview.id,
            overall_score=round(total / len(COMPLETED_SCORES), 2),
            total_score=total,
            max_score=maximum,
            percentage=interview.percentage,
            overall_feedback=interview.overall_feedback,
            strengths=interview.strengths,
            weaknesses=interview.weaknesses,
            recommendations=interview.recommendations,
            traits={"communication": 8.0, "problem_solving": 8.5},
            proctoring_summary={},
            evaluator_versions={"engine": SEED_EVALUATOR},
        )
    )
    record_template_score(session, interview.template_id, interview.percentage)
    report.bump("interviews")


def _in_progress(session: Session, settings: Settings, now: datetime, report: SeedReport) -> None:
    templates, jobs, candidates = _ids(session)
    title = "Full Stack Developer at Acme Retail"
    cid = candidates["daniel.okafor@example.com"]
    if _interview_exists(session, cid, title):
        return
    interview = create_interview_from_template(
        session,
        template_id=templates["System Design"],
        candidate_id=cid,
        job_id=jobs["Full Stack Developer"],
        options=InterviewOptions(title=title, scheduled_at=now - timedelta(minutes=5)),
    )
    interview.status = InterviewStatus.IN_PROGRESS
    interview.started_at = now - timedelta(minutes=4)
    interview.current_question_order = 1
    raw = access.issue_key(
        session, interview.id, now + timedelta(hours=settings.access_key_ttl_hours)
    )
    report.links[title] = access.interview_link(settings.public_base_url, raw)
    report.bump("interviews")


def seed_demo(db: Database, settings: Settings, now: datetime) -> SeedReport:
    """Create whatever demo data is missing. Safe to run any number of times."""
    report = SeedReport()
    with db.write() as session:
        admin_id = _ensure_users(session, report)
        _ensure_catalog(session, report, admin_id)
        to_book = _scheduled(session, settings, now, report)
        _completed(session, now, report)
        _in_progress(session, settings, now, report)
    if to_book is not None:
        # Booked through the real service: the invitation lands in the outbox.
        booked = book(db, settings, interview_id=to_book[0], slot_id=to_book[1], now=now)
        report.links["Frontend Developer at TechCorp"] = booked.link or ""
    return report


def database_is_empty(db: Database) -> bool:
    with db.read() as session:
        return session.scalars(select(User.id).limit(1)).first() is None
