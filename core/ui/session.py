"""Who is signed in, and page guards. ``st.session_state`` holds ids only.

Whether the signed-in user may open a page is decided by :mod:`core.staff.permissions`, the
same check the command line and the HTTP API ask; this module only says it to people.
"""

from __future__ import annotations

import streamlit as st

from core.errors import PermissionDenied
from core.staff import permissions
from core.staff.auth import StaffUser, get_user
from core.staff.permissions import ROLE_LABELS, Action, StaffPrincipal, staff_principal
from core.ui.resources import app_database

USER_ID = "user_id"


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


def current_principal() -> StaffPrincipal | None:
    """The signed-in staff member as core's permission check knows them, or None."""
    user = current_user()
    return staff_principal(user) if user is not None else None


def require(action: Action) -> StaffUser:
    """Stop the page unless core's permission check lets the signed-in user do ``action``."""
    user = current_user()
    try:
        permissions.require(staff_principal(user) if user is not None else None, action)
    except PermissionDenied:
        if user is None:
            st.warning("Please sign in to see this page.")
            st.page_link("pages/login.py", label="Go to sign in")
        else:
            st.error(
                f"Your role ({ROLE_LABELS[user.role]}) does not give access to this page. "
                "Ask an administrator if you need it."
            )
        st.stop()
    if user is None:  # not reached: core refuses a missing principal
        st.stop()
    return user


def client_address() -> str:
    """The browser's address as Streamlit sees it (for rate limiting), or 'unknown'."""
    try:
        address = st.context.ip_address  # None for localhost connections
    except Exception:  # not available in every runtime
        return "unknown"
    return address if isinstance(address, str) and address else "local"
