"""Evaluator test helpers: an LLM client for the scripted server, canned questions and grades."""

from __future__ import annotations

from core.interviewer.ai.llm_client import ChatJsonClient, LLMConfig
from core.interviewer.ai.types import EvaluationResult, Metrics, QuestionSpec

# A well-formed grade for the INNER/LEFT JOIN question, as the LLM would return it.
GOOD_GRADE = {
    "score": 8.5,
    "metrics": {"clarity": 9, "relevance": 9, "depth": 7, "technical_accuracy": 9},
    "feedback": "Correct and clear.",
    "criteria_covered": ["INNER JOIN returns only matching rows", "LEFT JOIN keeps all left rows"],
    "criteria_missed": [],
    "confidence": 0.9,
}

# A question with follow-ups and notes, and an offline result that missed one criterion.
HASHMAP_QUESTION = QuestionSpec(
    text="Explain how a HashMap works in Java.",
    expected_answer="Buckets chosen by hashCode, equals within a bucket, resizing at load factor.",
    criteria=("hashCode selects a bucket", "resizing at the load factor"),
    follow_ups=(
        "What happens if a key's hashCode changes after insertion?",
        "When does the map resize and what does the load factor control?",
    ),
    notes="Assume Java 8 or later; thread safety is out of scope.",
)
HASHMAP_HALF_RESULT = EvaluationResult(
    score=5.0,
    metrics=Metrics(5, 5, 5, 5),
    feedback="",
    criteria_covered=(),
    criteria_missed=("resizing at the load factor",),
    needs_review=False,
    review_reasons=(),
    engine="offline-lexical",
    model="lexical-v1",
    prompt_version="offline-v1",
    rubric_hash="x",
)


def make_client(base_url: str, **overrides: object) -> ChatJsonClient:
    values: dict[str, object] = {
        "base_url": base_url,
        "api_key": "test-key",
        "model": "fake-model",
        "timeout_seconds": 5.0,
        "max_retries": 2,
        "json_attempts": 2,
    }
    values.update(overrides)
    return ChatJsonClient(LLMConfig(**values))  # type: ignore[arg-type]
