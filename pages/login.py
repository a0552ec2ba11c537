"""Staff sign-in."""

from __future__ import annotations

import streamlit as st

from core.clock import utcnow
from core.staff.auth import authenticate
from core.ui.resources import app_database, app_settings
from core.ui.session import client_address, sign_in

settings = app_settings()
st.title("Intervista")
st.caption("Sign in with your staff account. Candidates join through the link in their email.")

with st.form("sign_in", clear_on_submit=False):
    email = st.text_input("Email", autocomplete="username")
    password = st.text_input("Password", type="password", autocomplete="current-password")
    submitted = st.form_submit_button("Sign in", type="primary")

if submitted:
    if not email.strip() or not password:
        st.error("Enter your email and password.")
    else:
        result = authenticate(
            app_database(),
            email=email,
            password=password,
            address=client_address(),
            now=utcnow(),
            max_failures=settings.login_max_failures,
            window_seconds=settings.login_window_seconds,
        )
        if result.user is None:
            st.error(result.error or "Sign-in failed.")
        else:
            sign_in(result.user)
            st.rerun()
