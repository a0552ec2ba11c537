"""Administrators: staff accounts and the audit log."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.errors import PermissionDenied
from core.models.system_status import system_status
from core.staff import auth, password_policy
from core.staff.audit import recent_audit
from core.staff.permissions import ROLE_LABELS, ROLES_BY_PRIVILEGE, Action, staff_principal
from core.ui.format import local_time, md_escape
from core.ui.resources import app_database, app_settings
from core.ui.session import require
from core.ui.system_status import system_status_panel

admin = require(Action.MANAGE_USERS)
principal = staff_principal(admin)  # the use cases ask core's permission check again
db, settings = app_database(), app_settings()
st.title("Users & audit")
system_status_panel(system_status(principal, settings))  # what runs degraded comes first

with st.form("new_user", clear_on_submit=True):
    st.subheader("Add a staff user")
    email = st.text_input("Email")
    name = st.text_input("Full name")
    role = st.selectbox(
        "Role", ROLES_BY_PRIVILEGE, index=0, format_func=lambda r: ROLE_LABELS[r]
    )
    password = st.text_input(
        "Initial password (at least 10 characters)",
        type="password",
        help=password_policy.rules_summary(),
    )
    if st.form_submit_button("Create user", type="primary"):
        try:
            created = auth.create_user(
                db,
                email=email,
                full_name=name,
                role=role or ROLES_BY_PRIVILEGE[0],  # the select box always holds one
                password=password,
                actor_id=admin.id,
                principal=principal,
            )
            st.success(f"Created {md_escape(created.email)}.")
        except (auth.AuthError, PermissionDenied) as exc:
            st.error(md_escape(exc))

users = auth.list_users(db)
st.dataframe(
    pd.DataFrame(
        [
            {
                "ID": u.id,
                "Email": u.email,
                "Name": u.full_name,
                "Role": ROLE_LABELS[u.role],
                "Active": u.is_active,
                "Last sign-in": local_time(u.last_login_at, settings.zone, False),
            }
            for u in users
        ]
    ),
    hide_index=True,
    width="stretch",
)

target = st.selectbox("Activate or deactivate", users, format_func=lambda u: u.email)
if target is not None and st.button("Deactivate" if target.is_active else "Activate"):
    try:
        auth.set_active(
            db,
            user_id=target.id,
            active=not target.is_active,
            actor_id=admin.id,
            principal=principal,
        )
        st.rerun()
    except (auth.AuthError, PermissionDenied) as exc:
        st.error(md_escape(exc))

with st.form("reset_password", clear_on_submit=True):
    st.subheader("Reset a password")
    st.caption("The user's sessions end; tell them the new password another way.")
    whose = st.selectbox("User", [u.email for u in users], key="reset_password_user")
    new_password = st.text_input(
        "New password", type="password", help=password_policy.rules_summary()
    )
    if st.form_submit_button("Set password") and whose is not None:
        try:
            auth.set_password(
                db, email=whose, password=new_password, actor_id=admin.id, principal=principal
            )
            st.success(f"Password changed for {md_escape(whose)}.")
        except (auth.AuthError, PermissionDenied) as exc:
            st.error(md_escape(exc))

st.subheader("Audit log")
entries = recent_audit(db)
if entries:
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "When": local_time(e.at, settings.zone, False),
                    "Who": e.actor,
                    "Action": e.action,
                    "Entity": f"{e.entity_type} {e.entity_id or ''}".strip(),
                    "Details": str(e.details),
                }
                for e in entries
            ]
        ),
        hide_index=True,
        width="stretch",
    )
else:
    st.caption("Nothing recorded yet.")
