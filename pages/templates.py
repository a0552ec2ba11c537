"""Interview templates: list with filters and each template's questions."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.domain import Difficulty, InterviewType, Role
from core.services.catalog import list_templates
from core.ui.format import label, md_escape, percent
from core.ui.resources import app_database
from core.ui.session import require_role

require_role(Role.RECRUITER)
st.title("Interview templates")
c1, c2, c3 = st.columns(3)
types = c1.multiselect("Type", list(InterviewType), format_func=label)
difficulties = c2.multiselect("Difficulty", list(Difficulty), format_func=label)
status = c3.selectbox("Show", ["Active", "Inactive", "All"])
active = {"Active": True, "Inactive": False, "All": None}[status]
templates = list_templates(
    app_database(), types=tuple(types), difficulties=tuple(difficulties), active=active
)
if not templates:
    st.info("No templates match these filters.")
    st.stop()
st.dataframe(
    pd.DataFrame(
        [
            {
                "ID": t.id,
                "Title": t.title,
                "Type": label(t.interview_type),
                "Difficulty": label(t.difficulty),
                "Minutes": t.duration_minutes,
                "Questions": len(t.questions),
                "Times used": t.times_used,
                "Average score": percent(t.average_score),
                "Premium": t.is_premium,
            }
            for t in templates
        ]
    ),
    hide_index=True,
    width="stretch",
)

chosen = st.selectbox("Template details", templates, format_func=lambda t: t.title)
if chosen is not None:
    st.text(chosen.description)
    for i, q in enumerate(chosen.questions, start=1):
        with st.expander(
            f"Q{i} · {label(str(q.get('question_type', '')))} · "
            f"{q.get('expected_duration_minutes', 5)} min"
        ):
            st.text(str(q.get("question_text", "")))
            st.caption("Expected answer")
            st.text(str(q.get("expected_answer", "")))
            criteria = "; ".join(map(str, q.get("evaluation_criteria", [])))
            st.caption("Criteria: " + md_escape(criteria))
st.info(
    "Creating, editing, duplicating, importing and exporting templates arrive with the "
    "recruiter workspace (issue 3)."
)
