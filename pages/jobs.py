"""Jobs: create, edit, deactivate."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.errors import PermissionDenied
from core.recruiting import jobs as svc
from core.recruiting.catalog import list_jobs
from core.staff.permissions import Action, staff_principal
from core.ui.format import md_escape
from core.ui.recruiting_forms import job_form
from core.ui.resources import app_database
from core.ui.session import require

user = require(Action.MANAGE_JOBS)
principal = staff_principal(user)  # the use cases ask core's permission check again
db = app_database()
st.title("Jobs")

with st.expander("New job"):
    new = job_form("new_job")
    if new is not None:
        try:
            made = svc.create_job(db, new, actor_id=user.id, principal=principal)
            st.success(f"Created {md_escape(made.title)}.")
        except (svc.JobError, PermissionDenied) as exc:
            st.error(md_escape(exc))

jobs = list_jobs(db)
if not jobs:
    st.info("No jobs yet.")
    st.stop()
st.dataframe(
    pd.DataFrame(
        [
            {
                "ID": j.id,
                "Title": j.title,
                "Company": j.company,
                "Domain": j.domain,
                "Coding language": j.coding_language.label,
                "Skills": ", ".join(j.required_skills),
                "Active": j.is_active,
            }
            for j in jobs
        ]
    ),
    hide_index=True,
    width="stretch",
)

chosen = st.selectbox("Job", jobs, format_func=lambda j: f"{j.title} · {j.company}")
if chosen is not None:
    edited = job_form(f"edit_job_{chosen.id}", chosen)
    if edited is not None:
        try:
            svc.update_job(db, chosen.id, edited, actor_id=user.id, principal=principal)
            st.success("Saved.")
        except (svc.JobError, PermissionDenied) as exc:
            st.error(md_escape(exc))
    action = "Deactivate" if chosen.is_active else "Activate"
    if st.button(f"{action} this job"):
        active = not chosen.is_active
        svc.set_job_active(db, chosen.id, active, actor_id=user.id, principal=principal)
        st.rerun()
