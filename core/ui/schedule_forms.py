"""The Schedule page's forms and tables. Times are shown and entered in the organisation's
time zone; what the forms return is in UTC."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from core.scheduling.slots import RecurringPlan
from core.scheduling.views import BookableInterview, BookingView, SlotView
from core.ui.format import local_time

WEEKDAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def single_slot_form(zone: ZoneInfo) -> tuple[datetime, datetime, int] | None:
    """Return (start UTC, end UTC, capacity) when submitted."""
    with st.form("single_slot"):
        c1, c2, c3, c4 = st.columns(4)
        day = c1.date_input("Day", value=date.today() + timedelta(days=1))
        start = c2.time_input("Start", value=time(10), step=timedelta(minutes=15))
        minutes = c3.number_input("Minutes", 5, 480, 45, 5)
        capacity = c4.number_input("Capacity", 1, 500, 1)
        if st.form_submit_button("Create slot", type="primary"):
            begins = datetime.combine(day, start, zone).astimezone(UTC)
            return begins, begins + timedelta(minutes=int(minutes)), int(capacity)
    return None


def recurring_slots_form(zone: ZoneInfo) -> tuple[RecurringPlan, int] | None:
    """Return (plan, capacity) when submitted."""
    with st.form("recurring_slots"):
        c1, c2 = st.columns(2)
        first = c1.date_input("First day", value=date.today() + timedelta(days=1))
        last = c2.date_input("Last day", value=date.today() + timedelta(days=7))
        days = st.multiselect(
            "Weekdays",
            list(range(7)),
            default=list(range(5)),
            format_func=lambda d: WEEKDAY_NAMES[d],
        )
        c3, c4, c5, c6 = st.columns(4)
        day_start = c3.time_input("Day starts", value=time(10), step=timedelta(minutes=15))
        day_end = c4.time_input("Day ends", value=time(16), step=timedelta(minutes=15))
        minutes = c5.number_input("Slot minutes", 5, 480, 45, 5)
        capacity = c6.number_input("Capacity per slot", 1, 500, 1)
        if st.form_submit_button("Create series", type="primary"):
            plan = RecurringPlan(
                first_day=first,
                last_day=last,
                weekdays=frozenset(days),
                day_start=day_start,
                day_end=day_end,
                slot_minutes=int(minutes),
                zone=zone,
            )
            return plan, int(capacity)
    return None


@dataclass(frozen=True)
class BookingRequest:
    interview_id: int
    slot_id: int
    notes: str


def slot_label(slot: SlotView, zone: ZoneInfo) -> str:
    return f"{local_time(slot.starts_at, zone, False)} ({slot.free} of {slot.capacity} free)"


def slots_table(upcoming: list[SlotView], zone: ZoneInfo) -> None:
    if not upcoming:
        st.info("No upcoming slots.")
        return
    rows = [
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
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def booking_form(
    bookable: list[BookableInterview], open_slots: list[SlotView], zone: ZoneInfo
) -> BookingRequest | None:
    """The "Book" form (or why nothing can be booked); the request when submitted."""
    if not bookable or not open_slots:
        st.info(
            "To book, you need a scheduled interview without a booking (Templates → Use "
            "template) and an upcoming slot with a free place (Slots tab)."
        )
        return None
    with st.form("book"):
        interview = st.selectbox(
            "Interview", bookable, format_func=lambda i: f"#{i.id} {i.title} — {i.candidate_name}"
        )
        slot = st.selectbox("Slot", open_slots, format_func=lambda s: slot_label(s, zone))
        notes = st.text_input("Notes for the team (not emailed)")
        submitted = st.form_submit_button("Book and send invitation", type="primary")
    if not submitted or interview is None or slot is None:
        return None
    return BookingRequest(interview_id=interview.id, slot_id=slot.id, notes=notes)


def bookings_table(current: list[BookingView], zone: ZoneInfo) -> None:
    rows = [
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
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
