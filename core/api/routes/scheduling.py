"""Scheduling under ``/api/v1/interviews/``: slots, bookings, the seeds' ``book_slot`` and
``create_interview_session``, on-demand invitations, and an interview's recordings.

Recruiters and administrators (and API keys with the ``scheduling`` scope) schedule; hiring
managers are refused (403), as on the Schedule page. Recordings are review material: whoever
may review interviews lists them (hiring managers too, and keys with the ``review`` scope).
Each call runs the page's own use case (``core.scheduling``) with the caller's principal; a
booking's refusals keep their codes (``slot_full``, ``candidate_already_booked``,
``interview_already_booked`` … 409), an unknown slot, interview or booking is 404.

``create_interview_session`` maps the seeds' step onto Intervista, where booking (and inviting
on demand) already issues the link and emails it: see ``core.scheduling.interview_session``
(the link of an email still waiting is returned as is; otherwise a fresh link is issued and
emailed, for a booked interview as for one invited on demand; neither: 409 saying to book a
slot or invite on demand).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from core.api.deps import AppDep, CallerDep, PageDep, page_links
from core.api.routes.interviews import InterviewId, known
from core.api.schemas_scheduling import (
    BookedOut,
    BookingOut,
    BookingPage,
    BookSlotIn,
    CancelIn,
    CancelledOut,
    Moment,
    RescheduleIn,
    SlotCreateIn,
    SlotOut,
    SlotPage,
    SlotsCreatedOut,
)
from core.api.schemas_scheduling_sessions import (
    InvitationIn,
    InvitationOut,
    RecordingsOut,
    SessionIn,
    SessionOut,
)
from core.domain import BookingStatus
from core.errors import NotFound
from core.proctor.recordings import interview_recordings
from core.scheduling import booking, invitations, slots, views
from core.scheduling.interview_session import create_interview_session

SlotId = Annotated[int, Path(ge=1, le=2**31 - 1, description="the slot's id")]
BookingId = Annotated[int, Path(ge=1, le=2**31 - 1, description="the booking's id")]
From = Annotated[
    Moment | None,
    Query(alias="from", description="slots ending at or after this time (default: now)"),
]
To = Annotated[Moment | None, Query(alias="to", description="slots starting before this")]
router = APIRouter(prefix="/v1/interviews", tags=["scheduling"])
_MISSING = frozenset({"missing_slot", "missing_interview", "missing_booking"})


@contextmanager
def _missing_is_404() -> Iterator[None]:
    """A booking refused because its slot, interview or booking does not exist: 404."""
    try:
        yield
    except booking.BookingError as exc:
        if exc.code in _MISSING:
            raise NotFound(exc.message, code=exc.code) from exc
        raise


def _slot(app: AppDep, caller: CallerDep, slot_id: int) -> views.SlotView:
    found = views.get_slot(app.db, slot_id, principal=known(caller))
    if found is None:
        raise slots.SlotMissing(f"There is no slot #{slot_id}.")
    return found


# Slots ---------------------------------------------------------------------------------------
@router.get("/slots/", response_model=SlotPage, summary="Slots (from/to, free places, pages)")
def list_slots(
    request: Request,
    caller: CallerDep,
    app: AppDep,
    page: PageDep,
    since: From = None,
    until: To = None,
    free: Annotated[bool, Query(description="only slots with a free place")] = False,
) -> SlotPage:
    count, found = views.page_slots(
        app.db,
        since=since or caller.now,
        until=until,
        free_only=free,
        offset=page.offset,
        limit=page.page_size,
        principal=known(caller),
    )
    following, preceding = page_links(request, page, count)
    return SlotPage(
        count=count, next=following, previous=preceding, results=[SlotOut.of(s) for s in found]
    )


def _times(body: SlotCreateIn) -> Iterator[tuple[datetime, datetime]]:
    """The slots' times, planned lazily: ``create_slots`` asks permission before it reads them,
    so a refused caller learns nothing about their plan."""
    if body.recurring is not None:
        yield from slots.plan_recurring(body.recurring.plan())
    else:
        assert body.starts_at is not None and body.ends_at is not None
        yield body.starts_at, body.ends_at


@router.post(
    "/slots/",
    response_model=SlotsCreatedOut,
    status_code=201,
    summary="Create one slot, or a recurring series (all or none)",
)
def create_slots(body: SlotCreateIn, caller: CallerDep, app: AppDep) -> SlotsCreatedOut:
    made = slots.create_slots(
        app.db,
        _times(body),
        capacity=body.capacity,
        now=caller.now,
        note=body.note,
        actor_id=caller.actor_id,
        principal=known(caller),
    )
    return SlotsCreatedOut(count=len(made), results=[SlotOut.of(s) for s in made])


@router.get("/slots/{slot_id:int}/", response_model=SlotOut, summary="One slot")
def get_slot(slot_id: SlotId, caller: CallerDep, app: AppDep) -> SlotOut:
    return SlotOut.of(_slot(app, caller, slot_id))


@router.delete(
    "/slots/{slot_id:int}/",
    status_code=204,
    response_class=Response,
    summary="Delete a slot without active bookings (409 while it has some)",
)
def delete_slot(slot_id: SlotId, caller: CallerDep, app: AppDep) -> Response:
    slots.delete_slot(app.db, slot_id, actor_id=caller.actor_id, principal=known(caller))
    return Response(status_code=204)


@router.post(
    "/slots/{slot_id:int}/book_slot/",
    response_model=BookedOut,
    status_code=201,
    summary="Book an interview into the slot: its link, and the invitation emailed",
)
def book_slot(slot_id: SlotId, body: BookSlotIn, caller: CallerDep, app: AppDep) -> BookedOut:
    with _missing_is_404():
        done = booking.book(
            app.db,
            app.settings,
            interview_id=body.interview_id,
            slot_id=slot_id,
            now=caller.now,
            actor_id=caller.actor_id,
            notes=body.notes,
            principal=known(caller),
        )
    return BookedOut.of("Interview booked", done, _slot(app, caller, done.slot_id))


# Bookings ------------------------------------------------------------------------------------
@router.get(
    "/schedules/", response_model=BookingPage, summary="Bookings by slot time (filters, pages)"
)
def list_schedules(
    request: Request,
    caller: CallerDep,
    app: AppDep,
    page: PageDep,
    since: From = None,
    until: To = None,
    include_cancelled: bool = False,
    interview_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> BookingPage:
    count, found = views.page_bookings(
        app.db,
        since=since or caller.now,
        until=until,
        include_cancelled=include_cancelled,
        interview_id=interview_id,
        offset=page.offset,
        limit=page.page_size,
        principal=known(caller),
    )
    following, preceding = page_links(request, page, count)
    return BookingPage(
        count=count,
        next=following,
        previous=preceding,
        results=[BookingOut.of(b) for b in found],
    )


@router.post(
    "/schedules/{booking_id:int}/reschedule/",
    response_model=BookedOut,
    summary="Move a booking to another slot: a new link, the old one revoked, an update emailed",
)
def reschedule(
    booking_id: BookingId, body: RescheduleIn, caller: CallerDep, app: AppDep
) -> BookedOut:
    with _missing_is_404():
        done = booking.reschedule(
            app.db,
            app.settings,
            booking_id=booking_id,
            new_slot_id=body.slot_id,
            now=caller.now,
            actor_id=caller.actor_id,
            principal=known(caller),
        )
    return BookedOut.of("Booking moved", done, _slot(app, caller, done.slot_id))


@router.post(
    "/schedules/{booking_id:int}/cancel/",
    response_model=CancelledOut,
    summary="Cancel a booking (and, if asked, the interview); the link stops working",
)
def cancel(
    booking_id: BookingId, caller: CallerDep, app: AppDep, body: CancelIn | None = None
) -> CancelledOut:
    asked = body or CancelIn()
    with _missing_is_404():
        done = booking.cancel(
            app.db,
            app.settings,
            booking_id=booking_id,
            now=caller.now,
            actor_id=caller.actor_id,
            cancel_interview=asked.cancel_interview,
            principal=known(caller),
        )
    return CancelledOut(
        message="Booking cancelled",
        booking_id=done.booking_id,
        interview_id=done.interview_id,
        slot_id=done.slot_id,
        status=BookingStatus.CANCELLED,
        interview_cancelled=asked.cancel_interview,
        email_queued=True,
        outbox_id=done.outbox_id,
    )


@router.post(
    "/schedules/create_interview_session/",
    response_model=SessionOut,
    status_code=201,
    summary="The candidate's link for a booked or invited interview, emailed (the seeds' step)",
)
def create_session(body: SessionIn, caller: CallerDep, app: AppDep) -> SessionOut:
    made = create_interview_session(
        app.db,
        app.settings,
        interview_id=body.interview_id,
        now=caller.now,
        actor_id=caller.actor_id,
        principal=known(caller),
    )
    return SessionOut.of(made)


# On-demand invitations and recordings --------------------------------------------------------
@router.post(
    "/{interview_id:int}/invitation/",
    response_model=InvitationOut,
    status_code=201,
    summary="Invite on demand: a link that works any time until the deadline, emailed",
)
def invite(
    interview_id: InterviewId, caller: CallerDep, app: AppDep, body: InvitationIn | None = None
) -> InvitationOut:
    sent = invitations.invite_on_demand(
        app.db,
        app.settings,
        interview_id=interview_id,
        now=caller.now,
        deadline=body.deadline if body else None,
        actor_id=caller.actor_id,
        principal=known(caller),
    )
    return InvitationOut.of(sent)


@router.get(
    "/{interview_id:int}/recordings/",
    response_model=RecordingsOut,
    summary="The interview's recordings (metadata only)",
)
def recordings(interview_id: InterviewId, caller: CallerDep, app: AppDep) -> RecordingsOut:
    found = interview_recordings(
        app.db, app.settings.data_dir, interview_id, principal=known(caller)
    )
    return RecordingsOut.of(found)
