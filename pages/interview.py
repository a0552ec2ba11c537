"""The candidate's interview, opened from the emailed link (``/interview?key=…``)."""

from __future__ import annotations

import streamlit as st

from core.clock import utcnow
from core.domain import InterviewStatus
from core.interview import flow
from core.scheduling.access import AccessStatus, JoinWindow, check_key
from core.staff.throttle import describe_wait
from core.ui.candidate_arrival import early_arrival
from core.ui.candidate_done import completion, release_camera
from core.ui.candidate_room import FINISHED, keep_unsaved_text, room
from core.ui.candidate_welcome import camera, welcome
from core.ui.format import local_time, md_escape
from core.ui.resources import app_database, app_settings
from core.ui.session import client_address

db, settings = app_database(), app_settings()
contact = settings.contact_email
st.title("Your interview")

finished = st.session_state.get(FINISHED)
if finished is not None:  # this tab just completed it: show the evaluation at once
    view = flow.load(db, finished)
    completion(db, settings, finished, view.show_score)
    release_camera(settings, finished, view.enable_video, view.enable_audio)
    st.stop()

decision = check_key(
    db,
    st.query_params.get("key"),
    now=utcnow(),
    address=client_address(),
    window=JoinWindow(settings.join_window_before_seconds, settings.join_window_after_seconds),
)
if decision.status is AccessStatus.THROTTLED:
    wait = describe_wait(max(1, decision.retry_after_seconds))
    st.error(f"Too many attempts from your connection. Please try again in {wait}.")
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
    early_arrival(start, decision.opens_at)  # a live countdown; opens the interview by itself
    st.stop()
if decision.status is AccessStatus.LATE:
    st.warning(
        f"Your interview was scheduled for {start} and can no longer be joined. "
        f"Please contact {contact} to arrange a new time."
    )
    st.stop()

arriving = "candidate_token" not in st.session_state  # a new tab, or this tab refreshed
token = st.session_state.setdefault("candidate_token", flow.new_session_token())
view = flow.load(db, decision.interview_id)
if arriving and view.status is InterviewStatus.IN_PROGRESS:
    flow.start(db, view.id, token=token, now=utcnow())  # resume here; another tab is told
owner = view.status is InterviewStatus.SCHEDULED or flow.owns_session(db, view.id, token)
# The camera first, at the same place on every rerun of every step: it is never re-mounted.
camera_status = camera(view, settings, active=owner)
try:
    if view.status is InterviewStatus.SCHEDULED:
        if welcome(view, settings, camera_status):
            flow.start(db, view.id, token=token, now=utcnow())
            st.rerun()
    elif not owner:
        keep_unsaved_text(db, view, token)  # what this tab typed last is saved, not dropped
        st.warning("This interview continues in another tab or window. Your work there is saved.")
        if st.button("Continue here instead", type="primary"):
            flow.start(db, view.id, token=token, now=utcnow())  # takes over; the clock runs on
            st.rerun()
    else:
        room(db, settings, view, token)
except flow.FlowError as exc:
    st.warning(md_escape(exc))
    if st.button("Reload"):
        st.rerun()
