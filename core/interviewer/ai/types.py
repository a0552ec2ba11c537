"""Value types shared by every evaluator engine, the interviewer and the services.

Everything here is immutable and free of I/O so that scores can be reproduced and compared.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from core.domain import Difficulty, QuestionType

METRIC_NAMES: tuple[str, ...] = ("clarity", "relevance", "depth", "technical_accuracy")


@dataclass(frozen=True)
class QuestionSpec:
    """What an answer is judged against: the question, its expected answer and key points.

    ``reference_answers`` are further acceptable answers (an answer close to any one counts).
    ``notes`` are safe to share with the candidate (scope, assumptions), never the answer.
    """

    text: str
    expected_answer: str = ""
    criteria: tuple[str, ...] = ()
    question_type: QuestionType = QuestionType.TECHNICAL
    difficulty: Difficulty = Difficulty.MEDIUM
    follow_ups: tuple[str, ...] = ()
    notes: str = ""
    reference_answers: tuple[str, ...] = ()
    # The interview's ``use_ai``: False keeps every model call off this question (the offline
    # engine scores it; follow-ups and replies come from the question itself).
    ai_allowed: bool = True

    @property
    def all_references(self) -> tuple[str, ...]:
        refs = (self.expected_answer, *self.reference_answers)
        return tuple(r for r in refs if r.strip())


@dataclass(frozen=True)
class CodeTestResult:
    """A code runner's outcome, as plain numbers (the runner itself is another team's)."""

    passed: int
    total: int
    score: float | None = None  # 0-10 if the runner computed one; else passed/total is used

    def fraction(self) -> float:
        if self.score is not None:
            return min(max(self.score / 10.0, 0.0), 1.0)
        if self.total <= 0:
            return 0.0
        return min(max(self.passed / self.total, 0.0), 1.0)


@dataclass(frozen=True)
class AnswerInput:
    """One candidate answer: free text and, for coding questions, the code and its tests."""

    text: str
    code: str = ""
    code_result: CodeTestResult | None = None


@dataclass(frozen=True)
class Metrics:
    clarity: float
    relevance: float
    depth: float
    technical_accuracy: float

    def as_dict(self) -> dict[str, float]:
        return {name: getattr(self, name) for name in METRIC_NAMES}


@dataclass(frozen=True)
class EvaluationResult:
    """The same shape from every engine. ``score`` and metrics are 0-10."""

    score: float
    metrics: Metrics
    feedback: str
    criteria_covered: tuple[str, ...]
    criteria_missed: tuple[str, ...]
    needs_review: bool
    review_reasons: tuple[str, ...]
    engine: str  # "llm", "offline-embedding", "offline-lexical", "offline-fallback"
    model: str
    prompt_version: str
    rubric_hash: str
    signals: dict[str, float] = field(default_factory=dict)

    def metrics_record(self) -> dict[str, object]:
        """What is stored in ``InterviewResponse.evaluation_metrics``."""
        return {
            **self.metrics.as_dict(),
            "criteria_covered": list(self.criteria_covered),
            "criteria_missed": list(self.criteria_missed),
            "review_reasons": list(self.review_reasons),
            "signals": dict(self.signals),
        }


class Evaluator(Protocol):
    """Judges one answer. Implementations never raise for bad candidate text."""

    @property
    def name(self) -> str: ...

    def evaluate(self, question: QuestionSpec, answer: AnswerInput) -> EvaluationResult: ...
