"""Interview templates: browse, edit, duplicate, import/export, and use one for a candidate."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.domain import Difficulty, InterviewType
from core.errors import PermissionDenied
from core.recruiting import template_admin as svc
from core.recruiting.catalog import list_templates
from core.staff.permissions import Action, staff_principal
from core.ui.format import label, md_escape, percent
from core.ui.question_drafts import generate_tab
from core.ui.resources import app, app_database, app_settings
from core.ui.session import require
from core.ui.template_editor import template_editor
from core.ui.template_use import use_template_form

user = require(Action.MANAGE_TEMPLATES)
principal = staff_principal(user)  # the use cases ask core's permission check again
db, settings = app_database(), app_settings()
st.title("Interview templates")
browse, generate, create, import_tab = st.tabs(["Browse", "Generate", "New template", "Import"])

with generate:
    generate_tab(db, settings, app().draft_jobs, principal, user.id)

with create:
    spec = template_editor("new_template", None)
    if spec is not None:
        try:
            made = svc.create_template(db, spec, actor_id=user.id, principal=principal)
            st.success(f"Created {md_escape(made.title)}.")
        except (svc.TemplateError, PermissionDenied) as exc:
            st.error(md_escape(exc))

with import_tab:
    upload = st.file_uploader("Template JSON (exported from Intervista)", type=["json"])
    if upload is not None and st.button("Import template", type="primary"):
        try:
            data = upload.getvalue()
            imported = svc.import_template_json(db, data, actor_id=user.id, principal=principal)
            st.success(f"Imported {md_escape(imported.title)}.")
        except (svc.TemplateError, PermissionDenied) as exc:
            st.error(f"The file was rejected: {md_escape(exc)}")

with browse:
    c1, c2, c3 = st.columns(3)
    types = c1.multiselect("Type", list(InterviewType), format_func=label)
    levels = c2.multiselect("Difficulty", list(Difficulty), format_func=label)
    show = c3.selectbox("Show", ["Active", "Inactive", "Premium", "All"])
    filters = {
        "Active": {"active": True},
        "Inactive": {"active": False},
        "Premium": {"premium": True},
        "All": {},
    }[show]
    templates = list_templates(db, types=tuple(types), difficulties=tuple(levels), **filters)
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
                    "Active": t.is_active,
                    "Premium": t.is_premium,
                }
                for t in templates
            ]
        ),
        hide_index=True,
        width="stretch",
    )
    chosen = st.selectbox("Template", templates, format_func=lambda t: t.title)
    if chosen is None:
        st.stop()
    st.text(chosen.description)
    for i, q in enumerate(chosen.questions, start=1):
        kind, minutes = q.get("question_type", ""), q.get("expected_duration_minutes", 5)
        with st.expander(md_escape(f"Q{i} · {label(str(kind))} · {minutes} min")):
            st.text(str(q.get("question_text", "")))
            st.caption("Expected answer")
            st.text(str(q.get("expected_answer", "")))
            criteria = "; ".join(map(str, q.get("evaluation_criteria", [])))
            st.caption("Criteria: " + md_escape(criteria))
    a1, a2, a3 = st.columns(3)
    a1.download_button(
        "Export JSON",
        svc.export_template_json(db, chosen.id),
        file_name=f"template-{chosen.id}.json",
        mime="application/json",
    )
    if a2.button("Duplicate"):
        twin = svc.duplicate_template(db, chosen.id, actor_id=user.id, principal=principal)
        st.success(f"Created {md_escape(twin.title)}.")
    if a3.button("Deactivate" if chosen.is_active else "Activate"):
        active = not chosen.is_active
        svc.set_template_active(db, chosen.id, active, actor_id=user.id, principal=principal)
        st.rerun()
    with st.expander("Edit"):
        edited = template_editor(f"edit_template_{chosen.id}", svc.spec_from_view(chosen))
        if edited is not None:
            svc.update_template(db, chosen.id, edited, actor_id=user.id, principal=principal)
            st.success("Saved.")
    with st.expander("Use template", expanded=True):
        use_template_form(db, chosen, user.id, principal, settings.llm_enabled)
