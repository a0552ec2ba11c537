"""All interviews with filters; links to each interview's review."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pandas as pd
import streamlit as st

from core.domain import Difficulty, InterviewStatus, InterviewType
from core.recruiting.catalog import list_jobs
from core.recruiting.interviews import InterviewFilters, list_interviews
from core.staff.permissions import Action
from core.ui.format import label, local_time, percent
from core.ui.resources import app_database, app_settings
from core.ui.session import require

require(Action.VIEW_INTERVIEWS)
db, settings = app_database(), app_settings()
st.title("Interviews")

jobs = list_jobs(db)
c1, c2, c3, c4 = st.columns(4)
statuses = c1.multiselect("Status", list(InterviewStatus), format_func=label)
types = c2.multiselect("Type", list(InterviewType), format_func=label)
difficulties = c3.multiselect("Difficulty", list(Difficulty), format_func=label)
job = c4.selectbox(
    "Job",
    [None, *jobs],
    format_func=lambda j: "All jobs" if j is None else f"{j.title} · {j.company}",
)
c5, c6 = st.columns([1, 2])
dates = c5.date_input("Scheduled between", value=[], format="YYYY-MM-DD")  # a range
search = c6.text_input("Search title, candidate name or email")

start = end = None
if isinstance(dates, tuple) and len(dates) == 2:
    start = datetime.combine(dates[0], time.min, settings.zone).astimezone(UTC)
    end = datetime.combine(dates[1] + timedelta(days=1), time.min, settings.zone).astimezone(UTC)
rows = list_interviews(
    db,
    InterviewFilters(
        statuses=tuple(statuses),
        types=tuple(types),
        difficulties=tuple(difficulties),
        job_id=job.id if job else None,
        scheduled_from=start,
        scheduled_to=end,
        search=search,
    ),
)
st.caption(f"{len(rows)} interview(s)")
if not rows:
    st.info("No interviews match these filters.")
    st.stop()
table = pd.DataFrame(
    [
        {
            "ID": r.id,
            "Title": r.title,
            "Candidate": r.candidate_name,
            "Email": r.candidate_email,
            "Job": r.job_title,
            "Company": r.company_name,
            "Type": label(r.interview_type),
            "Difficulty": label(r.difficulty),
            "Status": label(r.status),
            "Scheduled": local_time(r.scheduled_at, settings.zone, with_zone=False),
            "Score": percent(r.percentage),
        }
        for r in rows
    ]
)
st.dataframe(table, hide_index=True, width="stretch")
st.caption(f"Times are in {settings.timezone}.")
chosen = st.selectbox(
    "Open an interview", rows, format_func=lambda r: f"#{r.id} {r.title} — {r.candidate_name}"
)
if chosen is not None and st.button("Open its review"):
    st.session_state["review_interview_id"] = chosen.id
    st.switch_page("pages/review.py")
