"""Use a template for a candidate: the interview's options, then the use case."""

from __future__ import annotations

import streamlit as st

from core.db.engine import Database
from core.errors import PermissionDenied
from core.recruiting import template_admin as svc
from core.recruiting.catalog import TemplateView, list_candidates, list_jobs
from core.recruiting.templates import InterviewOptions
from core.staff.permissions import Principal
from core.ui.format import md_escape


def use_template_form(
    db: Database, chosen: TemplateView, user_id: int, principal: Principal, llm_enabled: bool
) -> None:
    people, jobs = list_candidates(db), list_jobs(db, include_inactive=False)
    with st.form("use_template"):
        person = st.selectbox(
            "Candidate", people, format_func=lambda c: f"{c.full_name} <{c.email}>"
        )
        job = st.selectbox("Job", jobs, format_func=lambda j: f"{j.title} · {j.company}")
        u1, u2, u3 = st.columns(3)
        multiplier = u1.number_input("Time multiplier (accommodation)", 1.0, 3.0, 1.0, 0.25)
        video = u2.checkbox("Camera proctoring", value=True)
        audio = u3.checkbox("Voice answers", value=False)
        practice = st.checkbox("Practice interview (link works at any time)")
        use_ai = st.checkbox(
            "Use the AI model in this interview",
            value=True,
            disabled=not llm_enabled,
            help="Grading, follow-ups and replies by the configured AI model. Off (or with no "
            "model configured): nothing of the interview is sent to a model; the offline "
            "engine scores it and the interviewer uses the questions' own follow-ups and notes.",
        )
        if not st.form_submit_button("Create interview", type="primary"):
            return
    if person is None:
        st.error("Add a candidate first (Candidates page).")
        return
    try:
        new_id = svc.use_template(
            db,
            chosen.id,
            person.id,
            job.id if job else None,
            InterviewOptions(
                time_multiplier=multiplier,
                enable_video=video,
                enable_audio=audio,
                is_practice=practice,
                use_ai=use_ai,
                created_by_id=user_id,
            ),
            principal=principal,
        )
        st.success(
            f"Created interview #{new_id}. Book it into a slot on the Schedule page to send "
            "the invitation."
        )
    except (svc.TemplateError, PermissionDenied) as exc:
        st.error(md_escape(exc))
