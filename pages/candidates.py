"""Candidates: add, edit, delete, resumes, CSV import, and each candidate's history."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.errors import PermissionDenied
from core.recruiting import candidates as svc
from core.recruiting.catalog import list_candidates
from core.recruiting.documents import SUPPORTED_RESUME_TYPES
from core.recruiting.interviews import InterviewFilters, list_interviews
from core.staff.permissions import Action, staff_principal
from core.ui.format import label, local_time, md_escape, percent
from core.ui.recruiting_forms import candidate_form
from core.ui.resources import app_database, app_settings
from core.ui.session import require

user = require(Action.MANAGE_CANDIDATES)
principal = staff_principal(user)  # the use cases ask core's permission check again
db, settings = app_database(), app_settings()
st.title("Candidates")
browse, add, bulk = st.tabs(["Browse", "Add", "Import CSV"])

with add:
    new = candidate_form("add_candidate")
    if new is not None:
        try:
            created = svc.create_candidate(db, new, actor_id=user.id, principal=principal)
            st.success(f"Added {md_escape(created.full_name)}.")
        except (svc.CandidateError, PermissionDenied) as exc:
            st.error(md_escape(exc))

with bulk:
    st.caption(
        "Columns: full_name (or name), email; optional phone, timezone, notes. "
        "Good rows are saved; rows with problems are listed with the reason."
    )
    upload = st.file_uploader("CSV file", type=["csv"], key="csv_upload")
    if upload is not None and st.button("Import", type="primary"):
        try:
            data = upload.getvalue()
            report = svc.import_candidates_csv(db, data, actor_id=user.id, principal=principal)
            st.success(f"Imported {len(report.created)} candidate(s).")
            if report.errors:
                st.warning(f"{len(report.errors)} row(s) were not imported:")
                st.dataframe(
                    pd.DataFrame(
                        [
                            {"Line": e.line, "Email": e.email, "Problem": e.reason}
                            for e in report.errors
                        ]
                    ),
                    hide_index=True,
                )
        except (svc.CandidateError, PermissionDenied) as exc:
            st.error(f"Nothing was imported: {md_escape(exc)}")

with browse:
    search = st.text_input("Search by name or email")
    people = list_candidates(db, search=search)
    st.caption(f"{len(people)} candidate(s)")
    if not people:
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
                for c in people
            ]
        ),
        hide_index=True,
        width="stretch",
    )
    chosen = st.selectbox("Candidate", people, format_func=lambda c: f"{c.full_name} <{c.email}>")
    if chosen is None:
        st.stop()
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
    with st.expander("Edit details"):
        edited = candidate_form(f"edit_{chosen.id}", chosen)
        if edited is not None:
            try:
                svc.update_candidate(db, chosen.id, edited, actor_id=user.id, principal=principal)
                st.success("Saved.")
            except (svc.CandidateError, PermissionDenied) as exc:
                st.error(md_escape(exc))
    with st.expander("Resume"):
        limit_mb = settings.resume_max_bytes / (1024 * 1024)
        resume = st.file_uploader(
            f"Upload a resume ({', '.join(SUPPORTED_RESUME_TYPES)}; up to {limit_mb:.1f} MB)",
            type=[t.lstrip(".") for t in SUPPORTED_RESUME_TYPES],
            key=f"resume_{chosen.id}",
        )
        if resume is not None and st.button("Save resume"):
            try:
                chosen = svc.attach_resume(
                    db,
                    settings,
                    chosen.id,
                    resume.name,
                    resume.getvalue(),
                    actor_id=user.id,
                    principal=principal,
                )
                st.success(f"Saved {md_escape(chosen.resume_filename)}.")
            except (ValueError, PermissionDenied) as exc:
                st.error(f"The resume was not saved: {md_escape(exc)}")
        if chosen.resume_text:
            st.text_area("Extracted text", chosen.resume_text, height=240, disabled=True)
    with st.expander("Delete"):
        st.warning("Deleting removes the candidate, their interviews, recordings and resume.")
        confirm = st.text_input("Type the candidate's email to confirm", key=f"del_{chosen.id}")
        if st.button("Delete candidate", disabled=confirm.strip().lower() != chosen.email):
            try:
                svc.delete_candidate(db, settings, chosen.id, actor_id=user.id, principal=principal)
            except (svc.CandidateError, PermissionDenied) as exc:
                st.error(f"Not deleted: {md_escape(exc)}")
            else:
                st.success("Deleted.")
                st.rerun()
