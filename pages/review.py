"""Hiring-manager review: one interview's results, question by question."""

from __future__ import annotations

import streamlit as st

from core.domain import InterviewStatus, Role
from core.services.interviews import InterviewFilters, get_interview, list_interviews
from core.ui.format import label, local_time, md_escape, percent, score
from core.ui.resources import app_database, app_settings
from core.ui.session import require_role

require_role(Role.RECRUITER, Role.HIRING_MANAGER)
db, settings = app_database(), app_settings()
st.title("Review")

show_all = st.toggle("Include interviews that are not completed", value=False)
statuses = () if show_all else (InterviewStatus.COMPLETED,)
interviews = list_interviews(db, InterviewFilters(statuses=statuses))
if not interviews:
    st.info("No completed interviews to review yet.")
    st.stop()
chosen = st.selectbox(
    "Interview",
    interviews,
    format_func=lambda i: f"#{i.id} · {i.candidate_name} · {i.title} · {label(i.status)}",
)
detail = get_interview(db, chosen.id) if chosen else None
if detail is None:
    st.warning("That interview no longer exists.")
    st.stop()

s = detail.summary
st.header(md_escape(f"{s.candidate_name} — {s.title}"))
c1, c2, c3, c4 = st.columns(4)
c1.metric("Status", label(s.status))
c2.metric("Score", percent(s.percentage))
c3.metric("Type", label(s.interview_type))
c4.metric("Difficulty", label(s.difficulty))
st.caption(
    f"Scheduled {local_time(s.scheduled_at, settings.zone)} · "
    f"completed {local_time(s.completed_at, settings.zone)}"
)

if detail.overall_feedback:
    st.subheader("Overall evaluation")
    st.text(detail.overall_feedback)
    for title, items in (
        ("Strengths", detail.strengths),
        ("Weaknesses", detail.weaknesses),
        ("Recommendations", detail.recommendations),
    ):
        if items:
            st.markdown(f"**{title}**")
            st.text("\n".join(f"• {item}" for item in items))

st.subheader("Questions")
for q in detail.questions:
    with st.expander(f"Q{q.order} · {label(q.question_type)} · {score(q.score)}"):
        st.text(q.text)
        st.caption("Answer")
        st.text(q.answer or "(no answer)")
        if q.code:
            st.code(q.code)
        if q.feedback:
            st.caption("Feedback")
            st.text(q.feedback)
        if q.metrics:
            st.caption(" · ".join(f"{label(k)} {v:.1f}" for k, v in q.metrics.items()))
        if q.evaluator:
            st.caption(f"Evaluated by: {md_escape(q.evaluator)}")
st.info(
    "The recording, transcript, code history, warnings timeline, overrides and PDF export "
    "arrive with the review issue (issue 8)."
)
