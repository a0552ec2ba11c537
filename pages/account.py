"""The signed-in user's account: who they are, and signing out."""

from __future__ import annotations

import streamlit as st

from core.models.system_status import system_status
from core.staff.permissions import ROLE_LABELS, Action, staff_principal
from core.ui.format import local_time
from core.ui.resources import app_settings
from core.ui.session import require, sign_out
from core.ui.system_status import system_status_panel

user = require(Action.MANAGE_OWN_ACCOUNT)
settings = app_settings()

st.title("My account")
st.text(f"Name: {user.full_name}")
st.text(f"Email: {user.email}")
st.text(f"Role: {ROLE_LABELS[user.role]}")
st.text(f"Last sign-in: {local_time(user.last_login_at, settings.zone)}")
st.caption("Passwords are changed by an administrator (python -m core set-password).")
if st.button("Sign out", type="primary"):
    sign_out()  # ends the session now; the browser then clears its cookie and shows sign-in
    st.stop()
system_status_panel(system_status(staff_principal(user), settings))
