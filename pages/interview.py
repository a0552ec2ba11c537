"""The candidate's page, opened from the emailed link (``/interview?key=…``)."""

from __future__ import annotations

import streamlit as st

from core.clock import utcnow
from core.services.access import AccessStatus, JoinWindow, check_key
from core.services.interviews import get_interview
from core.ui.format import local_time, md_escape
from core.ui.resources import app_database, app_settings
from core.ui.session import client_address

db, settings = app_database(), app_settings()
decision = check_key(
    db,
    st.query_params.get("key"),
    now=utcnow(),
    address=client_address(),
    window=JoinWindow(settings.join_window_before_seconds, settings.join_window_after_seconds),
)
contact = settings.contact_email
st.title("Your interview")

if decision.status is AccessStatus.THROTTLED:
    st.error("Too many attempts from your connection. Please wait a few minutes and try again.")
    st.stop()
if decision.status is AccessStatus.INVALID or decision.interview_id is None:
    st.error(
        f"This link is not valid. Please use the link from your invitation email, or "
        f"contact {contact}."
    )
    st.stop()
messages = {
    AccessStatus.CANCELLED: "This interview has been cancelled.",
    AccessStatus.COMPLETED: "This interview is complete. Thank you — there is nothing more to do.",
    AccessStatus.EXPIRED: "This link has expired.",
}
if decision.status in messages:
    st.warning(f"{messages[decision.status]} If you think this is a mistake, contact {contact}.")
    st.stop()
start = local_time(decision.scheduled_at, settings.zone)
if decision.status is AccessStatus.EARLY:
    st.info(
        f"Your interview starts {start}. This page opens shortly before the start; come back then."
    )
    st.stop()
if decision.status is AccessStatus.LATE:
    st.warning(
        f"Your interview was scheduled for {start} and can no longer be joined. "
        f"Please contact {contact} to arrange a new time."
    )
    st.stop()

detail = get_interview(db, decision.interview_id)
if detail is None:
    st.error(f"This interview is no longer available. Please contact {contact}.")
    st.stop()
st.subheader(md_escape(detail.summary.title))
st.text(f"Company: {detail.summary.company_name or '—'}")
st.text(f"Role: {detail.job_role or '—'}")
minutes = round(detail.duration_minutes * detail.time_multiplier)
st.text(f"Duration: {minutes} minutes, {len(detail.questions)} questions")
st.warning(
    "The interview room (questions, coding, camera check) is not available in this "
    "version yet. Please keep this link; your recruiter will be in touch."
)
