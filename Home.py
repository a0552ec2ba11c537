"""Intervista: the router. Page config, settings, and navigation from the permissions table.

Every page is registered on every run, so that any link opens its page directly (never
Streamlit's "Page not found"): the staff menu shows the pages the signed-in user may open and
hides the others (which then say so); signed out, the menu is hidden and a staff page shows the
sign-in form in its place, returning to it after signing in; a candidate's link
(``/interview?key=…``) opens the interview with no menu at all.
"""

from __future__ import annotations

from typing import NoReturn

import streamlit as st

from core.config import SettingsError
from core.db.engine import DatabaseUnavailable
from core.staff.permissions import Action, can, staff_principal
from core.ui.analytics_view import warm_up_in_background
from core.ui.navigation import STAFF_PAGES, pages_for
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

candidate = "key" in st.query_params  # a candidate's link: only the interview, no menu
user = None if candidate else current_user()
principal = staff_principal(user) if user is not None else None
if principal is not None and can(principal, Action.VIEW_ANALYTICS):
    warm_up_in_background()

# The menu comes from the permissions table: a page is listed iff its action is allowed.
allowed = pages_for(principal)
if user is not None and not allowed:
    _fail("Your account gives access to no page. Ask an administrator.")
signed_in = user is not None
interview = st.Page(
    "pages/interview.py", title="Interview", url_path="interview", visibility="hidden"
)
login = st.Page("pages/login.py", title="Sign in", icon=":material/login:", visibility="hidden")
sections: dict[str, list[st.Page]] = {}
hidden: list[st.Page] = [login, interview]
for entry in STAFF_PAGES:
    listed = entry in allowed
    page = st.Page(
        entry.path,
        title=entry.title,
        icon=entry.icon,
        visibility="visible" if listed else "hidden",
    )
    if listed:
        sections.setdefault(entry.section, []).append(page)
    else:
        hidden.append(page)
# "/" only leads on: every page keeps its own address ("/review", "/login"). Streamlit serves its
# default page at "/" and answers that page's own address with "Page not found"; so the default
# is this small redirect, never a real page.
home = sections[next(iter(sections))][0] if signed_in else login
root = st.Page(
    lambda: st.switch_page(home, query_params=st.query_params.to_dict()),  # the query goes on
    title="Intervista",
    default=True,
    visibility="hidden",
)
hidden.append(root)
if signed_in:
    first_section = sections[next(iter(sections))]
    # Hidden pages keep their URLs; they sit in a section that shows, so no empty menu appears.
    first_section.extend(hidden)
    selected = st.navigation(sections, position="top")
    if selected is login:  # already signed in
        st.switch_page(home)
else:
    selected = st.navigation(hidden, position="hidden")

if candidate and selected is not interview:  # e.g. "/?key=…": the link's own address
    st.switch_page(interview, query_params=st.query_params.to_dict())
selected.run()
