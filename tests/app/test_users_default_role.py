"""Users & audit: a new staff user gets the least privileged role unless the admin chooses
another (issue 16 k)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from core.db.engine import Database
from core.db.models import User
from core.domain import Role
from core.ui.format import md_escape
from tests.support.apptest import REPO, sign_in_as, texts
from tests.support.factories import make_user


def _users_page(db: Database) -> AppTest:
    at = AppTest.from_file(str(REPO / "pages/users.py"), default_timeout=30)
    sign_in_as(at, make_user(db, Role.ADMIN).id)
    return at.run()


def _fill(at: AppTest, email: str) -> None:
    inputs = {t.label: t for t in at.text_input}
    inputs["Email"].input(email)
    inputs["Full name"].input("New Person")
    inputs["Initial password (at least 10 characters)"].input("a long enough password")


def _role_of(db: Database, email: str) -> Role:
    with db.read() as s:
        return Role(s.scalars(select(User.role).where(User.email == email)).one())


def test_add_user_defaults_to_hiring_manager(
    open_app: Callable[..., AppTest], app_env: Database
) -> None:
    at = _users_page(app_env)
    role = next(s for s in at.selectbox if s.label == "Role")
    assert role.value is Role.HIRING_MANAGER and role.options[0] == "Hiring manager"
    _fill(at, "untouched.role@example.com")
    next(b for b in at.button if b.label == "Create user").click().run()
    created = f"Created {md_escape('untouched.role@example.com')}."  # shown as text, not a link
    assert any(created in s.value for s in at.success), texts(at)
    assert _role_of(app_env, "untouched.role@example.com") is Role.HIRING_MANAGER


def test_more_privilege_is_an_explicit_choice(
    open_app: Callable[..., AppTest], app_env: Database
) -> None:
    at = _users_page(app_env)
    _fill(at, "chosen.admin@example.com")
    next(s for s in at.selectbox if s.label == "Role").set_value(Role.ADMIN)
    next(b for b in at.button if b.label == "Create user").click().run()
    assert _role_of(app_env, "chosen.admin@example.com") is Role.ADMIN
