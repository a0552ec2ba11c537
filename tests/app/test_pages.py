"""Every page through the real router, logged out, with the wrong role and the right role."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from core.db.engine import Database
from core.domain import Role
from core.ui.format import md_escape
from tests.support.apptest import REPO, sign_in_as, texts
from tests.support.factories import PASSWORD, make_user


def test_logged_out_sees_sign_in_only(open_app: Callable[..., AppTest]) -> None:
    at = open_app()
    assert not at.exception
    assert [b.label for b in at.button] == ["Sign in"]
    assert "Sign in with your staff account" in texts(at)
    assert "Interviews" not in [t.value for t in at.title]


def test_wrong_password_gives_generic_error(
    open_app: Callable[..., AppTest], app_env: Database
) -> None:
    make_user(app_env, Role.RECRUITER, email="rec@example.com")
    at = open_app()
    at.text_input[0].input("rec@example.com")
    at.text_input[1].input("not the password")
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["Email or password is incorrect."]
    assert "user_id" not in at.session_state


def test_right_password_signs_in(open_app: Callable[..., AppTest], app_env: Database) -> None:
    make_user(app_env, Role.RECRUITER, email="rec@example.com")
    at = open_app()
    at.text_input[0].input("REC@example.com ")
    at.text_input[1].input(PASSWORD)
    at.button[0].click().run()
    assert not at.error
    assert "user_id" in at.session_state
    # AppTest keeps the sign-in page as "current" across the rerun; a browser is sent to the
    # default page. Opening the workspace now must work for this session.
    at.switch_page("pages/interviews.py").run()
    assert [t.value for t in at.title] == ["Interviews"]


PAGE_CASES = [
    # page, roles allowed (admin always), text that shows only when it works
    ("pages/interviews.py", {Role.RECRUITER}, "Backend Engineer at StartupX"),
    ("pages/candidates.py", {Role.RECRUITER}, "maya.fernandes@example.com"),
    ("pages/jobs.py", {Role.RECRUITER}, "Northwind Analytics"),
    ("pages/templates.py", {Role.RECRUITER}, "Python Backend Engineer"),
    ("pages/schedule.py", {Role.RECRUITER}, "Capacity"),
    ("pages/outbox.py", {Role.RECRUITER}, "No SMTP server is configured"),
    ("pages/review.py", {Role.RECRUITER, Role.HIRING_MANAGER}, "Maya Fernandes"),
    ("pages/analytics.py", {Role.RECRUITER, Role.HIRING_MANAGER}, "80%"),
    ("pages/users.py", set(), "admin@intervista.local"),
    ("pages/connections.py", set(), "Live API keys"),
    ("pages/account.py", {Role.RECRUITER, Role.HIRING_MANAGER}, "Sign out"),
]


def _page_content(at: AppTest) -> str:
    frames = [texts(at)]
    for df in at.dataframe:
        frames.append(df.value.to_string())
    frames.extend(b.label for b in at.button)
    frames.extend(str(s.options) for s in at.selectbox)
    return "\n".join(frames)


@pytest.mark.parametrize(("page", "roles", "marker"), PAGE_CASES)
@pytest.mark.parametrize("role", list(Role))
def test_page_by_role(
    open_app: Callable[..., AppTest],
    app_env: Database,
    page: str,
    roles: set[Role],
    marker: str,
    role: Role,
) -> None:
    user = make_user(app_env, role)
    at = AppTest.from_file(str(REPO / page), default_timeout=30)
    sign_in_as(at, user.id)
    at.run()
    assert not at.exception, at.exception
    content = _page_content(at)
    if role is Role.ADMIN or role in roles:
        assert marker in content
        assert not at.error
    else:
        assert "does not give access to this page" in content
        assert marker not in content


@pytest.mark.parametrize("page", [case[0] for case in PAGE_CASES])
def test_page_logged_out_shows_nothing(open_app: Callable[..., AppTest], page: str) -> None:
    at = AppTest.from_file(str(REPO / page), default_timeout=30)
    at.run()
    assert "Please sign in to see this page." in texts(at)
    assert not at.dataframe


def test_navigation_follows_role(open_app: Callable[..., AppTest], app_env: Database) -> None:
    manager = make_user(app_env, Role.HIRING_MANAGER)
    at = open_app(user_id=manager.id)
    assert [t.value for t in at.title] == ["Review"]  # first page a manager may open
    recruiter = make_user(app_env, Role.RECRUITER)
    assert [t.value for t in open_app(user_id=recruiter.id).title] == ["Interviews"]


def test_users_page_creates_user(open_app: Callable[..., AppTest], app_env: Database) -> None:
    admin = make_user(app_env, Role.ADMIN)
    at = AppTest.from_file(str(REPO / "pages/users.py"), default_timeout=30)
    sign_in_as(at, admin.id)
    at.run()
    form_inputs = at.text_input
    form_inputs[0].input("new.person@example.com")
    form_inputs[1].input("New Person")
    form_inputs[2].input("a long enough password")
    next(b for b in at.button if b.label == "Create user").click().run()
    created = f"Created {md_escape('new.person@example.com')}"  # shown as text, not a link
    assert any(created in s.value for s in at.success)
    assert any("new.person@example.com" in df.value.to_string() for df in at.dataframe)
