"""The interviewer's side of the conversation: follow-ups and answers to clarifying questions.

With an LLM client the model writes them (candidate text fenced as data); without one, or when
the model fails, follow-ups come from the question's own list, chosen by what the answer
missed, and clarifications from the question's candidate-safe notes or, where they do not
cover what was asked, a reply shaped by it (``clarify_offline``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from core.interviewer.ai import prompts
from core.interviewer.ai.clarify_offline import offline_reply
from core.interviewer.ai.lexical import LexicalSimilarity
from core.interviewer.ai.llm_client import ChatJsonClient, LLMUnavailable
from core.interviewer.ai.types import EvaluationResult, QuestionSpec

logger = logging.getLogger(__name__)

STRONG_ANSWER_SCORE = 8.0


class _FollowUp(BaseModel):
    model_config = ConfigDict(extra="ignore")
    follow_up: str | None = Field(default=None, max_length=600)


class _Reply(BaseModel):
    model_config = ConfigDict(extra="ignore")
    reply: str = Field(min_length=1, max_length=1200)


@dataclass(frozen=True)
class InterviewerMessage:
    text: str
    source: str  # "llm", "bank", "notes", "noted"


class Interviewer:
    """Any thread may call; the LLM calls block the caller (run them off the UI thread)."""

    def __init__(self, client: ChatJsonClient | None = None) -> None:
        self._client = client
        self._lexical = LexicalSimilarity()

    def follow_up(
        self, question: QuestionSpec, answer_text: str, result: EvaluationResult
    ) -> InterviewerMessage | None:
        """One follow-up question, or None when the answer covered everything well."""
        if not result.criteria_missed and result.score >= STRONG_ANSWER_SCORE:
            return None
        if self._client is not None and answer_text.strip():
            messages = prompts.follow_up_messages(question, answer_text, result.criteria_missed)
            try:
                reply = self._client.complete(messages, _FollowUp)
                if reply.follow_up and reply.follow_up.strip():
                    return InterviewerMessage(reply.follow_up.strip(), "llm")
                return None
            except LLMUnavailable as exc:
                logger.warning("LLM follow-up failed, using the bank's: %s", exc)
        return self._bank_follow_up(question, result.criteria_missed)

    def _bank_follow_up(
        self, question: QuestionSpec, missed: tuple[str, ...]
    ) -> InterviewerMessage | None:
        if not question.follow_ups:
            return None
        target = " ".join(missed)
        if not target:
            return InterviewerMessage(question.follow_ups[0], "bank")
        scored = [
            (self._lexical.similarity(f, target, question.text), -i, f)
            for i, f in enumerate(question.follow_ups)
        ]
        best = max(scored)
        return InterviewerMessage(best[2], "bank")

    def clarify(self, question: QuestionSpec, candidate_text: str) -> InterviewerMessage:
        """A reply to the candidate's clarifying question; never reveals the expected answer."""
        if self._client is not None and candidate_text.strip():
            messages = prompts.clarification_messages(question, candidate_text)
            try:
                reply = self._client.complete(messages, _Reply)
                return InterviewerMessage(reply.reply.strip(), "llm")
            except LLMUnavailable as exc:
                logger.warning("LLM clarification failed, using the notes: %s", exc)
        offline = offline_reply(question, candidate_text)
        return InterviewerMessage(offline.text, offline.source)
