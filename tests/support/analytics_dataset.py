"""A hand-built dataset whose every analytics figure is known (see the expectations in tests).

NOW = Tue 2026-03-10 12:00 UTC. Interviews (not practice unless said):
  I1 T1/job A technical medium, completed Mon 03-02 10:00-10:30, answers 8 and 6 -> 70%,
     decision advance; events: phone (critical) x2, could_not_tell (info) x1.
  I2 T1/job A, completed Tue 03-03 10:05-10:50, answers 4 and 5 overridden to 3 -> 35%.
  I3 T2/job B coding hard, completed Mon 03-09 09:00-10:00, answers 3 and a skip -> 30%,
     one review comment; event no_person (warning); Python: run accepted, submit wrong
     answer 3/8, submit accepted 8/8.
  I4 T2/job B no-show (scheduled Thu 03-05, never started, status expired).
  I5 T1/job A upcoming (scheduled 03-20).
  I6 T2/job B cancelled (scheduled Wed 03-04).
  I7 T1/job A started Fri 03-06 10:00, abandoned; a draft answer; event book (warning);
     Java: submit compile error 0/8.
  I8 T1 practice, completed with 10/10 and 5 phone events: excluded from everything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from core.db.engine import Database
from core.db.models import (
    Candidate,
    CodeSubmission,
    Interview,
    InterviewQuestion,
    InterviewResponse,
    InterviewTemplate,
    Job,
    ProctorEvent,
    ReviewComment,
)
from core.domain import (
    CodingLanguage,
    Decision,
    Difficulty,
    InterviewStatus,
    InterviewType,
    ProctorEventKind,
    QuestionType,
    ResponseStatus,
    Severity,
    SubmissionKind,
)

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


@dataclass(frozen=True)
class SmallDataset:
    job_a: int
    job_b: int
    t1: int
    t2: int
    interviews: dict[str, int]
    responses: dict[str, int]  # "I2q2" -> id


def build(db: Database) -> SmallDataset:
    with db.write() as s:
        job_a = Job(title="Backend", company="A", coding_language=CodingLanguage.PYTHON)
        job_b = Job(title="Data", company="B", coding_language=CodingLanguage.JAVA)
        t1 = InterviewTemplate(
            title="T1", interview_type=InterviewType.TECHNICAL, difficulty=Difficulty.MEDIUM
        )
        t2 = InterviewTemplate(
            title="T2", interview_type=InterviewType.CODING, difficulty=Difficulty.HARD
        )
        cand = Candidate(full_name="Casey", email="casey@example.com")
        s.add_all([job_a, job_b, t1, t2, cand])
        s.flush()
        spec = {  # name: (template, job, status, scheduled, started, completed, practice)
            "I1": (t1, job_a, "completed", at(2, 10), at(2, 10), at(2, 10, 30), False),
            "I2": (t1, job_a, "completed", at(3, 10), at(3, 10, 5), at(3, 10, 50), False),
            "I3": (t2, job_b, "completed", at(9, 9), at(9, 9), at(9, 10), False),
            "I4": (t2, job_b, "expired", at(5, 10), None, None, False),
            "I5": (t1, job_a, "scheduled", at(20, 10), None, None, False),
            "I6": (t2, job_b, "cancelled", at(4, 10), None, None, False),
            "I7": (t1, job_a, "expired", at(6, 10), at(6, 10), None, False),
            "I8": (t1, job_a, "completed", at(2, 14), at(2, 14), at(2, 14, 20), True),
        }
        ids: dict[str, int] = {}
        rows: dict[str, Interview] = {}
        for name, (tpl, job, status, sched, start, done, practice) in spec.items():
            row = Interview(
                candidate_id=cand.id,
                job_id=job.id,
                template_id=tpl.id,
                title=name,
                interview_type=tpl.interview_type,
                difficulty=tpl.difficulty,
                status=InterviewStatus(status),
                scheduled_at=sched,
                started_at=start,
                completed_at=done,
                is_practice=practice,
                created_at=sched - timedelta(days=1),
            )
            s.add(row)
            rows[name] = row
        rows["I1"].decision = Decision.ADVANCE
        s.flush()
        ids = {name: row.id for name, row in rows.items()}
        answers = {  # name: [(bank id, type, score, override, status)]
            "I1": [
                ("b1", "technical", 8.0, None, "submitted"),
                ("b2", "technical", 6.0, None, "submitted"),
            ],
            "I2": [
                ("b1", "technical", 4.0, None, "submitted"),
                ("b2", "technical", 5.0, 3.0, "submitted"),
            ],
            "I3": [
                ("b3", "coding", 3.0, None, "submitted"),
                ("b4", "coding", None, None, "skipped"),
            ],
            "I7": [("b5", "coding", None, None, "draft")],
            "I8": [("b1", "technical", 10.0, None, "submitted")],
        }
        questions: dict[str, int] = {}
        responses: dict[str, int] = {}
        for name, items in answers.items():
            for order, (bank, qtype, score, override, status) in enumerate(items, start=1):
                q = InterviewQuestion(
                    interview_id=ids[name],
                    order=order,
                    question_text=f"Question {bank}",
                    question_type=QuestionType(qtype),
                    difficulty=Difficulty.MEDIUM,
                    bank_id=bank,
                )
                s.add(q)
                s.flush()
                r = InterviewResponse(
                    interview_id=ids[name],
                    question_id=q.id,
                    status=ResponseStatus(status),
                    score=score,
                    override_score=override,
                    override_at=NOW - timedelta(days=1) if override is not None else None,
                )
                s.add(r)
                s.flush()
                questions[f"{name}q{order}"] = q.id
                responses[f"{name}q{order}"] = r.id
        events = [
            ("I1", ProctorEventKind.PHONE, Severity.CRITICAL, at(2, 10, 5)),
            ("I1", ProctorEventKind.PHONE, Severity.CRITICAL, at(2, 10, 15)),
            ("I1", ProctorEventKind.COULD_NOT_TELL, Severity.INFO, at(2, 10, 20)),
            ("I3", ProctorEventKind.NO_PERSON, Severity.WARNING, at(9, 9, 10)),
            ("I7", ProctorEventKind.BOOK, Severity.WARNING, at(6, 10, 3)),
            *[("I8", ProctorEventKind.PHONE, Severity.CRITICAL, at(2, 14, 1))] * 5,
        ]
        for name, kind, severity, when in events:
            s.add(
                ProctorEvent(interview_id=ids[name], kind=kind, severity=severity, started_at=when)
            )
        subs = [
            ("I3q1", SubmissionKind.RUN, CodingLanguage.PYTHON, "accepted", 3, 3, at(9, 9, 20)),
            (
                "I3q1",
                SubmissionKind.SUBMIT,
                CodingLanguage.PYTHON,
                "wrong_answer",
                3,
                8,
                at(9, 9, 25),
            ),
            ("I3q1", SubmissionKind.SUBMIT, CodingLanguage.PYTHON, "accepted", 8, 8, at(9, 9, 30)),
            (
                "I7q1",
                SubmissionKind.SUBMIT,
                CodingLanguage.JAVA,
                "compile_error",
                0,
                8,
                at(6, 10, 10),
            ),
        ]
        for key, kind, lang, verdict, passed, total, when in subs:
            s.add(
                CodeSubmission(
                    interview_id=ids[key[:2]],
                    question_id=questions[key],
                    kind=kind,
                    language=lang,
                    code="x",
                    verdict=verdict,
                    tests_passed=passed,
                    tests_total=total,
                    submitted_at=when,
                )
            )
        s.add(ReviewComment(interview_id=ids["I3"], body="Solid."))
    return SmallDataset(job_a.id, job_b.id, t1.id, t2.id, ids, responses)
