"""Keyword stuffing never outscores a real answer, and is flagged for a person to look at.

Table-driven over the demo templates' own questions (their expected answers stand for a real
answer), with both offline engines: a list of the expected answer's and criteria's keywords
and one sentence repeated are flagged and score below the real answer; the real answer is not
flagged for stuffing. Then once through the product's path (``evaluate_response``), where the
flag and the reason are stored.
"""

from __future__ import annotations

from typing import Any

import pytest

from core import seed_content
from core.db.engine import Database
from core.db.models import InterviewResponse
from core.domain import QuestionType
from core.interviewer.ai.offline import OfflineEvaluator
from core.interviewer.ai.similarity import LexicalBackend
from core.interviewer.ai.stuffing import guard_against_stuffing, stuffing_reasons
from core.interviewer.ai.text_features import STOPWORDS, sentences, tokenize
from core.interviewer.ai.types import AnswerInput, QuestionSpec
from core.interviewer.evaluation import evaluate_response
from tests.support.factories import (
    add_question,
    add_response,
    make_eval_candidate,
    make_eval_interview,
)

DEMO = [
    q
    for name, value in vars(seed_content).items()
    if name.endswith("_QUESTIONS") and isinstance(value, list)
    for q in value
    if q["question_type"] in ("technical", "system_design") and q["expected_answer"]
]


def _keywords(question: dict[str, Any]) -> str:
    text = " ".join([str(question["expected_answer"]), *_criteria(question)])
    seen: dict[str, None] = {}
    for token in tokenize(text):
        if token not in STOPWORDS and len(token) > 2:
            seen.setdefault(token, None)
    return " ".join(seen)


def _repeated(question: dict[str, Any]) -> str:
    return " ".join([sentences(str(question["expected_answer"]))[0]] * 8)


def _criteria(question: dict[str, Any]) -> tuple[str, ...]:
    return tuple(str(c) for c in question["evaluation_criteria"])


def _spec(question: dict[str, Any]) -> QuestionSpec:
    return QuestionSpec(
        text=str(question["question_text"]),
        question_type=QuestionType(question["question_type"]),
        expected_answer=str(question["expected_answer"]),
        criteria=_criteria(question),
    )


@pytest.fixture(params=["lexical", "embedding"])
def engine(request: pytest.FixtureRequest) -> OfflineEvaluator:
    if request.param == "lexical":
        return OfflineEvaluator(LexicalBackend())
    evaluator: OfflineEvaluator = request.getfixturevalue("embedding_evaluator")
    return evaluator


def test_the_demo_questions_are_there() -> None:
    assert len(DEMO) >= 8


@pytest.mark.parametrize("question", DEMO, ids=[str(q["question_text"])[:40] for q in DEMO])
def test_stuffing_scores_below_the_real_answer(
    engine: OfflineEvaluator, question: dict[str, Any]
) -> None:
    spec = _spec(question)

    def judged(text: str) -> tuple[float, bool, tuple[str, ...]]:
        result = guard_against_stuffing(engine.evaluate(spec, AnswerInput(text)), text)
        return result.score, result.needs_review, result.review_reasons

    real_score, _, real_reasons = judged(str(question["expected_answer"]))
    assert not stuffing_reasons(str(question["expected_answer"])), real_reasons
    for stuffed in (_keywords(question), _repeated(question)):
        score, review, reasons = judged(stuffed)
        assert review and stuffing_reasons(stuffed), stuffed
        assert score < real_score, (stuffed, score, real_score, reasons)


def test_the_flag_and_reason_are_stored(db: Database) -> None:
    question = DEMO[0]
    interview = make_eval_interview(db, make_eval_candidate(db))
    qid = add_question(
        db,
        interview,
        1,
        text=str(question["question_text"]),
        expected=str(question["expected_answer"]),
        criteria=_criteria(question),
    )
    rid = add_response(db, interview, qid, _keywords(question))
    stored = evaluate_response(db, OfflineEvaluator(LexicalBackend()), rid)
    assert stored.needs_review
    with db.read() as s:
        row = s.get(InterviewResponse, rid)
        assert row is not None and row.needs_review
        reasons = row.evaluation_metrics["review_reasons"]
        assert any("keywords" in r for r in reasons), reasons
