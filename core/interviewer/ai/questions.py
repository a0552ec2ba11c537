"""Question generation: the LLM writes questions, or we select from our own bank.

Both return the same frozen ``GeneratedQuestion``. The LLM path validates the model's JSON and
falls back to the bank on any failure, so an interview always gets its questions.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from core.domain import Difficulty, QuestionType
from core.interviewer.ai import prompts
from core.interviewer.ai.llm_client import ChatJsonClient, LLMUnavailable
from core.interviewer.question_bank import (
    BankQuestion,
    QuestionBank,
    SelectionRequest,
    default_bank,
    select_questions,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class GeneratedQuestion:
    text: str
    question_type: QuestionType
    difficulty: Difficulty
    expected_answer: str
    criteria: tuple[str, ...]
    follow_ups: tuple[str, ...]
    notes: str
    duration_minutes: int
    bank_id: str | None
    is_ai_generated: bool


def from_bank(question: BankQuestion) -> GeneratedQuestion:
    return GeneratedQuestion(
        text=question.question,
        question_type=question.type,
        difficulty=question.difficulty,
        expected_answer=question.expected_answer,
        criteria=question.criteria,
        follow_ups=question.follow_ups,
        notes=question.notes,
        duration_minutes=question.duration_minutes,
        bank_id=question.id,
        is_ai_generated=False,
    )


class _LLMQuestion(BaseModel):
    model_config = ConfigDict(extra="ignore")
    question: str = Field(min_length=10, max_length=2000)
    expected_answer: str = Field(min_length=10, max_length=6000)
    criteria: list[str] = Field(min_length=1, max_length=10)
    follow_ups: list[str] = Field(default_factory=list, max_length=5)
    notes: str = ""
    duration_minutes: int = Field(default=5, ge=1, le=60)


class _LLMQuestions(BaseModel):
    model_config = ConfigDict(extra="ignore")
    questions: list[_LLMQuestion] = Field(min_length=1)


class QuestionGenerator:
    """Generates questions; uses the LLM client when given, else (or on failure) the bank.

    Runs on the caller's thread; an LLM call may block for the client's timeout.
    """

    def __init__(self, client: ChatJsonClient | None = None, bank: QuestionBank | None = None):
        self._client = client
        self._bank = bank

    @property
    def bank(self) -> QuestionBank:
        return self._bank or default_bank()

    def generate(
        self, request: SelectionRequest, exclude_bank_ids: Iterable[str] = ()
    ) -> list[GeneratedQuestion]:
        if self._client is not None:
            try:
                return self._from_llm(request)
            except LLMUnavailable as exc:
                logger.warning("LLM question generation failed, using the bank: %s", exc)
        chosen = select_questions(self.bank, request, exclude_bank_ids)
        return [from_bank(q) for q in chosen]

    def _from_llm(self, request: SelectionRequest) -> list[GeneratedQuestion]:
        assert self._client is not None
        messages = prompts.generation_messages(
            job_role=request.job_role,
            job_description=request.job_description,
            skills=request.required_skills,
            question_type=str(request.question_type),
            difficulty=str(request.difficulty),
            count=request.count,
        )
        reply = self._client.complete(messages, _LLMQuestions)
        if len(reply.questions) < request.count:
            raise LLMUnavailable(
                f"the model wrote {len(reply.questions)} questions, {request.count} were asked"
            )
        return [
            GeneratedQuestion(
                text=q.question.strip(),
                question_type=request.question_type,
                difficulty=request.difficulty,
                expected_answer=q.expected_answer.strip(),
                criteria=tuple(c.strip() for c in q.criteria if c.strip()),
                follow_ups=tuple(f.strip() for f in q.follow_ups if f.strip()),
                notes=q.notes.strip(),
                duration_minutes=q.duration_minutes,
                bank_id=None,
                is_ai_generated=True,
            )
            for q in reply.questions[: request.count]
        ]
