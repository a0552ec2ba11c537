"""The LLM engine: grades with a chat model, validated; falls back to the offline engine."""

from __future__ import annotations

import dataclasses
import logging

from pydantic import BaseModel, ConfigDict, Field, field_validator

from core.interviewer.ai import prompts, scoring
from core.interviewer.ai.llm_client import ChatJsonClient, LLMUnavailable
from core.interviewer.ai.types import (
    AnswerInput,
    EvaluationResult,
    Evaluator,
    Metrics,
    QuestionSpec,
)

logger = logging.getLogger(__name__)

FALLBACK_ENGINE = "offline-fallback"


class _LLMMetrics(BaseModel):
    model_config = ConfigDict(extra="ignore")
    clarity: float = Field(ge=0, le=10)
    relevance: float = Field(ge=0, le=10)
    depth: float = Field(ge=0, le=10)
    technical_accuracy: float = Field(ge=0, le=10)


class LLMGrade(BaseModel):
    """The JSON object the model must return."""

    model_config = ConfigDict(extra="ignore")
    score: float = Field(ge=0, le=10)
    metrics: _LLMMetrics
    feedback: str = Field(min_length=1, max_length=4000)
    criteria_covered: list[str] = Field(default_factory=list)
    criteria_missed: list[str] = Field(default_factory=list)
    confidence: float = Field(default=1.0, ge=0, le=1)

    @field_validator("confidence", mode="before")
    @classmethod
    def _share(cls, value: object) -> object:
        """Small models often state confidence out of 10 or 100: read it as a share."""
        if isinstance(value, int | float) and 1 < value <= 100:
            return value / (10 if value <= 10 else 100)
        return value


def _known(names: list[str], criteria: tuple[str, ...]) -> tuple[str, ...]:
    """Keep only criteria that exist in the rubric (case-insensitive), in rubric order."""
    wanted = {n.strip().lower() for n in names}
    return tuple(c for c in criteria if c.strip().lower() in wanted)


class LLMEvaluator:
    """Grades with the model; cross-checks with the offline engine; never raises.

    On any model failure the offline result is returned with engine ``offline-fallback`` and
    ``needs_review=True`` so that a later re-evaluation can replace it.
    """

    LOW_CONFIDENCE = 0.5

    def __init__(self, client: ChatJsonClient, offline: Evaluator) -> None:
        self._client = client
        self._offline = offline

    @property
    def name(self) -> str:
        return "llm"

    @property
    def offline(self) -> Evaluator:
        """The engine beside the model (cross-check, fallback, provisional scores)."""
        return self._offline

    def evaluate(self, question: QuestionSpec, answer: AnswerInput) -> EvaluationResult:
        offline = self._offline.evaluate(question, answer)
        if not (answer.text.strip() or answer.code.strip()):
            return offline  # nothing to ask a model about: an empty answer scores 0
        if not question.ai_allowed:
            return offline  # the interview was set up without the LLM (use_ai off)
        messages, _fence = prompts.evaluation_messages(question, answer)
        try:
            grade = self._client.complete(messages, LLMGrade)
        except LLMUnavailable as exc:
            logger.warning("LLM evaluation failed, using the offline engine: %s", exc)
            return dataclasses.replace(
                offline,
                engine=FALLBACK_ENGINE,
                needs_review=True,
                review_reasons=(*offline.review_reasons, f"LLM unavailable: {exc}"),
            )
        reasons = [r for r in offline.review_reasons if "disagree" not in r]
        if abs(grade.score - offline.score) > scoring.DISAGREEMENT_POINTS:
            reasons.append("LLM and offline engine disagree")
        if grade.confidence < self.LOW_CONFIDENCE:
            reasons.append(f"LLM confidence low ({grade.confidence:.2f})")
        covered = _known(grade.criteria_covered, question.criteria)
        missed = tuple(c for c in question.criteria if c not in covered)
        m = grade.metrics
        return EvaluationResult(
            score=round(grade.score, 2),
            metrics=Metrics(
                clarity=round(m.clarity, 2),
                relevance=round(m.relevance, 2),
                depth=round(m.depth, 2),
                technical_accuracy=round(m.technical_accuracy, 2),
            ),
            feedback=grade.feedback.strip(),
            criteria_covered=covered,
            criteria_missed=missed,
            needs_review=bool(reasons),
            review_reasons=tuple(reasons),
            engine=self.name,
            model=self._client.config.model,
            prompt_version=prompts.PROMPT_VERSION,
            rubric_hash=offline.rubric_hash,
            signals={**offline.signals, "offline_score": offline.score},
        )
