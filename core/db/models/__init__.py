"""All models, importable from one place (Alembic reads ``Base.metadata`` from here)."""

from __future__ import annotations

from core.db.base import Base
from core.db.models.catalog import Candidate, InterviewTemplate, Job
from core.db.models.changes import Change
from core.db.models.follow_ups import FollowUp
from core.db.models.integrations import (
    ApiKey,
    ApiToken,
    GreenhouseOrder,
    GreenhouseResponseError,
    WebhookDelivery,
    WebhookEndpoint,
)
from core.db.models.interview import (
    ChatMessage,
    CodeSubmission,
    Evaluation,
    Interview,
    InterviewQuestion,
    InterviewResponse,
    ReviewComment,
)
from core.db.models.media import ProctorEvent, Recording
from core.db.models.scheduling import AccessKey, Booking, EmailOutbox, Slot
from core.db.models.sessions import StaffSession
from core.db.models.staff import AuditLog, AuthAttempt, User

__all__ = [
    "AccessKey",
    "ApiKey",
    "ApiToken",
    "AuditLog",
    "AuthAttempt",
    "Base",
    "Booking",
    "Candidate",
    "Change",
    "ChatMessage",
    "CodeSubmission",
    "EmailOutbox",
    "Evaluation",
    "FollowUp",
    "GreenhouseOrder",
    "GreenhouseResponseError",
    "Interview",
    "InterviewQuestion",
    "InterviewResponse",
    "InterviewTemplate",
    "Job",
    "ProctorEvent",
    "Recording",
    "ReviewComment",
    "Slot",
    "StaffSession",
    "User",
    "WebhookDelivery",
    "WebhookEndpoint",
]
