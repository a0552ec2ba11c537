"""Candidates: search and browse, with each candidate's interview history."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.domain import Role
from core.services.catalog import list_candidates
from core.services.interviews import InterviewFilters, list_interviews
from core.ui.format import label, local_time, percent
from core.ui.resources import app_database, app_settings
from core.ui.session import require_role

require_role(Role.RECRUITER)
db, settings = app_database(), app_settings()
st.title("Candidates")

search = st.text_input("Search by name or email")
candidates = list_candidates(db, search=search)
st.caption(f"{len(candidates)} candidate(s)")
if not candidates:
    st.info("No candidates yet." if not search else "No candidate matches this search.")
    st.stop()
st.dataframe(
    pd.DataFrame(
        [
            {
                "ID": c.id,
                "Name": c.full_name,
                "Email": c.email,
                "Phone": c.phone,
                "Time zone": c.timezone or settings.timezone,
                "Resume": c.resume_filename or "—",
                "Interviews": c.interview_count,
            }
            for c in candidates
        ]
    ),
    hide_index=True,
    width="stretch",
)

chosen = st.selectbox(
    "Candidate details", candidates, format_func=lambda c: f"{c.full_name} <{c.email}>"
)
if chosen is not None:
    history = list_interviews(db, InterviewFilters(candidate_id=chosen.id))
    st.subheader("Interview history")
    if history:
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "ID": h.id,
                        "Title": h.title,
                        "Status": label(h.status),
                        "Scheduled": local_time(h.scheduled_at, settings.zone, with_zone=False),
                        "Score": percent(h.percentage),
                    }
                    for h in history
                ]
            ),
            hide_index=True,
            width="stretch",
        )
    else:
        st.caption("No interviews yet.")
    if chosen.resume_text:
        with st.expander("Resume text"):
            st.text(chosen.resume_text)
st.info(
    "Creating, editing, importing candidates and uploading resumes arrive with the "
    "recruiter workspace (issue 3); this page shows the candidates in the database."
)
