"""The bodies of the scheduling endpoints' slots and bookings (``schemas_scheduling_sessions``:
``create_interview_session``, on-demand invitations, recordings). Every time carries its zone
(a naive time is refused with 422); the seeds' ``booking_notes`` is accepted for ``notes``.
"""

from __future__ import annotations

import re
from dataclasses import asdict
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    AliasChoices,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StringConstraints,
    model_validator,
)

from core.api.schemas_recruiting import no_nul
from core.domain import BookingStatus
from core.scheduling.booking import BookingResult
from core.scheduling.interview_session import key_of
from core.scheduling.slots import RecurringPlan
from core.scheduling.views import BookingView, SlotView

MAX_ID = 2**31 - 1
Id = Annotated[StrictInt, Field(ge=1, le=MAX_ID)]
Note = Annotated[str, StringConstraints(max_length=200), AfterValidator(no_nul)]
MAX_PLAN_DAYS = 366
_NUMBER = re.compile(r"\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*")


def iso_only(value: Any) -> Any:
    """Refuse numbers (pydantic would read them as Unix timestamps): times are ISO 8601."""
    if isinstance(value, int | float) or (isinstance(value, str) and _NUMBER.fullmatch(value)):
        raise ValueError("give an ISO 8601 date or time, e.g. 2030-01-07T09:00:00Z")
    return value


EARLIEST, LATEST = date(1970, 1, 1), date(2999, 12, 31)


def in_range(value: Any) -> Any:
    """Keep times to years a schedule can mean (and the databases can store in UTC)."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        try:
            value = value.astimezone(UTC)
        except OverflowError as exc:
            raise ValueError("out of range") from exc
    day = value.date() if isinstance(value, datetime) else value
    if isinstance(day, date) and not EARLIEST <= day <= LATEST:
        raise ValueError(f"must fall between {EARLIEST} and {LATEST}")
    return value


#: A moment with its zone (naive: 422), in UTC.
Moment = Annotated[AwareDatetime, BeforeValidator(iso_only), AfterValidator(in_range)]
#: A moment, naive or not (the use case refuses a naive one with its own code).
AnyMoment = Annotated[datetime, BeforeValidator(iso_only), AfterValidator(in_range)]
Day = Annotated[date, BeforeValidator(iso_only), AfterValidator(in_range)]
ClockTime = Annotated[time, BeforeValidator(iso_only)]


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise ValueError(
            f"unknown time zone {name!r}; use an IANA name like Europe/Berlin"
        ) from exc


# Slots ---------------------------------------------------------------------------------------
class SlotOut(BaseModel):
    id: int
    starts_at: datetime
    ends_at: datetime
    capacity: int
    booked: int  # active bookings
    free: int  # places left
    note: str

    @classmethod
    def of(cls, s: SlotView) -> SlotOut:
        return cls(**asdict(s), free=s.free)


class SlotPage(BaseModel):
    count: int
    next: str | None
    previous: str | None
    results: list[SlotOut]


class RecurringIn(BaseModel):
    """A series: on the chosen weekdays from ``first_day`` to ``last_day``, whole slots of
    ``slot_minutes`` between ``day_start`` and ``day_end``, wall-clock time in ``timezone``
    (10:00 stays 10:00 across daylight-saving changes)."""

    model_config = ConfigDict(extra="forbid")

    first_day: Day
    last_day: Day
    weekdays: list[Annotated[StrictInt, Field(ge=0, le=6)]] = Field(
        ..., min_length=1, max_length=7, description="0 = Monday … 6 = Sunday"
    )
    day_start: ClockTime
    day_end: ClockTime
    slot_minutes: StrictInt = Field(..., ge=5, le=24 * 60)
    timezone: Annotated[str, StringConstraints(min_length=1, max_length=64)] = "UTC"

    @model_validator(mode="after")
    def _bounded(self) -> RecurringIn:
        _zone(self.timezone)
        if self.last_day - self.first_day > timedelta(days=MAX_PLAN_DAYS):
            raise ValueError(f"a series spans at most {MAX_PLAN_DAYS} days")
        return self

    def plan(self) -> RecurringPlan:
        return RecurringPlan(
            first_day=self.first_day,
            last_day=self.last_day,
            weekdays=frozenset(self.weekdays),
            day_start=self.day_start.replace(tzinfo=None),
            day_end=self.day_end.replace(tzinfo=None),
            slot_minutes=self.slot_minutes,
            zone=_zone(self.timezone),
        )


class SlotCreateIn(BaseModel):
    """One slot (``starts_at`` and ``ends_at``) or a series (``recurring``), with a capacity."""

    model_config = ConfigDict(extra="forbid")

    starts_at: Moment | None = None
    ends_at: Moment | None = None
    recurring: RecurringIn | None = None
    capacity: StrictInt = Field(1, ge=1, le=1000)
    note: Note = ""

    @model_validator(mode="after")
    def _one_kind(self) -> SlotCreateIn:
        single = self.starts_at is not None or self.ends_at is not None
        if single == (self.recurring is not None):
            raise ValueError("give either starts_at and ends_at, or recurring")
        if single and (self.starts_at is None or self.ends_at is None):
            raise ValueError("a single slot needs both starts_at and ends_at")
        return self


class SlotsCreatedOut(BaseModel):
    count: int
    results: list[SlotOut]


# Bookings ------------------------------------------------------------------------------------
class BookSlotIn(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    interview_id: Id
    notes: Annotated[str, StringConstraints(max_length=2000), AfterValidator(no_nul)] = Field(
        "", validation_alias=AliasChoices("notes", "booking_notes")
    )


class RescheduleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    slot_id: Id


class CancelIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cancel_interview: StrictBool = Field(
        False, description="also cancel the interview (else it can be booked again)"
    )


class BookedOut(BaseModel):
    """A booking made or moved: the candidate's new link (shown once) and the queued email."""

    message: str
    booking_id: int
    interview_id: int
    slot: SlotOut
    interview_link: str
    session_key: str
    email_queued: bool  # the invitation waits in the outbox; the mail worker sends it
    outbox_id: int

    @classmethod
    def of(cls, message: str, done: BookingResult, slot: SlotView) -> BookedOut:
        link = done.link or ""
        return cls(
            message=message,
            booking_id=done.booking_id,
            interview_id=done.interview_id,
            slot=SlotOut.of(slot),
            interview_link=link,
            session_key=key_of(link),
            email_queued=True,
            outbox_id=done.outbox_id,
        )


class CancelledOut(BaseModel):
    message: str
    booking_id: int
    interview_id: int
    slot_id: int
    status: BookingStatus
    interview_cancelled: bool
    email_queued: bool  # the calendar cancellation waits in the outbox
    outbox_id: int


class BookingOut(BaseModel):
    id: int
    slot_id: int
    starts_at: datetime
    ends_at: datetime
    interview_id: int
    interview_title: str
    candidate_name: str
    candidate_email: str
    status: BookingStatus
    notes: str

    @classmethod
    def of(cls, b: BookingView) -> BookingOut:
        return cls(**asdict(b))


class BookingPage(BaseModel):
    count: int
    next: str | None
    previous: str | None
    results: list[BookingOut]
