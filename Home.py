"""Intervista: the router. Page config, settings, and navigation from the permissions table."""

from __future__ import annotations

from typing import NoReturn

import streamlit as st

from core.config import SettingsError
from core.db.engine import DatabaseUnavailable
from core.staff.permissions import Action, can, staff_principal
from core.ui.analytics_view import warm_up_in_background
from core.ui.navigation import sections_for
from core.ui.resources import app
from core.ui.session import current_user

st.set_page_config(page_title="Intervista", page_icon="🎙️", layout="wide")


def _fail(message: str) -> NoReturn:
    st.title("Intervista")
    st.error(message)
    st.stop()


try:
    app()  # the container: database migrated, mail worker and sweeper started (once)
except SettingsError as exc:
    _fail(f"The server's settings are invalid, so Intervista cannot start.\n\n{exc}")
except DatabaseUnavailable as exc:
    _fail(f"Intervista cannot reach its database.\n\n{exc}")

if "key" in st.query_params:
    # Candidates: only the interview page exists for them, with no navigation shown.
    page = st.Page("pages/interview.py", title="Interview", url_path="interview", default=True)
    st.navigation([page]).run()  # a single page: no menu is shown
    st.stop()

user = current_user()
if user is None:
    login = st.Page("pages/login.py", title="Sign in", icon=":material/login:", default=True)
    st.navigation([login]).run()  # a single page: no menu is shown
    st.stop()

principal = staff_principal(user)
if can(principal, Action.VIEW_ANALYTICS):
    warm_up_in_background()

# The menu comes from the permissions table: a page is listed iff its action is allowed.
menu = sections_for(principal)
if not menu:
    _fail("Your account gives access to no page. Ask an administrator.")
pages = {
    section: [
        st.Page(entry.path, title=entry.title, icon=entry.icon, default=(i, j) == (0, 0))
        for j, entry in enumerate(entries)
    ]
    for i, (section, entries) in enumerate(menu.items())
}
st.navigation(pages, position="top").run()
