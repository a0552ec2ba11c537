"""The bodies of ``create_interview_session``, on-demand invitations and an interview's
recordings (the scheduling endpoints' second half; slots and bookings: ``schemas_scheduling``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from core.api.schemas_scheduling import AnyMoment, Id
from core.domain import CodingLanguage, RecordingKind, TranscriptStatus
from core.proctor.recordings import InterviewRecordings, ended_at
from core.scheduling.interview_session import InterviewSession, key_of
from core.scheduling.invitations import OnDemandInvitation


# create_interview_session and on-demand invitations -----------------------------------------
class SessionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    interview_id: Id


class SessionOut(BaseModel):
    """The seeds' response, plus ``open_until`` (on demand), ``booking_id`` and whether the
    link is the one of an email still waiting (``link_reused``: nothing new was issued)."""

    success: bool
    interview_link: str
    session_key: str
    session_id: int  # the interview's id (there is no separate session object here)
    candidate_name: str
    candidate_email: str
    scheduled_at: datetime | None
    open_until: datetime | None
    coding_language: CodingLanguage
    email_sent: bool  # queued in the outbox: the mail worker delivers it (retrying)
    booking_id: int | None
    link_reused: bool

    @classmethod
    def of(cls, s: InterviewSession) -> SessionOut:
        return cls(
            success=True,
            interview_link=s.link,
            session_key=s.session_key,
            session_id=s.interview_id,
            candidate_name=s.candidate_name,
            candidate_email=s.candidate_email,
            scheduled_at=s.scheduled_at,
            open_until=s.open_until,
            coding_language=s.coding_language,
            email_sent=True,
            booking_id=s.booking_id,
            link_reused=s.reused,
        )


class InvitationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    deadline: AnyMoment | None = Field(
        None,
        description="ISO 8601 with its zone, 1 hour to 90 days ahead (default: the "
        "invitation_days setting from now)",
    )


class InvitationOut(BaseModel):
    interview_id: int
    interview_link: str
    session_key: str
    deadline: datetime
    reminder_at: datetime | None  # None: no reminder (too close to the deadline, or off)
    email_queued: bool

    @classmethod
    def of(cls, sent: OnDemandInvitation) -> InvitationOut:
        return cls(
            interview_id=sent.interview_id,
            interview_link=sent.link,
            session_key=key_of(sent.link),
            deadline=sent.deadline,
            reminder_at=sent.reminder_at,
            email_queued=True,
        )


# Recordings ----------------------------------------------------------------------------------
class RecordingOut(BaseModel):
    """One recording's metadata: the interview's camera/microphone (``session``) or a spoken
    answer (``answer``, with its question and transcript status)."""

    id: int  # the recording's id (session) or the answer's id (answer)
    source: Literal["session", "answer"]
    kind: RecordingKind
    mime_type: str
    started_at: datetime | None
    ended_at: datetime | None
    duration_seconds: float | None
    size_bytes: int | None
    question_id: int | None
    question_order: int | None
    transcript_status: TranscriptStatus | None


class RecordingsOut(BaseModel):
    interview_id: int
    count: int
    results: list[RecordingOut]

    @classmethod
    def of(cls, found: InterviewRecordings) -> RecordingsOut:
        results = [
            RecordingOut(
                id=r.id,
                source="session",
                kind=r.kind,
                mime_type=r.mime_type,
                started_at=r.started_at,
                ended_at=ended_at(r),
                duration_seconds=r.duration_seconds,
                size_bytes=r.size_bytes,
                question_id=None,
                question_order=None,
                transcript_status=None,
            )
            for r in found.sessions
        ]
        results += [
            RecordingOut(
                id=a.response_id,
                source="answer",
                kind=RecordingKind.AUDIO,
                mime_type=a.mime_type,
                started_at=a.started_at,
                ended_at=a.ended_at,
                duration_seconds=a.duration_seconds,
                size_bytes=a.size_bytes,
                question_id=a.question_id,
                question_order=a.question_order,
                transcript_status=a.transcript_status,
            )
            for a in found.answers
        ]
        return cls(interview_id=found.interview_id, count=len(results), results=results)
