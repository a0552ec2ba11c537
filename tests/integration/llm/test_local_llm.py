"""The LLM path against a real model: Qwen2.5-Coder-0.5B-Instruct (GGUF, checksum-verified by
fetch-test-llm) served by the local backend (llama.cpp in-process, on loopback) and reached
through the real ``openai`` client. Few and short: the model writes a few tokens per second on
two cores. It is a test of the path (structured output, fallbacks, guards), not a quality bar.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from core.config import load_settings
from core.domain import Difficulty, QuestionType
from core.interviewer.ai import prompts
from core.interviewer.ai.conversation import Interviewer, _FollowUp, _Reply, reveals_answer
from core.interviewer.ai.factory import build_llm_client, build_offline_evaluator
from core.interviewer.ai.llm import LLMEvaluator
from core.interviewer.ai.llm_client import ChatJsonClient, LLMUnavailable
from core.interviewer.ai.questions import QuestionGenerator
from core.interviewer.ai.types import AnswerInput, QuestionSpec
from core.interviewer.question_bank import SelectionRequest
from tests.support.small_llm import small_llm_path

pytestmark = [pytest.mark.slow, pytest.mark.shared]

QUESTION = QuestionSpec(
    text="What is the difference between a list and a tuple in Python?",
    expected_answer="Lists are mutable: items can be added or changed. Tuples are immutable, "
    "so they are hashable when their items are and can be dictionary keys.",
    criteria=("lists are mutable", "tuples are immutable", "tuples can be dictionary keys"),
    notes="Assume Python 3.12.",
)
RIGHT = (
    "A list is mutable: you can append to it or change an item. A tuple is immutable, so a "
    "tuple of hashable items is hashable and can be used as a dictionary key."
)
# A 0.5B model grades wrong-but-fluent answers anywhere from 4 to 8 from run to run (measured);
# an answer with nothing in it is the wrong answer it reliably puts below a right one.
WRONG = "I don't know."


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChatJsonClient]:
    path = small_llm_path()
    settings = load_settings(
        data_dir=tmp_path_factory.mktemp("llm"),
        local_llm_model_path=str(path),
        local_llm_threads=1,
        local_llm_context=4096,
        local_llm_max_tokens=512,
    )
    made = build_llm_client(settings)
    assert made is not None and settings.llm_enabled
    yield made


def test_questions_are_written_from_the_job_and_resume(client: ChatJsonClient) -> None:
    request = SelectionRequest(
        job_role="Java Backend Developer",
        job_description="Payment services with Spring Boot and PostgreSQL.",
        required_skills=("Java", "Spring"),
        question_type=QuestionType.TECHNICAL,
        difficulty=Difficulty.MEDIUM,
        count=2,
        resume_text="Built Spring Boot services in Java 17; tuned PostgreSQL indexes.",
    )
    questions = QuestionGenerator(client).generate(request)
    assert len(questions) == 2
    written = [q for q in questions if q.is_ai_generated]
    assert written, "the model's reply did not validate: everything came from the bank"
    for q in written:
        assert len(q.text) >= 10 and q.expected_answer and q.criteria
    assert client.config.model == Path(small_llm_path()).stem  # the local alias answered


def test_a_follow_up_and_a_clarification(client: ChatJsonClient) -> None:
    missed = ("tuples can be dictionary keys",)
    # The schema-constrained reply validates as is …
    raw = client.complete(
        prompts.follow_up_messages(QUESTION, "Lists are mutable.", missed), _FollowUp
    )
    assert raw.follow_up is None or raw.follow_up.strip()
    reply = client.complete(
        prompts.clarification_messages(QUESTION, "Which Python version?"), _Reply
    )
    assert reply.reply.strip()
    # … and what the interviewer says is a question of its own, never the answer.
    offline = build_offline_evaluator(load_settings(), lexical_only=True)
    result = offline.evaluate(QUESTION, AnswerInput("Lists are mutable."))
    follow_up = Interviewer(client).follow_up(QUESTION, "Lists are mutable.", result)
    assert follow_up is not None and follow_up.text.strip() != QUESTION.text
    assert not reveals_answer(follow_up.text, QUESTION)
    said = Interviewer(client).clarify(QUESTION, "Which Python version should I assume?")
    assert said.text.strip() and not reveals_answer(said.text, QUESTION)


def test_a_wrong_answer_scores_below_a_right_one(client: ChatJsonClient) -> None:
    evaluator = LLMEvaluator(client, build_offline_evaluator(load_settings(), lexical_only=True))
    right = evaluator.evaluate(QUESTION, AnswerInput(RIGHT))
    wrong = evaluator.evaluate(QUESTION, AnswerInput(WRONG))
    print(f"right {right.score} ({right.engine}), wrong {wrong.score} ({wrong.engine})")
    assert right.engine == "llm" and wrong.engine == "llm"  # valid structured output both times
    assert wrong.score < right.score


def test_a_file_that_is_not_a_model_is_refused_and_scoring_falls_back(tmp_path: Path) -> None:
    fake = tmp_path / "model.gguf"
    fake.write_bytes(b"<html>not a model</html>")
    settings = load_settings(data_dir=tmp_path, local_llm_model_path=str(fake))
    broken = build_llm_client(settings)
    assert broken is not None
    with pytest.raises(LLMUnavailable, match="not a GGUF model file"):
        broken.complete([{"role": "user", "content": "hi"}], _Reply)
    result = LLMEvaluator(broken, build_offline_evaluator(settings, lexical_only=True)).evaluate(
        QUESTION, AnswerInput(RIGHT)
    )
    assert result.engine == "offline-fallback" and result.needs_review
