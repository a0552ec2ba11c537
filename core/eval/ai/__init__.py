"""The AI interviewer: answer evaluation (LLM or offline), question generation,
follow-ups and clarifications, and overall feedback. See docs/evaluator.md."""

from __future__ import annotations

from core.eval.ai.conversation import Interviewer, InterviewerMessage
from core.eval.ai.factory import build_evaluator, build_llm_client, build_offline_evaluator
from core.eval.ai.feedback import OverallFeedback, QuestionOutcome, aggregate
from core.eval.ai.questions import GeneratedQuestion, QuestionGenerator
from core.eval.ai.types import (
    AnswerInput,
    CodeTestResult,
    EvaluationResult,
    Evaluator,
    Metrics,
    QuestionSpec,
)

__all__ = [
    "AnswerInput",
    "CodeTestResult",
    "EvaluationResult",
    "Evaluator",
    "GeneratedQuestion",
    "Interviewer",
    "InterviewerMessage",
    "Metrics",
    "OverallFeedback",
    "QuestionGenerator",
    "QuestionOutcome",
    "QuestionSpec",
    "aggregate",
    "build_evaluator",
    "build_llm_client",
    "build_offline_evaluator",
]
