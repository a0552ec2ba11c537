"""Who is signed in, and page guards. ``st.session_state`` holds ids only."""

from __future__ import annotations

import streamlit as st

from core.domain import Role
from core.staff.auth import StaffUser, get_user
from core.ui.resources import app_database

USER_ID = "user_id"

ROLE_LABELS = {
    Role.ADMIN: "Administrator",
    Role.RECRUITER: "Recruiter",
    Role.HIRING_MANAGER: "Hiring manager",
}


def current_user() -> StaffUser | None:
    user_id = st.session_state.get(USER_ID)
    if user_id is None:
        return None
    user = get_user(app_database(), int(user_id))
    if user is None:  # deleted or deactivated since signing in
        st.session_state.pop(USER_ID, None)
    return user


def sign_in(user: StaffUser) -> None:
    st.session_state[USER_ID] = user.id


def sign_out() -> None:
    for key in list(st.session_state.keys()):
        del st.session_state[key]


def require_role(*roles: Role) -> StaffUser:
    """Stop the page unless a signed-in user has one of these roles (admins always pass)."""
    user = current_user()
    if user is None:
        st.warning("Please sign in to see this page.")
        st.page_link("pages/login.py", label="Go to sign in")
        st.stop()
    if user.role is not Role.ADMIN and user.role not in roles:
        st.error(
            f"Your role ({ROLE_LABELS[user.role]}) does not give access to this page. "
            "Ask an administrator if you need it."
        )
        st.stop()
    return user


def client_address() -> str:
    """The browser's address as Streamlit sees it (for rate limiting), or 'unknown'."""
    try:
        address = st.context.ip_address  # None for localhost connections
    except Exception:  # not available in every runtime
        return "unknown"
    return address if isinstance(address, str) and address else "local"
