"""Intervista: the router. Page config, settings, and role-based navigation."""

from __future__ import annotations

import streamlit as st

from core.config import SettingsError
from core.db.engine import DatabaseUnavailable
from core.domain import Role
from core.ui.analytics_view import warm_up_in_background
from core.ui.resources import app
from core.ui.session import current_user

st.set_page_config(page_title="Intervista", page_icon="🎙️", layout="wide")

STAFF = (Role.RECRUITER, Role.HIRING_MANAGER)
# (section, file, title, icon, roles allowed besides admin)
STAFF_PAGES: list[tuple[str, str, str, str, tuple[Role, ...]]] = [
    ("Workspace", "pages/interviews.py", "Interviews", ":material/event_note:", (Role.RECRUITER,)),
    ("Workspace", "pages/candidates.py", "Candidates", ":material/group:", (Role.RECRUITER,)),
    ("Workspace", "pages/jobs.py", "Jobs", ":material/work:", (Role.RECRUITER,)),
    ("Workspace", "pages/templates.py", "Templates", ":material/library_books:", (Role.RECRUITER,)),
    ("Workspace", "pages/schedule.py", "Schedule", ":material/calendar_month:", (Role.RECRUITER,)),
    ("Workspace", "pages/outbox.py", "Email outbox", ":material/outbox:", (Role.RECRUITER,)),
    ("Review", "pages/review.py", "Review", ":material/rate_review:", STAFF),
    ("Insights", "pages/analytics.py", "Analytics", ":material/monitoring:", STAFF),
    ("Admin", "pages/users.py", "Users & audit", ":material/admin_panel_settings:", ()),
    ("Account", "pages/account.py", "My account", ":material/person:", STAFF),
]


def _fail(message: str) -> None:
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

if user.role in (Role.ADMIN, *STAFF):  # every staff role sees Analytics
    warm_up_in_background()

sections: dict[str, list[st.Page]] = {}
for section, path, title, icon, roles in STAFF_PAGES:
    if user.role is Role.ADMIN or user.role in roles:
        is_first = not sections
        page = st.Page(path, title=title, icon=icon, default=is_first)
        sections.setdefault(section, []).append(page)
st.navigation(sections, position="top").run()
