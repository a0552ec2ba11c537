"""Slot-creation forms. Times are entered in the organisation's time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import streamlit as st

from core.scheduling.slots import RecurringPlan

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
