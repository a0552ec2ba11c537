"""The LLM engine with the real openai client against our scripted server on loopback."""

from __future__ import annotations

import pytest

from core.interviewer.ai.llm import FALLBACK_ENGINE, LLMEvaluator
from core.interviewer.ai.offline import OfflineEvaluator
from core.interviewer.ai.prompts import PROMPT_VERSION
from core.interviewer.ai.types import AnswerInput, QuestionSpec
from tests.support.evaluation import GOOD_GRADE, make_client
from tests.support.fake_openai_server import Reply, Stall, Status, fake_openai

QUESTION = QuestionSpec(
    text="What is the difference between INNER JOIN and LEFT JOIN?",
    expected_answer="INNER JOIN returns only matching rows; LEFT JOIN keeps every left row "
    "and fills NULLs where the right side has no match.",
    criteria=("INNER JOIN returns only matching rows", "LEFT JOIN keeps all left rows"),
)
ANSWER = AnswerInput(
    "An inner join returns only rows that match in both tables, while a left join keeps all "
    "rows of the left table and puts NULL where nothing matches."
)


def test_structured_answer_is_used(lexical_evaluator: OfflineEvaluator) -> None:
    with fake_openai([Reply(GOOD_GRADE)]) as server:
        engine = LLMEvaluator(make_client(server.base_url), lexical_evaluator)
        result = engine.evaluate(QUESTION, ANSWER)
    assert result.engine == "llm"
    assert result.score == 8.5
    assert result.model == "fake-model"
    assert result.prompt_version == PROMPT_VERSION
    assert result.criteria_covered == QUESTION.criteria
    assert result.metrics.technical_accuracy == 9
    assert len(result.rubric_hash) == 64
    assert server.requests[0]["model"] == "fake-model"
    assert server.requests[0]["temperature"] == 0


def test_json_inside_a_code_fence_is_accepted(lexical_evaluator: OfflineEvaluator) -> None:
    import json

    fenced = "Here you go:\n```json\n" + json.dumps(GOOD_GRADE) + "\n```"
    with fake_openai([Reply(fenced)]) as server:
        result = LLMEvaluator(make_client(server.base_url), lexical_evaluator).evaluate(
            QUESTION, ANSWER
        )
    assert (result.engine, result.score) == ("llm", 8.5)


@pytest.mark.parametrize(
    "bad_reply",
    [
        "I think this deserves an 8.",  # no JSON at all
        '{"score": 8.5, "metrics": ',  # truncated JSON
        {"score": 14, "metrics": GOOD_GRADE["metrics"], "feedback": "x"},  # out of range
        {"feedback": "missing score"},  # missing fields
    ],
)
def test_malformed_json_after_retries_falls_back(
    lexical_evaluator: OfflineEvaluator, bad_reply: object
) -> None:
    with fake_openai([Reply(bad_reply)]) as server:  # type: ignore[arg-type]
        engine = LLMEvaluator(make_client(server.base_url, json_attempts=2), lexical_evaluator)
        result = engine.evaluate(QUESTION, ANSWER)
    offline = lexical_evaluator.evaluate(QUESTION, ANSWER)
    assert len(server.requests) == 2  # asked again once, then gave up
    assert result.engine == FALLBACK_ENGINE
    assert result.needs_review is True
    assert result.score == offline.score  # the real offline score, never a placeholder
    assert any("LLM unavailable" in r for r in result.review_reasons)


def test_rate_limited_then_success(lexical_evaluator: OfflineEvaluator) -> None:
    script = [Status(429, {"retry-after-ms": "20"}), Reply(GOOD_GRADE)]
    with fake_openai(script) as server:
        result = LLMEvaluator(make_client(server.base_url), lexical_evaluator).evaluate(
            QUESTION, ANSWER
        )
    assert len(server.requests) == 2
    assert (result.engine, result.score, result.needs_review) == ("llm", 8.5, False)


def test_server_error_after_retries_falls_back(lexical_evaluator: OfflineEvaluator) -> None:
    with fake_openai([Status(500, {"retry-after-ms": "10"})]) as server:
        engine = LLMEvaluator(make_client(server.base_url, max_retries=2), lexical_evaluator)
        result = engine.evaluate(QUESTION, ANSWER)
    assert len(server.requests) == 3  # first try + two retries with back-off
    assert result.engine == FALLBACK_ENGINE
    assert result.needs_review is True
    assert any("HTTP 500" in r for r in result.review_reasons)


def test_client_error_is_not_retried_and_falls_back(lexical_evaluator: OfflineEvaluator) -> None:
    with fake_openai([Status(401)]) as server:
        result = LLMEvaluator(make_client(server.base_url), lexical_evaluator).evaluate(
            QUESTION, ANSWER
        )
    assert len(server.requests) == 1
    assert result.engine == FALLBACK_ENGINE


def test_timeout_falls_back(lexical_evaluator: OfflineEvaluator) -> None:
    with fake_openai([Stall(3.0, Reply(GOOD_GRADE))]) as server:
        client = make_client(server.base_url, timeout_seconds=0.3, max_retries=0)
        result = LLMEvaluator(client, lexical_evaluator).evaluate(QUESTION, ANSWER)
    assert result.engine == FALLBACK_ENGINE
    assert result.needs_review is True
    assert any("timed out" in r for r in result.review_reasons)


def test_unreachable_server_falls_back(lexical_evaluator: OfflineEvaluator) -> None:
    with fake_openai([Reply(GOOD_GRADE)]) as server:
        url = server.base_url
    client = make_client(url, max_retries=0, timeout_seconds=1.0)  # server is gone now
    result = LLMEvaluator(client, lexical_evaluator).evaluate(QUESTION, ANSWER)
    assert result.engine == FALLBACK_ENGINE


def test_disagreement_with_offline_engine_asks_for_review(
    lexical_evaluator: OfflineEvaluator,
) -> None:
    generous = dict(GOOD_GRADE, score=10.0)
    off_topic = AnswerInput("I like to cook pasta and go hiking at the weekend.")
    with fake_openai([Reply(generous)]) as server:
        result = LLMEvaluator(make_client(server.base_url), lexical_evaluator).evaluate(
            QUESTION, off_topic
        )
    assert result.engine == "llm"
    assert result.needs_review is True
    assert "LLM and offline engine disagree" in result.review_reasons


def test_empty_answer_does_not_call_the_model(lexical_evaluator: OfflineEvaluator) -> None:
    with fake_openai([Reply(GOOD_GRADE)]) as server:
        result = LLMEvaluator(make_client(server.base_url), lexical_evaluator).evaluate(
            QUESTION, AnswerInput("   ")
        )
    assert server.requests == []
    assert result.score == 0.0
