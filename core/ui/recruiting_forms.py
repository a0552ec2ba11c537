"""Form widgets for the recruiter workspace. They return plain inputs; pages call services."""

from __future__ import annotations

import streamlit as st

from core.domain import CodingLanguage
from core.recruiting.candidates import CandidateInput
from core.recruiting.catalog import CandidateView, JobView
from core.recruiting.jobs import JobInput


def candidate_form(key: str, current: CandidateView | None = None) -> CandidateInput | None:
    """Render a candidate form; return the input when submitted."""
    with st.form(key, clear_on_submit=current is None):
        name = st.text_input("Full name", value=current.full_name if current else "")
        email = st.text_input("Email", value=current.email if current else "")
        c1, c2 = st.columns(2)
        phone = c1.text_input("Phone", value=current.phone if current else "")
        zone = c2.text_input(
            "Time zone (IANA, e.g. Europe/London; empty = organisation's)",
            value=current.timezone if current else "",
        )
        notes = st.text_area("Notes", value=current.notes if current else "")
        label = "Save changes" if current else "Add candidate"
        if st.form_submit_button(label, type="primary"):
            return CandidateInput(
                full_name=name, email=email, phone=phone, timezone=zone, notes=notes
            )
    return None


def job_form(key: str, current: JobView | None = None) -> JobInput | None:
    """Render a job form; return the input when submitted."""
    languages = list(CodingLanguage)
    with st.form(key, clear_on_submit=current is None):
        c1, c2 = st.columns(2)
        title = c1.text_input("Title", value=current.title if current else "")
        company = c2.text_input("Company", value=current.company if current else "")
        c3, c4 = st.columns(2)
        domain = c3.text_input("Domain", value=current.domain if current else "")
        language = c4.selectbox(
            "Coding language",
            languages,
            format_func=lambda lang: lang.label,
            index=languages.index(current.coding_language) if current else 0,
        )
        skills = st.text_input(
            "Required skills (comma-separated)",
            value=", ".join(current.required_skills) if current else "",
        )
        description = st.text_area("Description", value=current.description if current else "")
        if st.form_submit_button("Save changes" if current else "Create job", type="primary"):
            return JobInput(
                title=title,
                company=company,
                description=description,
                domain=domain,
                coding_language=language,
                required_skills=tuple(s.strip() for s in skills.split(",") if s.strip()),
            )
    return None
