"""Hostile text for the "no markup from users" browser test: a database where every field a
user, a candidate or an imported file can write holds a markdown image, an HTML image, a
markdown link, a bare URL, a www. address and a spreadsheet formula, all pointing at
198.51.100.7 (TEST-NET-2, never reachable), plus a plotly link where charts show the text."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from core.bootstrap import ensure_database
from core.config import Settings
from core.db.engine import Database
from core.db.models import (
    Candidate,
    ChatMessage,
    CodeSubmission,
    Evaluation,
    Interview,
    InterviewQuestion,
    InterviewResponse,
    InterviewTemplate,
    Job,
    ProctorEvent,
    ReviewComment,
)
from core.db.models.scheduling import EmailOutbox
from core.domain import (
    ChatRole,
    CodingLanguage,
    Decision,
    Difficulty,
    InterviewStatus,
    InterviewType,
    ProctorEventKind,
    ResponseStatus,
    Role,
    Severity,
    SubmissionKind,
)
from core.recruiting.candidates import import_candidates_csv
from core.recruiting.templates import InterviewOptions, create_interview_from_template
from core.scheduling.booking import book
from core.scheduling.slots import create_slots
from core.staff import auth
from core.staff.audit import record_audit
from tests.support.factories import PASSWORD, issue_key

EVIL = "198.51.100.7"
FORMULA = f'=HYPERLINK("http://{EVIL}/f")'
IMAGE = f"![x](http://{EVIL}/i.png)"
ATTACKS = (
    FORMULA,
    IMAGE,
    f"<img src=http://{EVIL}/a>",
    f"[l](http://{EVIL}/l)",
    f"http://{EVIL}/b",
    f"www.{EVIL}.example",
)
HOSTILE = " ".join(ATTACKS)  # starts with the formula: a spreadsheet would run it
SHORT = f"{IMAGE} <img src=http://{EVIL}/s>"  # for columns of 100 characters
HREF = f'<a href="http://{EVIL}/p">p</a>'  # plotly draws this one in chart labels
LONG = f"{HOSTILE} {HREF}"  # for text columns
assert len(HOSTILE) < 200 and len(SHORT) < 100 and len(IMAGE) <= 32  # the columns' sizes
STAFF = {Role.ADMIN: "admin@example.com", Role.RECRUITER: "rec@example.com"}
STAFF[Role.HIRING_MANAGER] = "manager@example.com"


def _staff(db: Database) -> dict[Role, int]:
    ids = {}
    for role, email in STAFF.items():
        user = auth.create_user(
            db, email=email, full_name=HOSTILE, role=role, password=PASSWORD, actor_id=None
        )
        ids[role] = user.id
    return ids


def _catalog(db: Database) -> tuple[int, int, int]:
    """The hostile candidate, job and template; a hostile candidate imported from CSV."""
    questions: list[dict[str, Any]] = [
        {
            "question_text": LONG,
            "question_type": "technical",
            "difficulty": "medium",
            "expected_duration_minutes": 5,
            "expected_answer": HOSTILE,
            "evaluation_criteria": [HOSTILE, HOSTILE],
            "notes": HOSTILE,
            IMAGE: HOSTILE,  # an extra key: kept in the stored JSON, shown nowhere as markup
        },
        {
            "question_text": LONG,
            "question_type": "coding",
            "difficulty": "hard",
            "expected_answer": HOSTILE,
            "coding_problem_ref": SHORT,  # not in the bank: Review says so, quoting it
        },
    ]
    with db.write() as s:
        candidate = Candidate(
            full_name=HOSTILE,
            email="hostile@example.com",
            phone=HOSTILE,
            notes=HOSTILE,
            resume_filename=HOSTILE,
            resume_text=HOSTILE,
        )
        job = Job(
            title=HOSTILE,
            company=f"{HREF} {SHORT}",
            description=LONG,
            domain=HOSTILE,
            coding_language=CodingLanguage.PYTHON,
            required_skills=[HOSTILE],
        )
        template = InterviewTemplate(
            title=HOSTILE,
            description=HOSTILE,
            interview_type=InterviewType.TECHNICAL,
            difficulty=Difficulty.MEDIUM,
            questions=questions,
        )
        s.add_all([candidate, job, template])
        s.flush()
        record_audit(s, None, HOSTILE, HOSTILE, candidate.id, {HOSTILE: HOSTILE})
        ids = candidate.id, job.id, template.id
    rows = io.StringIO()
    csv.writer(rows).writerows([["full_name", "email", "notes"], [HOSTILE, "csv@x.org", HOSTILE]])
    assert import_candidates_csv(db, rows.getvalue().encode(), actor_id=None).created
    return ids


def _interview(db: Database, ids: tuple[int, int, int], **options: Any) -> int:
    cid, jid, tid = ids
    with db.write() as s:
        made = create_interview_from_template(
            s,
            template_id=tid,
            candidate_id=cid,
            job_id=jid,
            options=InterviewOptions(title=HOSTILE, **options),
        )
        return made.id


def _completed(db: Database, ids: tuple[int, int, int], staff: dict[Role, int]) -> int:
    """A completed, reviewed interview with hostile text in every record Review shows."""
    started = datetime.now(UTC) - timedelta(days=2)
    iid = _interview(db, ids, scheduled_at=started, enable_video=False)
    with db.write() as s:
        i = s.get(Interview, iid)
        assert i is not None
        i.status, i.started_at = InterviewStatus.COMPLETED, started
        i.completed_at = started + timedelta(minutes=20)
        i.total_score, i.max_score, i.percentage = 9.0, 20.0, 45.0
        i.strengths = i.weaknesses = i.recommendations = [HOSTILE]
        i.decision, i.decision_by_id = Decision.REJECT, staff[Role.HIRING_MANAGER]
        i.decision_at = i.completed_at
        questions = s.scalars(
            select(InterviewQuestion).where(InterviewQuestion.interview_id == iid)
        ).all()
        for n, q in enumerate(questions):
            s.add(
                InterviewResponse(
                    interview_id=iid,
                    question_id=q.id,
                    status=ResponseStatus.SUBMITTED,
                    text_response=HOSTILE,
                    code_response=HOSTILE,
                    score=4.0,
                    ai_feedback=HOSTILE,
                    is_evaluated=True,
                    evaluator_kind="offline",
                    prompt_version=IMAGE,
                    evaluation_metrics={"clarity": 4.0},
                    override_score=6.0,
                    override_reason=HOSTILE,
                    override_by_id=staff[Role.HIRING_MANAGER],
                    started_at=started + timedelta(minutes=5 * n),
                    submitted_at=started + timedelta(minutes=5 * n + 4),
                )
            )
            s.add(
                CodeSubmission(
                    interview_id=iid,
                    question_id=q.id,
                    kind=SubmissionKind.SUBMIT,
                    language=CodingLanguage.PYTHON,
                    code=HOSTILE,
                    verdict="wrong_answer",  # the sandbox's word, never a user's
                    tests_passed=1,
                    tests_total=3,
                    submitted_at=started + timedelta(minutes=5 * n + 3),
                )
            )
        for n, role in enumerate((ChatRole.CANDIDATE, ChatRole.INTERVIEWER)):
            s.add(
                ChatMessage(
                    interview_id=iid,
                    role=role,
                    content=HOSTILE,
                    created_at=started + timedelta(minutes=1 + n),
                )
            )
        s.add(
            ProctorEvent(
                interview_id=iid,
                kind=ProctorEventKind.SYSTEM_ISSUE,
                severity=Severity.INFO,
                started_at=started + timedelta(minutes=2),
                ended_at=started + timedelta(minutes=2, seconds=5),
                details={"detail": HOSTILE, "key": SHORT},
            )
        )
        s.add(
            Evaluation(
                interview_id=iid,
                overall_score=4.5,
                total_score=9.0,
                max_score=20.0,
                percentage=45.0,
                overall_feedback=HOSTILE,
                strengths=[HOSTILE],
                weaknesses=[HOSTILE],
                recommendations=[HOSTILE],
                traits={"communication": 4.0},
                evaluator_versions={HOSTILE: HOSTILE},
            )
        )
        s.add(ReviewComment(interview_id=iid, author_id=staff[Role.HIRING_MANAGER], body=HOSTILE))
    return iid


def seed_hostile_world(settings: Settings) -> tuple[int, str]:
    """Seed the database; return the completed interview's id and the candidate's link path."""
    db = ensure_database(settings)
    staff = _staff(db)
    ids = _catalog(db)
    review_id = _completed(db, ids, staff)
    now = datetime.now(UTC)
    # Booked (Schedule's bookings, the outbox's invitation), and one left to book.
    booked = _interview(db, ids, scheduled_at=now + timedelta(days=1))
    _interview(db, ids, scheduled_at=now + timedelta(days=1))
    start = (now + timedelta(days=1)).replace(microsecond=0)
    slot = create_slots(db, [(start, start + timedelta(hours=1))], capacity=3, now=now)[0]
    book(db, settings, interview_id=booked, slot_id=slot.id, now=now, notes=HOSTILE)
    with db.write() as s:
        for message in s.scalars(select(EmailOutbox)):
            message.last_error = HOSTILE
    # The candidate's link: open now, no camera (nothing to grant in a headless browser).
    room = _interview(db, ids, scheduled_at=now, enable_video=False)
    return review_id, f"/interview?key={issue_key(db, room)}"
