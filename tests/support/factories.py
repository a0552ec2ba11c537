"""Factories for test data: small functions that write real rows and return their ids."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

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
    Recording,
    User,
)
from core.domain import (
    ChatRole,
    CodingLanguage,
    Difficulty,
    InterviewStatus,
    InterviewType,
    ProctorEventKind,
    QuestionType,
    ResponseStatus,
    Role,
    Severity,
    SubmissionKind,
)
from core.recruiting.templates import InterviewOptions, create_interview_from_template
from core.scheduling import access
from core.staff import auth

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


def make_template(db: Database, questions: int = 3, follow_ups: int = 0) -> int:
    """A template of ``questions`` placeholder questions; the interviewer's follow-ups are off
    unless asked for (tests of the flow expect the next question after a submit)."""
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
            max_follow_ups=follow_ups,
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


def _tiny_jpeg(path: Path, shade: int) -> None:
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (64, 48), (shade, 40, 40)).save(path, "JPEG")


def make_full_interview(db: Database, data_dir: Path, *, started: datetime | None = None) -> int:
    """A completed interview with every kind of record and real files under data_dir."""
    started = started or datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
    cid = make_candidate(db, name="Zoe Quinn", email=f"zoe{next(_seq)}@example.com")
    iid = make_interview(db, scheduled_at=started, candidate_id=cid)
    resume = data_dir / "resumes" / str(cid) / "cv.txt"
    resume.parent.mkdir(parents=True, exist_ok=True)
    resume.write_text("Zoe's resume")
    with db.write() as s:
        s.get(Candidate, cid).resume_path = f"resumes/{cid}/cv.txt"
        interview = s.get(Interview, iid)
        interview.status = InterviewStatus.COMPLETED
        interview.started_at = started
        interview.completed_at = started + timedelta(minutes=20)
        interview.total_score, interview.max_score, interview.percentage = 21.0, 30.0, 70.0
        interview.strengths = ["Q1: clear explanation"]
        questions = list(
            s.scalars(
                select(InterviewQuestion)
                .where(InterviewQuestion.interview_id == iid)
                .order_by(InterviewQuestion.order)
            )
        )
        questions[2].question_type = QuestionType.CODING
        questions[2].coding_problem_ref = "balanced-brackets"
        for i, (q, score) in enumerate(zip(questions, (6.0, 7.0, 8.0), strict=True)):
            s.add(
                InterviewResponse(
                    interview_id=iid,
                    question_id=q.id,
                    status=ResponseStatus.SUBMITTED,
                    text_response=f"My answer {i} <script>alert(1)</script>",
                    score=score,
                    ai_feedback=f"Feedback {i}",
                    is_evaluated=True,
                    evaluator_kind="offline",
                    evaluation_metrics={"clarity": score},
                    started_at=started + timedelta(minutes=5 * i),
                    submitted_at=started + timedelta(minutes=5 * i + 4),
                )
            )
        s.add(
            ChatMessage(
                interview_id=iid, role=ChatRole.INTERVIEWER, content="Welcome!", created_at=started
            )
        )
        s.add(
            ChatMessage(
                interview_id=iid,
                role=ChatRole.CANDIDATE,
                content="Thanks, ready.",
                created_at=started + timedelta(seconds=20),
            )
        )
        for n, code in enumerate(("def f(x):\n    return x\n", "def f(x):\n    return x * 2\n")):
            s.add(
                CodeSubmission(
                    interview_id=iid,
                    question_id=questions[2].id,
                    kind=SubmissionKind.RUN,
                    language=CodingLanguage.PYTHON,
                    code=code,
                    verdict="wrong_answer" if n == 0 else "accepted",
                    tests_passed=n * 3,
                    tests_total=3,
                    submitted_at=started + timedelta(minutes=11 + n),
                )
            )
        for n, kind in enumerate(
            (ProctorEventKind.PHONE, ProctorEventKind.PHONE, ProctorEventKind.MULTIPLE_PEOPLE)
        ):
            snap, thumb = f"snapshots/{iid}/e{n}.jpg", f"snapshots/{iid}/e{n}_thumb.jpg"
            _tiny_jpeg(data_dir / snap, 100 + n * 40)
            _tiny_jpeg(data_dir / thumb, 100 + n * 40)
            s.add(
                ProctorEvent(
                    interview_id=iid,
                    kind=kind,
                    severity=Severity.WARNING,
                    started_at=started + timedelta(minutes=3 + n),
                    ended_at=started + timedelta(minutes=3 + n, seconds=8),
                    peak_confidence=0.8,
                    snapshot_path=snap,
                    thumbnail_path=thumb,
                )
            )
        video = data_dir / "recordings" / f"{iid}.mp4"
        video.parent.mkdir(parents=True, exist_ok=True)
        video.write_bytes(b"\x00" * 2048)
        s.add(
            Recording(
                interview_id=iid,
                path=f"recordings/{iid}.mp4",
                started_at=started,
                duration_seconds=1200.0,
                size_bytes=2048,
            )
        )
        s.add(
            Evaluation(
                interview_id=iid,
                overall_score=7.0,
                total_score=21.0,
                max_score=30.0,
                percentage=70.0,
                overall_feedback="Solid overall.",
                strengths=["Q1: clear explanation"],
                traits={"communication": 7.0},
            )
        )
    return iid


# --- Evaluation service rows: fixed names and texts, models written directly (no templates) ---


def make_eval_candidate(db: Database, email: str = "ada@example.com") -> int:
    with db.write() as session:
        candidate = Candidate(full_name="Ada Lovelace", email=email)
        session.add(candidate)
        session.flush()
        return candidate.id


def make_eval_user(db: Database, email: str = "rita@example.com") -> int:
    with db.write() as session:
        user = User(email=email, full_name="Rita Recruiter", role=Role.RECRUITER, password_hash="x")
        session.add(user)
        session.flush()
        return user.id


def make_eval_interview(
    db: Database,
    candidate_id: int,
    *,
    interview_type: InterviewType = InterviewType.TECHNICAL,
    skills: tuple[str, ...] = ("Python", "SQL"),
    total_questions: int = 3,
) -> int:
    with db.write() as session:
        interview = Interview(
            candidate_id=candidate_id,
            title="Backend interview",
            interview_type=interview_type,
            difficulty=Difficulty.MEDIUM,
            job_role="Backend developer",
            job_description="Django services on PostgreSQL",
            required_skills=list(skills),
            coding_language=CodingLanguage.PYTHON,
            total_questions=total_questions,
        )
        session.add(interview)
        session.flush()
        return interview.id


def add_question(
    db: Database,
    interview_id: int,
    order: int,
    *,
    text: str = "What is the difference between INNER JOIN and LEFT JOIN?",
    expected: str = "INNER JOIN returns only matching rows; LEFT JOIN keeps every row of the "
    "left table with NULLs where there is no match.",
    criteria: tuple[str, ...] = (
        "INNER JOIN returns only matching rows",
        "LEFT JOIN keeps all left rows with NULLs",
    ),
    follow_ups: tuple[str, ...] = ("How would you find customers with no orders?",),
    notes: str = "Assume PostgreSQL.",
    question_type: QuestionType = QuestionType.TECHNICAL,
) -> int:
    with db.write() as session:
        question = InterviewQuestion(
            interview_id=interview_id,
            order=order,
            question_text=text,
            question_type=question_type,
            difficulty=Difficulty.MEDIUM,
            expected_answer=expected,
            evaluation_criteria=list(criteria),
            follow_ups=list(follow_ups),
            notes=notes,
        )
        session.add(question)
        session.flush()
        return question.id


def add_response(
    db: Database,
    interview_id: int,
    question_id: int,
    text: str,
    *,
    code: str = "",
    status: ResponseStatus = ResponseStatus.SUBMITTED,
) -> int:
    with db.write() as session:
        response = InterviewResponse(
            interview_id=interview_id,
            question_id=question_id,
            status=status,
            text_response=text,
            code_response=code,
        )
        session.add(response)
        session.flush()
        return response.id


# --- Proctoring: a bare interview row (no template, no questions) ---


def make_proctor_interview(db: Database, email: str = "cand@example.com") -> int:
    with db.write() as session:
        candidate = Candidate(full_name="Test Candidate", email=email)
        session.add(candidate)
        session.flush()
        interview = Interview(
            candidate_id=candidate.id,
            title="Proctoring test",
            interview_type=InterviewType.TECHNICAL,
            difficulty=Difficulty.EASY,
        )
        session.add(interview)
        session.flush()
        return interview.id
