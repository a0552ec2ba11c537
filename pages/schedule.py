"""Slots and bookings: create slots, book interviews, reschedule and cancel."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.clock import utcnow
from core.domain import Role
from core.scheduling import booking, slots
from core.scheduling.views import SlotView, list_bookable_interviews, list_bookings, list_slots
from core.ui.format import local_time
from core.ui.resources import app_database, app_settings
from core.ui.schedule_forms import recurring_slots_form, single_slot_form
from core.ui.session import require_role

user = require_role(Role.RECRUITER)
db, settings = app_database(), app_settings()
zone = settings.zone
st.title("Schedule")
st.caption(f"Times are in {settings.timezone}.")
book_tab, slots_tab, bookings_tab = st.tabs(["Book", "Slots", "Bookings"])

with slots_tab:
    single, series = st.columns(2)
    with single:
        st.subheader("One slot")
        one = single_slot_form(zone)
    with series:
        st.subheader("A series")
        many = recurring_slots_form(zone)
    try:
        if one is not None:
            slots.create_slots(db, [one[:2]], capacity=one[2], now=utcnow(), actor_id=user.id)
            st.success("Slot created.")
        if many is not None:
            made = slots.create_slots(
                db, slots.plan_recurring(many[0]), capacity=many[1], now=utcnow(), actor_id=user.id
            )
            st.success(f"Created {len(made)} slots.")
    except slots.SlotError as exc:
        st.error(str(exc))

upcoming = list_slots(db, since=utcnow())
with slots_tab:
    if upcoming:
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "ID": s.id,
                        "Starts": local_time(s.starts_at, zone, False),
                        "Ends": local_time(s.ends_at, zone, False),
                        "Capacity": s.capacity,
                        "Booked": s.booked,
                        "Free": s.free,
                    }
                    for s in upcoming
                ]
            ),
            hide_index=True,
            width="stretch",
        )
    else:
        st.info("No upcoming slots.")


def slot_label(s: SlotView) -> str:
    return f"{local_time(s.starts_at, zone, False)} ({s.free} of {s.capacity} free)"


with book_tab:
    bookable = list_bookable_interviews(db)
    open_slots = [s for s in upcoming if s.free > 0]
    if not bookable or not open_slots:
        st.info(
            "To book, you need a scheduled interview without a booking (Templates → Use "
            "template) and an upcoming slot with a free place (Slots tab)."
        )
    else:
        with st.form("book"):
            interview = st.selectbox(
                "Interview",
                bookable,
                format_func=lambda i: f"#{i.id} {i.title} — {i.candidate_name}",
            )
            slot = st.selectbox("Slot", open_slots, format_func=slot_label)
            notes = st.text_input("Notes for the team (not emailed)")
            if st.form_submit_button("Book and send invitation", type="primary"):
                try:
                    done = booking.book(
                        db,
                        settings,
                        interview_id=interview.id,
                        slot_id=slot.id,
                        now=utcnow(),
                        actor_id=user.id,
                        notes=notes,
                    )
                    st.success("Booked. The invitation is in the outbox.")
                    st.text("Candidate link (shown once; it is also in the invitation):")
                    st.code(done.link or "", language=None)
                except booking.BookingError as exc:
                    st.error(str(exc))

with bookings_tab:
    current = list_bookings(db, since=utcnow())
    if not current:
        st.info("No upcoming bookings.")
        st.stop()
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "ID": b.id,
                    "Starts": local_time(b.starts_at, zone, False),
                    "Interview": b.interview_title,
                    "Candidate": b.candidate_name,
                    "Email": b.candidate_email,
                    "Notes": b.notes,
                }
                for b in current
            ]
        ),
        hide_index=True,
        width="stretch",
    )
    chosen = st.selectbox(
        "Booking",
        current,
        format_func=lambda b: (
            f"#{b.id} {b.candidate_name} · {local_time(b.starts_at, zone, False)}"
        ),
    )
    targets = [s for s in upcoming if s.free > 0 and s.id != chosen.slot_id]
    target = st.selectbox("Move to slot", targets, format_func=slot_label)
    r1, r2, r3 = st.columns(3)
    try:
        if r1.button("Reschedule", disabled=target is None):
            done = booking.reschedule(
                db,
                settings,
                booking_id=chosen.id,
                new_slot_id=target.id,
                now=utcnow(),
                actor_id=user.id,
            )
            st.success("Moved; the candidate gets an update with a new link:")
            st.code(done.link or "", language=None)
        if r2.button("Cancel booking"):
            booking.cancel(db, settings, booking_id=chosen.id, now=utcnow(), actor_id=user.id)
            st.success("Cancelled; the place is free and the candidate is told.")
        if r3.button("Cancel the interview too"):
            booking.cancel(
                db,
                settings,
                booking_id=chosen.id,
                now=utcnow(),
                actor_id=user.id,
                cancel_interview=True,
            )
            st.success("Booking and interview cancelled; the candidate is told.")
    except booking.BookingError as exc:
        st.error(str(exc))
