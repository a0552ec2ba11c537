"""The interviewer's side of the conversation: follow-ups and answers to clarifying questions.

With an LLM client the model writes them (candidate text fenced as data); without one, or when
the model fails, follow-ups come from the question's own list, chosen by what the answer
missed, and clarifications from the question's candidate-safe notes or, where they do not
cover what was asked, a reply shaped by it (``clarify_offline``).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from core.interviewer.ai import prompts
from core.interviewer.ai.clarify_offline import offline_reply
from core.interviewer.ai.llm_client import ChatJsonClient, LLMUnavailable
from core.interviewer.ai.text_features import content_stems
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
    source: str  # "llm", "bank", "criteria" (follow-ups); "llm", "notes", "noted" (replies)
    aimed_at: tuple[str, ...] = ()  # a follow-up's missed criteria


def criterion_follow_up(point: str) -> str:
    """A follow-up that asks about one missed point in the interviewer's words."""
    point = point.strip().rstrip(".?")
    return f"Before we move on, could you also cover this point: {point[:1].lower()}{point[1:]}?"


MAX_REPLY_SENTENCES = 3
REVEALING_SHARE = 0.3


def _plain(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def first_sentences(text: str, count: int) -> str:
    parts = re.split(r"(?<=[.!?])\s+", text.strip())
    return " ".join(parts[:count])


def reveals_answer(text: str, question: QuestionSpec) -> bool:
    """Whether a message gives away the expected answer: it holds a good share of the
    answer's own words (those not already in the question). Models, small ones above all,
    sometimes answer the question instead of clarifying it."""
    answer_roots = _roots(question.expected_answer) - _roots(question.text)
    if len(answer_roots) < 3:
        return False
    return len(_roots(text) & answer_roots) / len(answer_roots) >= REVEALING_SHARE


def _roots(text: str) -> set[str]:
    return {w[:5] for w in content_stems(text) if len(w) > 2}


def _shared_roots(a: str, b: str) -> int:
    """Content words two texts share, by their first five letters ("collide", "collisions")."""
    return len(_roots(a) & _roots(b))


class Interviewer:
    """Any thread may call; the LLM calls block the caller (run them off the UI thread)."""

    def __init__(self, client: ChatJsonClient | None = None) -> None:
        self._client = client

    def follow_up(
        self,
        question: QuestionSpec,
        answer_text: str,
        result: EvaluationResult,
        asked: tuple[str, ...] = (),
    ) -> InterviewerMessage | None:
        """One follow-up aimed at what the answer missed, or None when it covered everything
        well. ``asked``: follow-ups already put to this answer (never asked twice)."""
        if not result.criteria_missed and result.score >= STRONG_ANSWER_SCORE:
            return None
        missed = result.criteria_missed
        if self._client is not None and answer_text.strip() and question.ai_allowed:
            messages = prompts.follow_up_messages(question, answer_text, missed, asked)
            try:
                reply = self._client.complete(messages, _FollowUp)
                text = (reply.follow_up or "").strip()
                repeated = {_plain(a) for a in (*asked, question.text)}
                if text and _plain(text) not in repeated and not reveals_answer(text, question):
                    return InterviewerMessage(text, "llm", missed[:1])
                if not text:
                    return None
                logger.info("the model's follow-up repeats or gives away too much; not used")
            except LLMUnavailable as exc:
                logger.warning("LLM follow-up failed, using the question's own: %s", exc)
        return self._offline_follow_up(question, missed, asked)

    def _offline_follow_up(
        self, question: QuestionSpec, missed: tuple[str, ...], asked: tuple[str, ...]
    ) -> InterviewerMessage | None:
        """The question's own follow-up closest to a missed point; else one that names the
        first missed point not yet probed (as a person would: "what about …?")."""
        done = {a.strip().lower() for a in asked}
        fresh = [(i, f) for i, f in enumerate(question.follow_ups) if f.strip().lower() not in done]
        target = " ".join(missed)
        if fresh and not target:
            return InterviewerMessage(fresh[0][1], "bank")
        if fresh:
            best_score, best = max((_shared_roots(f, target), -i) for i, f in fresh)
            if best_score > 0:
                text = question.follow_ups[-best]
                aimed = tuple(m for m in missed if _shared_roots(text, m) > 0)
                return InterviewerMessage(text, "bank", aimed or missed[:1])
        probed = " ".join(asked)  # points already asked about go last
        for point in sorted(missed, key=lambda m: _shared_roots(m, probed) > 0):
            text = criterion_follow_up(point)
            if text.strip().lower() not in done:
                return InterviewerMessage(text, "criteria", (point,))
        return InterviewerMessage(fresh[0][1], "bank") if fresh else None

    def clarify(self, question: QuestionSpec, candidate_text: str) -> InterviewerMessage:
        """A reply to the candidate's clarifying question; never reveals the expected answer."""
        if self._client is not None and candidate_text.strip() and question.ai_allowed:
            messages = prompts.clarification_messages(question, candidate_text)
            try:
                reply = self._client.complete(messages, _Reply)
                text = first_sentences(reply.reply.strip(), MAX_REPLY_SENTENCES)
                if not reveals_answer(text, question):
                    return InterviewerMessage(text, "llm")
                logger.info("the model's clarification gives away the answer; not used")
            except LLMUnavailable as exc:
                logger.warning("LLM clarification failed, using the notes: %s", exc)
        offline = offline_reply(question, candidate_text)
        return InterviewerMessage(offline.text, offline.source)
