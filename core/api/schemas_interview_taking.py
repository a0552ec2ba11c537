"""The bodies of taking an interview over the API (``start``, ``questions``,
``submit_response``, ``answer_follow_up``): the taker's view, never expected answers, criteria
or notes, and scores only where they are shown to the taker.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt, model_validator

from core.domain import Difficulty, InterviewStatus, InterviewType, QuestionType, ResponseStatus
from core.interview.api_views import CandidateSide, OpenFollowUp, StoredAnswer
from core.interview.flow import MAX_ANSWER_CHARS, MAX_CODE_CHARS

MAX_ID = 2**31 - 1


class CandidateQuestionOut(BaseModel):
    """A question as its taker sees it (the seeds' ``questions`` item), with their answer."""

    id: int
    order: int
    question_text: str
    question_type: QuestionType
    difficulty: Difficulty
    expected_duration_minutes: int
    is_ai_generated: bool
    coding_problem_ref: str | None
    answer_status: ResponseStatus | None
    text_response: str
    code_response: str
    score: float | None
    ai_feedback: str


class FollowUpOut(BaseModel):
    """The interviewer's follow-up, answered (or passed) with ``answer_follow_up/``."""

    id: int
    round: int
    text: str

    @classmethod
    def of(cls, f: OpenFollowUp | None) -> FollowUpOut | None:
        return cls(id=f.id, round=f.round, text=f.text) if f is not None else None


class CandidateInterviewOut(BaseModel):
    """The interview from the taker's chair: state, time left, and (once started) questions."""

    view: Literal["candidate"] = "candidate"
    id: int
    title: str
    description: str
    interview_type: InterviewType
    difficulty: Difficulty
    job_role: str
    company_name: str
    status: InterviewStatus
    duration_minutes: int
    time_multiplier: float
    total_questions: int
    started_at: datetime | None
    deadline: datetime | None
    seconds_left: float | None
    current_question_order: int
    answered: int
    skipped: int
    allow_skip: bool
    scores_shown: bool
    follow_up: FollowUpOut | None
    questions: list[CandidateQuestionOut]

    @classmethod
    def of(cls, side: CandidateSide, now: datetime) -> CandidateInterviewOut:
        s = side.state
        f = s.follow_up
        return cls(
            id=s.id,
            title=s.title,
            description=side.description,
            interview_type=side.interview_type,
            difficulty=side.difficulty,
            job_role=s.job_role,
            company_name=s.company,
            status=s.status,
            duration_minutes=s.duration_minutes,
            time_multiplier=s.time_multiplier,
            total_questions=side.total_questions,
            started_at=s.started_at,
            deadline=s.deadline,
            seconds_left=s.seconds_left(now),
            current_question_order=s.current_order,
            answered=s.answered,
            skipped=s.skipped,
            allow_skip=s.allow_skip,
            scores_shown=side.scores_shown,
            follow_up=FollowUpOut(id=f.id, round=f.round, text=f.text) if f else None,
            questions=questions_of(side),
        )


def questions_of(side: CandidateSide) -> list[CandidateQuestionOut]:
    return [
        CandidateQuestionOut(
            id=q.id,
            order=q.order,
            question_text=q.text,
            question_type=q.question_type,
            difficulty=q.difficulty,
            expected_duration_minutes=q.expected_minutes,
            is_ai_generated=q.is_ai_generated,
            coding_problem_ref=q.coding_problem_ref,
            answer_status=q.answer_status,
            text_response=q.text_response,
            code_response=q.code_response,
            score=q.score,
            ai_feedback=q.feedback,
        )
        for q in side.questions
    ]


class StartedOut(BaseModel):
    message: str
    interview: CandidateInterviewOut


UNSUPPORTED_MEDIA = (
    "Recorded answers (audio_url, video_url) are not taken over the API: answer in text here, "
    "or open the interview's link in a browser to answer by voice."
)


class SubmitIn(BaseModel):
    """The seeds' answer. The server measures the time taken; ``time_taken_seconds`` is
    accepted for the seeds' clients and not trusted."""

    model_config = ConfigDict(extra="forbid")

    question_id: StrictInt = Field(..., ge=1, le=MAX_ID)
    text_response: str = Field("", max_length=MAX_ANSWER_CHARS)
    code_response: str = Field("", max_length=MAX_CODE_CHARS)
    time_taken_seconds: StrictFloat | StrictInt | None = Field(None, ge=0, le=86_400)
    audio_url: str | None = Field(None, max_length=2000, description="not supported: 422")
    video_url: str | None = Field(None, max_length=2000, description="not supported: 422")

    @model_validator(mode="after")
    def _no_recordings(self) -> SubmitIn:
        if self.audio_url or self.video_url:
            raise ValueError(UNSUPPORTED_MEDIA)
        return self


class ResponseOut(BaseModel):
    """The stored response (the seeds' fields). ``provisional``: an offline score standing
    in until the AI model's grade replaces it."""

    id: int
    question_id: int
    status: ResponseStatus
    text_response: str
    code_response: str
    submitted_at: datetime | None
    time_taken_seconds: float | None
    score: float | None
    ai_feedback: str
    evaluation_metrics: dict[str, Any]
    is_evaluated: bool
    provisional: bool
    scores_shown: bool
    follow_up: FollowUpOut | None

    @classmethod
    def of(cls, a: StoredAnswer) -> ResponseOut:
        return cls(
            id=a.id,
            question_id=a.question_id,
            status=a.status,
            text_response=a.text_response,
            code_response=a.code_response,
            submitted_at=a.submitted_at,
            time_taken_seconds=a.time_taken_seconds,
            score=a.score,
            ai_feedback=a.ai_feedback,
            evaluation_metrics=a.evaluation_metrics,
            is_evaluated=a.is_evaluated,
            provisional=a.provisional,
            scores_shown=a.scores_shown,
            follow_up=FollowUpOut.of(a.follow_up),
        )


class SubmittedOut(BaseModel):
    message: str
    response: ResponseOut


class FollowUpIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    follow_up_id: StrictInt = Field(..., ge=1, le=MAX_ID)
    text_response: str = Field("", max_length=MAX_ANSWER_CHARS, description="empty: move on")


class FollowUpAnsweredOut(BaseModel):
    message: str
    follow_up: FollowUpOut | None  # the next one, or None: carry on with the next question
