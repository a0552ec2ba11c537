"""Slots and bookings."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.clock import utcnow
from core.domain import Role
from core.services.scheduling import list_slots
from core.ui.format import local_time
from core.ui.resources import app_database, app_settings
from core.ui.session import require_role

require_role(Role.RECRUITER)
db, settings = app_database(), app_settings()
st.title("Schedule")
slots = list_slots(db, since=utcnow())
if slots:
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "ID": s.id,
                    "Starts": local_time(s.starts_at, settings.zone, False),
                    "Ends": local_time(s.ends_at, settings.zone, False),
                    "Capacity": s.capacity,
                    "Booked": s.booked,
                    "Free": s.free,
                    "Note": s.note,
                }
                for s in slots
            ]
        ),
        hide_index=True,
        width="stretch",
    )
else:
    st.info("No upcoming slots.")
st.caption(f"Times are in {settings.timezone}.")
st.info(
    "Creating slots, booking, rescheduling and cancelling with email invitations arrive "
    "with the recruiter workspace (issue 3)."
)
