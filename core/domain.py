"""Plain enumerations shared by the data model, services and pages."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    RECRUITER = "recruiter"
    HIRING_MANAGER = "hiring_manager"


class CodingLanguage(StrEnum):
    PYTHON = "PYTHON"
    JAVASCRIPT = "JAVASCRIPT"
    JAVA = "JAVA"
    PHP = "PHP"
    RUBY = "RUBY"
    CSHARP = "CSHARP"
    SQL = "SQL"

    @property
    def label(self) -> str:
        return {"JAVASCRIPT": "JavaScript", "CSHARP": "C#", "PHP": "PHP", "SQL": "SQL"}.get(
            self.value, self.value.title()
        )


class InterviewType(StrEnum):
    TECHNICAL = "technical"
    BEHAVIORAL = "behavioral"
    SYSTEM_DESIGN = "system_design"
    CODING = "coding"
    HR = "hr"


class QuestionType(StrEnum):
    TECHNICAL = "technical"
    BEHAVIORAL = "behavioral"
    SYSTEM_DESIGN = "system_design"
    CODING = "coding"
    HR = "hr"
    GENERAL = "general"


class Difficulty(StrEnum):
    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"


class InterviewStatus(StrEnum):
    SCHEDULED = "scheduled"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


class AccessKeyState(StrEnum):
    ACTIVE = "active"
    USED = "used"  # the interview completed
    REVOKED = "revoked"  # replaced or cancelled


class BookingStatus(StrEnum):
    ACTIVE = "active"
    CANCELLED = "cancelled"


class ResponseStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    SKIPPED = "skipped"


class TranscriptStatus(StrEnum):
    """A spoken answer's transcript: queued or running, stored, or impossible (reason kept)."""

    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"


class FollowUpStatus(StrEnum):
    """A follow-up the interviewer asked after an answer, before moving on."""

    OPEN = "open"  # asked, waiting for the candidate
    ANSWERED = "answered"  # answered, scored with its question
    PASSED = "passed"  # the candidate moved on without answering (or time ran out)


class SubmissionKind(StrEnum):
    RUN = "run"  # visible tests
    SUBMIT = "submit"  # hidden tests


class ChatRole(StrEnum):
    INTERVIEWER = "interviewer"
    CANDIDATE = "candidate"
    SYSTEM = "system"


class ProctorEventKind(StrEnum):
    NO_PERSON = "no_person"
    MULTIPLE_PEOPLE = "multiple_people"
    PHONE = "phone"
    BOOK = "book"
    LAPTOP = "laptop"
    CAMERA_COVERED = "camera_covered"
    CAMERA_LOST = "camera_lost"
    COULD_NOT_TELL = "could_not_tell"
    CONNECTION = "connection"  # the video dropped briefly and came back by itself (info)
    SYSTEM_ISSUE = "system_issue"  # a problem on our side (recording, detector); has an incident id


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"


class RecordingKind(StrEnum):
    VIDEO = "video"
    AUDIO = "audio"


class OutboxStatus(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class Decision(StrEnum):
    ADVANCE = "advance"
    REJECT = "reject"
    HOLD = "hold"
