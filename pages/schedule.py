"""Slots and bookings: create slots, book interviews, reschedule and cancel."""

from __future__ import annotations

import streamlit as st

from core.clock import utcnow
from core.errors import PermissionDenied
from core.scheduling import booking, slots
from core.scheduling.views import list_bookable_interviews, list_bookings, list_slots
from core.staff.permissions import Action, staff_principal
from core.ui import schedule_forms as forms
from core.ui.format import local_time, md_escape
from core.ui.resources import app_database, app_settings
from core.ui.session import require

user = require(Action.MANAGE_SCHEDULE)
principal = staff_principal(user)  # the use cases ask core's permission check again
db, settings = app_database(), app_settings()
zone = settings.zone
st.title("Schedule")
st.caption(f"Times are in {settings.timezone}.")
book_tab, slots_tab, bookings_tab = st.tabs(["Book", "Slots", "Bookings"])

with slots_tab:
    single, series = st.columns(2)
    with single:
        st.subheader("One slot")
        one = forms.single_slot_form(zone)
    with series:
        st.subheader("A series")
        many = forms.recurring_slots_form(zone)
    try:
        if one is not None:
            slots.create_slots(
                db,
                [one[:2]],
                capacity=one[2],
                now=utcnow(),
                actor_id=user.id,
                principal=principal,
            )
            st.success("Slot created.")
        if many is not None:
            made = slots.create_slots(
                db,
                slots.plan_recurring(many[0]),
                capacity=many[1],
                now=utcnow(),
                actor_id=user.id,
                principal=principal,
            )
            st.success(f"Created {len(made)} slots.")
    except (slots.SlotError, PermissionDenied) as exc:
        st.error(md_escape(exc))

now = utcnow()
with slots_tab:
    forms.slots_table(list_slots(db, since=now), zone)  # running ones too, not bookable

with book_tab:
    open_slots = slots.bookable_slots(db, now)  # future, with a free place
    request = forms.booking_form(list_bookable_interviews(db), open_slots, zone)
    if request is not None:
        try:
            done = booking.book(
                db,
                settings,
                interview_id=request.interview_id,
                slot_id=request.slot_id,
                now=utcnow(),
                actor_id=user.id,
                notes=request.notes,
                principal=principal,
            )
            st.success("Booked. The invitation is in the outbox.")
            st.text("Candidate link (shown once; it is also in the invitation):")
            st.code(done.link or "", language=None)
        except (booking.BookingError, PermissionDenied) as exc:
            st.error(md_escape(exc))

with bookings_tab:
    current = list_bookings(db, since=utcnow())
    if not current:
        st.info("No upcoming bookings.")
        st.stop()
    forms.bookings_table(current, zone)
    chosen = st.selectbox(
        "Booking",
        current,
        format_func=lambda b: (
            f"#{b.id} {b.candidate_name} · {local_time(b.starts_at, zone, False)}"
        ),
    )
    if chosen is None:
        st.stop()
    targets = slots.bookable_slots(db, now, exclude_slot_id=chosen.slot_id)
    target = st.selectbox("Move to slot", targets, format_func=lambda s: forms.slot_label(s, zone))
    r1, r2, r3 = st.columns(3)
    try:
        if r1.button("Reschedule", disabled=target is None) and target is not None:
            done = booking.reschedule(
                db,
                settings,
                booking_id=chosen.id,
                new_slot_id=target.id,
                now=utcnow(),
                actor_id=user.id,
                principal=principal,
            )
            st.success("Moved; the candidate gets an update with a new link:")
            st.code(done.link or "", language=None)
        if r2.button("Cancel booking"):
            booking.cancel(
                db,
                settings,
                booking_id=chosen.id,
                now=utcnow(),
                actor_id=user.id,
                principal=principal,
            )
            st.success("Cancelled; the place is free and the candidate is told.")
        if r3.button("Cancel the interview too"):
            booking.cancel(
                db,
                settings,
                booking_id=chosen.id,
                now=utcnow(),
                actor_id=user.id,
                cancel_interview=True,
                principal=principal,
            )
            st.success("Booking and interview cancelled; the candidate is told.")
    except (booking.BookingError, PermissionDenied) as exc:
        st.error(md_escape(exc))
