"""core.interviewer.evaluation on a real migrated SQLite database (offline lexical engine)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.clock import FixedClock
from core.db.engine import Database
from core.db.models import (
    AuditLog,
    ChatMessage,
    CodeSubmission,
    Evaluation,
    Interview,
    InterviewQuestion,
    InterviewResponse,
)
from core.domain import (
    ChatRole,
    CodingLanguage,
    InterviewType,
    QuestionType,
    ResponseStatus,
    SubmissionKind,
)
from core.interview import follow_ups
from core.interviewer import conversation
from core.interviewer import evaluation as svc
from core.interviewer.ai.conversation import Interviewer
from core.interviewer.ai.offline import OfflineEvaluator
from core.interviewer.ai.questions import QuestionGenerator
from tests.support.factories import add_question, add_response
from tests.support.factories import make_eval_candidate as make_candidate
from tests.support.factories import make_eval_interview as make_interview
from tests.support.factories import make_eval_user as make_user

GOOD = (
    "An inner join returns only the rows that match in both tables. A left join keeps all rows "
    "of the left table and fills NULLs where the right table has no match."
)
WEAK = "Joins combine two databases on the server."


@pytest.fixture
def interview(db: Database) -> int:
    return make_interview(db, make_candidate(db))


def test_evaluate_stores_score_and_audit_fields(
    db: Database, interview: int, lexical_evaluator: OfflineEvaluator
) -> None:
    qid = add_question(db, interview, 1)
    rid = add_response(db, interview, qid, GOOD)
    stored = svc.evaluate_response(db, lexical_evaluator, rid)
    with db.read() as session:
        row = session.get(InterviewResponse, rid)
        assert row is not None
        assert row.is_evaluated and row.score == stored.score
        assert row.evaluator_kind == "offline-lexical"
        assert row.evaluator_model == "lexical-v1"
        assert row.prompt_version == "offline-v1"
        assert len(row.rubric_hash) == 64
        assert set(row.evaluation_metrics) >= {"clarity", "depth", "criteria_missed"}
        assert "Covered:" in row.ai_feedback
    again = svc.evaluate_response(db, lexical_evaluator, rid)
    assert again == stored  # idempotent, and reproducible offline
    assert svc.reevaluate_response(db, lexical_evaluator, rid).score == stored.score


def test_draft_or_missing_response_is_refused(
    db: Database, interview: int, lexical_evaluator: OfflineEvaluator
) -> None:
    qid = add_question(db, interview, 1)
    rid = add_response(db, interview, qid, GOOD, status=ResponseStatus.DRAFT)
    with pytest.raises(svc.EvaluationError, match="not submitted"):
        svc.evaluate_response(db, lexical_evaluator, rid)
    with pytest.raises(svc.EvaluationError, match="does not exist"):
        svc.evaluate_response(db, lexical_evaluator, 9999)


def test_coding_response_uses_the_latest_submit(
    db: Database, interview: int, lexical_evaluator: OfflineEvaluator
) -> None:
    qid = add_question(
        db,
        interview,
        1,
        text="Write two_sum and explain it.",
        question_type=QuestionType.CODING,
        expected="Use a hash map of seen values and check the complement; O(n).",
        criteria=("hash map of seen values", "O(n) time"),
    )
    rid = add_response(
        db,
        interview,
        qid,
        "A hash map of seen values gives O(n) time.",
        code="def two_sum(nums, target):\n    return []",
    )
    with db.write() as session:
        for passed in (2, 10):
            session.add(
                CodeSubmission(
                    interview_id=interview,
                    question_id=qid,
                    kind=SubmissionKind.SUBMIT,
                    language=CodingLanguage.PYTHON,
                    code="...",
                    tests_passed=passed,
                    tests_total=10,
                )
            )
    stored = svc.evaluate_response(db, lexical_evaluator, rid)
    assert stored.metrics["signals"]["tests_fraction"] == 1.0  # type: ignore[index]
    assert "Tests passed: 10/10." in stored.feedback


def test_override_is_stored_beside_the_ai_score(
    db: Database, interview: int, lexical_evaluator: OfflineEvaluator
) -> None:
    qid = add_question(db, interview, 1)
    rid = add_response(db, interview, qid, WEAK)
    ai = svc.evaluate_response(db, lexical_evaluator, rid)
    user = make_user(db)
    clock = FixedClock()
    override = svc.override_score(db, rid, 7.5, "Answer was verbal and correct", user, clock)
    assert (override.ai_score, override.override_score, override.at) == (ai.score, 7.5, clock.now())
    with db.read() as session:
        row = session.get(InterviewResponse, rid)
        assert row is not None and row.score == ai.score and row.override_score == 7.5
        audit = session.scalars(select(AuditLog)).one()
        assert (audit.action, audit.entity_id, audit.actor_id) == ("score_override", rid, user)
    # Re-evaluation never touches the human score.
    svc.reevaluate_response(db, lexical_evaluator, rid)
    with db.read() as session:
        assert session.get(InterviewResponse, rid).override_score == 7.5  # type: ignore[union-attr]
    for bad_score, reason in [(11.0, "x"), (-1.0, "x"), (5.0, "  ")]:
        with pytest.raises(svc.EvaluationError):
            svc.override_score(db, rid, bad_score, reason, user)


def test_complete_interview_builds_evaluation_and_totals(
    db: Database, interview: int, lexical_evaluator: OfflineEvaluator
) -> None:
    q1, q2, q3 = (add_question(db, interview, n) for n in (1, 2, 3))
    r1 = add_response(db, interview, q1, GOOD)
    r2 = add_response(db, interview, q2, WEAK)
    add_response(db, interview, q3, "", status=ResponseStatus.SKIPPED)
    summary = svc.complete_interview_evaluation(db, interview, lexical_evaluator)
    with db.read() as session:
        s1 = session.get(InterviewResponse, r1).score  # type: ignore[union-attr]
        s2 = session.get(InterviewResponse, r2).score  # type: ignore[union-attr]
        row = session.scalars(select(Evaluation).where(Evaluation.interview_id == interview)).one()
        iv = session.get(Interview, interview)
    assert summary.total_score == pytest.approx(round(s1 + s2, 2))
    assert (summary.max_score, row.max_score) == (30.0, 30.0)
    assert iv is not None and iv.total_score == summary.total_score
    assert iv.percentage == summary.percentage
    assert any(w.startswith("Q3: not answered") for w in row.weaknesses)
    assert all(item[:2] in {"Q1", "Q2", "Q3"} for item in row.strengths + row.weaknesses)
    assert row.evaluator_versions["engines"] == {"offline-lexical": 2}
    assert row.evaluator_versions["questions"]["Q1"]["rubric_hash"]
    # A human override changes the totals on rebuild but the AI total stays visible.
    svc.override_score(db, r2, 9.0, "strong verbal answer", None)
    rebuilt = svc.complete_interview_evaluation(db, interview)
    assert rebuilt.evaluation_id == summary.evaluation_id
    assert rebuilt.total_score == pytest.approx(round(s1 + 9.0, 2))
    assert rebuilt.ai_total_score == pytest.approx(round(s1 + s2, 2))


def test_follow_up_and_clarification_are_stored_as_chat(
    db: Database, interview: int, lexical_evaluator: OfflineEvaluator
) -> None:
    qid = add_question(db, interview, 1)
    rid = add_response(db, interview, qid, "An inner join returns only matching rows.")
    svc.evaluate_response(db, lexical_evaluator, rid)
    clock = FixedClock()
    follow = follow_ups.ask_next(db, Interviewer(), qid, now=clock.now())
    assert follow is not None and follow.round == 1
    asked, reply = conversation.answer_clarification(
        db, Interviewer(), qid, "Which database?", clock
    )
    assert asked.role == ChatRole.CANDIDATE and reply.role == ChatRole.INTERVIEWER
    assert "PostgreSQL" in reply.content
    with db.read() as session:
        rows = list(session.scalars(select(ChatMessage).order_by(ChatMessage.id)))
    assert [m.role for m in rows] == [
        ChatRole.INTERVIEWER,
        ChatRole.CANDIDATE,
        ChatRole.INTERVIEWER,
    ]
    with pytest.raises(svc.EvaluationError, match="empty"):
        conversation.answer_clarification(db, Interviewer(), qid, "   ")
    with pytest.raises(svc.EvaluationError, match="longer than"):
        conversation.answer_clarification(db, Interviewer(), qid, "x" * 5000)


def test_generated_questions_never_repeat_for_a_candidate(db: Database) -> None:
    candidate = make_candidate(db)
    generator = QuestionGenerator()
    seen: set[str] = set()
    for _ in range(3):
        interview = make_interview(db, candidate, total_questions=4)
        created = conversation.generate_interview_questions(db, generator, interview)
        assert [q.order for q in created] == [1, 2, 3, 4]
        ids = {q.bank_id for q in created}
        assert None not in ids and not ids & seen  # type: ignore[operator]
        seen |= ids  # type: ignore[arg-type]
        # Idempotent: a second call returns the same rows.
        assert conversation.generate_interview_questions(db, generator, interview) == created
    with db.read() as session:
        row = session.scalars(select(InterviewQuestion)).first()
        assert row is not None and row.expected_answer and row.evaluation_criteria


def test_same_inputs_give_same_questions_for_another_candidate_only_by_seed(db: Database) -> None:
    first = make_interview(
        db, make_candidate(db, "a@example.com"), interview_type=InterviewType.BEHAVIORAL
    )
    second = make_interview(
        db, make_candidate(db, "b@example.com"), interview_type=InterviewType.BEHAVIORAL
    )
    generator = QuestionGenerator()
    a = conversation.generate_interview_questions(db, generator, first)
    b = conversation.generate_interview_questions(db, generator, second)
    assert all(q.question_type in (QuestionType.BEHAVIORAL, QuestionType.HR) for q in a + b)
    assert len({q.bank_id for q in a}) == 3


def test_runner_score_share_is_read_on_the_evaluators_scale(
    db: Database, interview: int, lexical_evaluator: OfflineEvaluator
) -> None:
    """The runner stores the weighted share of passed tests (0-1), not a 0-10 score."""
    qid = add_question(db, interview, 1, question_type=QuestionType.CODING)
    rid = add_response(db, interview, qid, "Sort, then sweep.", code="def f(x):\n    return x")
    with db.write() as session:
        session.add(
            CodeSubmission(
                interview_id=interview,
                question_id=qid,
                kind=SubmissionKind.SUBMIT,
                language=CodingLanguage.PYTHON,
                code="...",
                tests_passed=3,
                tests_total=4,
                score=0.75,
            )
        )
    stored = svc.evaluate_response(db, lexical_evaluator, rid)
    assert stored.metrics["signals"]["tests_fraction"] == 0.75  # type: ignore[index]
