"""Small row factories for the evaluation service tests (models used directly)."""

from __future__ import annotations

from core.db.engine import Database
from core.db.models import Candidate, Interview, InterviewQuestion, InterviewResponse, User
from core.domain import (
    CodingLanguage,
    Difficulty,
    InterviewType,
    QuestionType,
    ResponseStatus,
    Role,
)


def make_candidate(db: Database, email: str = "ada@example.com") -> int:
    with db.write() as session:
        candidate = Candidate(full_name="Ada Lovelace", email=email)
        session.add(candidate)
        session.flush()
        return candidate.id


def make_user(db: Database, email: str = "rita@example.com") -> int:
    with db.write() as session:
        user = User(email=email, full_name="Rita Recruiter", role=Role.RECRUITER, password_hash="x")
        session.add(user)
        session.flush()
        return user.id


def make_interview(
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
