"""Analytics overview."""

from __future__ import annotations

import streamlit as st

from core.domain import InterviewStatus, Role
from core.services.stats import overview
from core.ui.format import label, percent
from core.ui.resources import app_database
from core.ui.session import require_role

require_role(Role.RECRUITER, Role.HIRING_MANAGER)
st.title("Analytics")
data = overview(app_database())
cols = st.columns(len(InterviewStatus))
for col, status in zip(cols, InterviewStatus, strict=True):
    col.metric(label(status), data.interviews_by_status.get(status.value, 0))
c1, c2, c3 = st.columns(3)
c1.metric("Average score of completed interviews", percent(data.completed_average_percentage))
c2.metric("Proctoring warnings recorded", data.proctor_events)
c3.metric("Templates in use", data.templates_in_use)
st.info(
    "Charts of scores, the hiring funnel, proctoring warnings, templates, questions and "
    "coding (DuckDB dashboards) arrive with the analytics issue (issue 9)."
)
