"""Jobs: title, company, domain, coding language and required skills."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.domain import Role
from core.services.catalog import list_jobs
from core.ui.resources import app_database
from core.ui.session import require_role

require_role(Role.RECRUITER)
st.title("Jobs")
jobs = list_jobs(app_database())
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
st.info("Creating and editing jobs arrives with the recruiter workspace (issue 3).")
