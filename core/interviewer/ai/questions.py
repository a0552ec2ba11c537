"""Question generation: the LLM writes questions, or we select from our own bank.

Both return the same frozen ``GeneratedQuestion``. The LLM path validates the model's JSON and
falls back to the bank on any failure, so an interview always gets its questions.
"""

from __future__ import annotations

import dataclasses
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
from core.interviewer.question_bank.relevance import LexicalRelevance, Relevance
from core.interviewer.question_bank.selection import SKILL_LABELS, wanted_skills

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

    Bank questions are chosen by skill match and difficulty, then by ``relevance`` to the job
    and the resume; one that covers a skill the resume names says so ("Your resume mentions
    Spring."). Runs on the caller's thread; an LLM call may block for the client's timeout.
    """

    def __init__(
        self,
        client: ChatJsonClient | None = None,
        bank: QuestionBank | None = None,
        relevance: Relevance | None = None,
    ):
        self._client = client
        self._bank = bank
        self._relevance = relevance or LexicalRelevance()

    @property
    def bank(self) -> QuestionBank:
        return self._bank or default_bank()

    @property
    def uses_llm(self) -> bool:
        return self._client is not None

    def generate(
        self,
        request: SelectionRequest,
        exclude_bank_ids: Iterable[str] = (),
        *,
        use_llm: bool = True,
    ) -> list[GeneratedQuestion]:
        """``count`` questions. With the LLM: its distinct questions, topped up from the bank
        if it wrote fewer; on any model failure, all from the bank."""
        written: list[GeneratedQuestion] = []
        if self._client is not None and use_llm:
            try:
                written = self._from_llm(request)
            except LLMUnavailable as exc:
                logger.warning("LLM question generation failed, using the bank: %s", exc)
        if len(written) >= request.count:
            return written[: request.count]
        missing = dataclasses.replace(request, count=request.count - len(written))
        return written + self._from_bank(missing, exclude_bank_ids)

    def _from_bank(
        self, request: SelectionRequest, exclude_bank_ids: Iterable[str]
    ) -> list[GeneratedQuestion]:
        bank = self.bank
        try:
            near = self._relevance.scores(request.profile, bank.questions)
        except Exception:  # a model that fails to load must not stop the interview
            logger.exception("question relevance failed; choosing by skills only")
            near = {}
        chosen = select_questions(bank, request, exclude_bank_ids, near)
        claimed = wanted_skills((), request.resume_text) if request.resume_text else frozenset()
        probed: set[str] = set()  # each claim once, the most specific first
        drafted = []
        for q in chosen:
            named = sorted(claimed & set(q.skills) - probed, key=lambda s: (-len(s), s))
            drafted.append(_probing_resume(from_bank(q), named[:1]))
            probed.update(named[:1])
        return drafted

    def _from_llm(self, request: SelectionRequest) -> list[GeneratedQuestion]:
        assert self._client is not None
        messages = prompts.generation_messages(
            job_role=request.job_role,
            job_description=request.job_description,
            skills=request.required_skills,
            question_type=str(request.question_type),
            difficulty=str(request.difficulty),
            count=request.count,
            resume=request.resume_text,
        )
        reply = self._client.complete(messages, _LLMQuestions)
        seen: set[str] = set()
        written: list[GeneratedQuestion] = []
        for q in reply.questions:
            key = " ".join(q.question.lower().split())
            if key in seen:
                continue  # small models repeat themselves
            seen.add(key)
            written.append(
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
            )
        return written[: request.count]


def _probing_resume(g: GeneratedQuestion, named: list[str]) -> GeneratedQuestion:
    """Lead a bank question into the resume when it covers a skill the resume names."""
    if not named:
        return g
    skill = SKILL_LABELS.get(named[0], named[0])
    return dataclasses.replace(g, text=f"Your resume mentions {skill}. {g.text}")
