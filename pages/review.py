"""Hiring-manager review: one interview on one timeline, with judgement and exports."""

from __future__ import annotations

import streamlit as st

from core.domain import InterviewStatus
from core.recruiting.interviews import InterviewFilters, list_interviews
from core.review.bundle import load_review
from core.review.judgement import record_view
from core.staff.permissions import Action, staff_principal
from core.ui import review_actions, review_view
from core.ui.format import label
from core.ui.resources import app_database, app_settings
from core.ui.session import require

user = require(Action.REVIEW_INTERVIEW)
db, settings = app_database(), app_settings()
st.title("Review")

show_all = st.toggle("Include interviews that are not completed", value=False)
statuses = () if show_all else (InterviewStatus.COMPLETED,)
interviews = list_interviews(db, InterviewFilters(statuses=statuses))
wanted = st.session_state.pop("review_interview_id", None)  # set by the Interviews page
link = st.query_params.get("interview", "")
if wanted is None and "review_choice" not in st.session_state and link.isdigit():
    wanted = int(link)  # a shared link, /review?interview=N: any status
if wanted is not None and wanted not in [i.id for i in interviews]:
    interviews = list_interviews(db, InterviewFilters())  # opened from the list: any status
if not interviews:
    st.info("No completed interviews to review yet.")
    st.stop()
by_id = {i.id: i for i in interviews}
if wanted in by_id:
    st.session_state["review_choice"] = wanted
elif st.session_state.get("review_choice") not in by_id:
    st.session_state["review_choice"] = interviews[0].id
chosen = st.selectbox(
    "Interview",
    list(by_id),
    key="review_choice",
    format_func=lambda i: (
        f"#{i} · {by_id[i].candidate_name} · {by_id[i].title} · {label(by_id[i].status)}"
    ),
)
if chosen is not None:
    st.query_params["interview"] = str(chosen)  # the address names what is shown
bundle = load_review(db, chosen) if chosen is not None else None
if bundle is None:
    st.warning("That interview no longer exists.")
    st.stop()
viewed = st.session_state.setdefault("reviews_viewed", [])
if bundle.interview.summary.id not in viewed:
    record_view(  # every view is audited
        db, bundle.interview.summary.id, actor_id=user.id, principal=staff_principal(user)
    )
    viewed.append(bundle.interview.summary.id)

review_view.header(bundle, settings.zone)
tabs = st.tabs(
    [
        "Overview",
        "Questions",
        "Transcript",
        "Code",
        "Proctoring",
        "Timeline & recording",
        "Judgement",
        "Export",
    ]
)
with tabs[0]:
    review_view.overview(bundle, settings.zone)
with tabs[1]:
    review_view.questions(bundle, settings.data_dir)
with tabs[2]:
    review_view.transcript(bundle, settings.zone)
with tabs[3]:
    review_view.code_history(bundle, settings.zone)
with tabs[4]:
    review_view.warnings(bundle, settings.data_dir, settings.zone)
with tabs[5]:
    review_view.timeline_and_video(bundle, settings.data_dir)
with tabs[6]:
    review_actions.judgement_panel(db, bundle, user, settings.zone)
with tabs[7]:
    review_actions.export_panel(db, bundle, user, settings)
