"""One password policy, the same answer at every entry point: the core use cases (SQLite and
PostgreSQL), the command line (a real subprocess), the Users page (AppTest); and an over-long
password never reaches argon2, neither when set nor at sign-in."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import argon2
import pytest
import streamlit as st
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

import core.cli
from core.app import Application
from core.config import Settings, get_settings
from core.db.engine import Database
from core.db.models import AuthAttempt, User
from core.domain import Role
from core.staff import auth, password_policy
from core.staff.throttle import Backoff, LoginThrottle
from core.ui.format import md_escape
from tests.support.apptest import REPO, sign_in_as, texts
from tests.support.factories import PASSWORD, make_user

EMAIL = "jane.doe@example.com"
# The brief's table: refused, with the rule each breaks (the message is the rule's own).
REFUSED = [
    ("aaaaaaaaaa", "password_repetitive"),
    ("password12", "password_common"),
    (" " * 10, "password_blank"),
    ("x" * 1025, "password_too_long"),
    ("jane.doejane.doe", "password_contains_email"),  # the email's name part, repeated
]
ACCEPTED = ["tulip marble quietly", "correct horse battery"]
MESSAGES = {p.code: p.message for p in password_policy.ALL_PROBLEMS}
NOW = datetime(2026, 2, 1, 12, tzinfo=UTC)
THROTTLE = LoginThrottle(Backoff(3, 2.0, 60.0), Backoff(12, 2.0, 60.0), timedelta(seconds=600))


def _hash_of(db: Database, email: str) -> str | None:
    with db.read() as s:
        return s.scalars(select(User.password_hash).where(User.email == email)).first()


# --- the core use cases (what the HTTP API will call) -------------------------------------


@pytest.mark.parametrize(("password", "code"), REFUSED)
def test_core_refuses_with_the_rules_code(any_db: Database, password: str, code: str) -> None:
    with pytest.raises(auth.PasswordRejected) as created:
        auth.create_user(
            any_db, email=EMAIL, full_name="Jane", role=Role.RECRUITER, password=password,
            actor_id=None,
        )  # fmt: skip
    assert (created.value.code, str(created.value)) == (code, MESSAGES[code])
    assert _hash_of(any_db, EMAIL) is None
    make_user(any_db, email=EMAIL)
    before = _hash_of(any_db, EMAIL)
    with pytest.raises(auth.PasswordRejected) as reset:
        auth.set_password(any_db, email=EMAIL, password=password, actor_id=None)
    assert reset.value.code == code and _hash_of(any_db, EMAIL) == before


@pytest.mark.parametrize("password", ACCEPTED)
def test_core_accepts_good_passphrases(any_db: Database, password: str) -> None:
    auth.create_user(
        any_db, email=EMAIL, full_name="Jane", role=Role.RECRUITER, password=password,
        actor_id=None,
    )  # fmt: skip
    auth.set_password(any_db, email=EMAIL, password=password[::-1], actor_id=None)
    assert auth.authenticate(
        any_db, email=EMAIL, password=password[::-1], address="10.0.0.1", now=NOW,
        throttle=THROTTLE,
    ).user is not None  # fmt: skip


# --- the command line -----------------------------------------------------------------------


@pytest.fixture
def cli(
    db: Database,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Callable[..., tuple[int, str, str]]:
    """``python -m core …`` in this process, on the test's database: (status, stdout, stderr)."""
    monkeypatch.setattr(core.cli, "_application", Application(settings, db))

    def run(*args: str, password: str) -> tuple[int, str, str]:
        monkeypatch.setenv("PW", password)
        capsys.readouterr()
        status = core.cli.main([*args, "--password-env", "PW"])
        out, err = capsys.readouterr()
        return status, out, err

    return run


CREATE = ["create-user", "--email", EMAIL, "--name", "Jane", "--role", "recruiter"]


@pytest.mark.parametrize(("password", "code"), REFUSED)
def test_the_command_line_gives_the_same_answers(
    cli: Callable[..., tuple[int, str, str]], db: Database, password: str, code: str
) -> None:
    assert cli(*CREATE, password=password) == (1, "", f"error: {MESSAGES[code]} [{code}]\n")
    assert _hash_of(db, EMAIL) is None
    assert cli(*CREATE, password=ACCEPTED[0])[:2] == (0, f"created recruiter {EMAIL} (id 1)\n")
    before = _hash_of(db, EMAIL)
    reset = ["set-password", "--email", EMAIL]
    assert cli(*reset, password=password) == (1, "", f"error: {MESSAGES[code]} [{code}]\n")
    assert _hash_of(db, EMAIL) == before
    assert cli(*reset, password=ACCEPTED[1]) == (0, f"password changed for {EMAIL}\n", "")


@pytest.mark.slow
def test_the_command_line_as_a_process(tmp_path: Path) -> None:
    """The same through a real ``python -m core`` process: the exit status and the message."""
    env = {
        **os.environ,
        "INTERVISTA_DATA_DIR": str(tmp_path / "data"),
        "INTERVISTA_DATABASE_URL": f"sqlite:///{tmp_path / 'data' / 'app.db'}",
        "INTERVISTA_SECRETS_FILE": str(tmp_path / "none.toml"),
    }

    def run(password: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "core", *CREATE, "--password-env", "PW"],
            cwd=REPO,
            env={**env, "PW": password},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    refused = run("password12")
    assert refused.returncode == 1
    assert f"error: {MESSAGES['password_common']} [password_common]" in refused.stderr
    accepted = run(ACCEPTED[0])
    assert accepted.returncode == 0 and f"created recruiter {EMAIL}" in accepted.stdout


# --- the Users page ---------------------------------------------------------------------


@pytest.fixture
def users_page(
    db: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> Iterator[AppTest]:
    """pages/users.py on the test's migrated SQLite file, signed in as an administrator."""
    monkeypatch.setenv("INTERVISTA_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("INTERVISTA_DATABASE_URL", settings.resolved_database_url)
    monkeypatch.setenv("INTERVISTA_SECRETS_FILE", str(settings.data_dir / "absent.toml"))
    monkeypatch.setenv("INTERVISTA_EVALUATOR", "offline")
    monkeypatch.setenv("INTERVISTA_SWEEPER_INTERVAL_SECONDS", "0")
    monkeypatch.chdir(REPO)
    get_settings.cache_clear()
    st.cache_resource.clear()
    admin = make_user(db, Role.ADMIN, email="admin@example.com")
    at = AppTest.from_file(str(REPO / "pages/users.py"), default_timeout=30)
    yield sign_in_as(at, admin.id).run()
    get_settings.cache_clear()
    st.cache_resource.clear()


def _create(at: AppTest, email: str, password: str) -> AppTest:
    inputs = {t.label: t for t in at.text_input}
    inputs["Email"].input(email)
    inputs["Full name"].input("Jane Doe")
    inputs["Initial password (at least 10 characters)"].input(password)
    return next(b for b in at.button if b.label == "Create user").click().run()


def _reset(at: AppTest, email: str, password: str) -> AppTest:
    next(s for s in at.selectbox if s.label == "User").set_value(email)
    next(t for t in at.text_input if t.label == "New password").input(password)
    return next(b for b in at.button if b.label == "Set password").click().run()


def test_the_users_page_gives_the_same_answers(users_page: AppTest, db: Database) -> None:
    at = users_page
    for password, code in REFUSED:
        _create(at, EMAIL, password)
        assert [e.value for e in at.error] == [md_escape(MESSAGES[code])], (code, texts(at))
        assert _hash_of(db, EMAIL) is None
    _create(at, EMAIL, ACCEPTED[0])
    created = f"Created {md_escape(EMAIL)}."
    assert not at.error and any(created in s.value for s in at.success), texts(at)
    before = _hash_of(db, EMAIL)
    for password, code in REFUSED:
        _reset(at, EMAIL, password)
        assert [e.value for e in at.error] == [md_escape(MESSAGES[code])], (code, texts(at))
    assert _hash_of(db, EMAIL) == before
    _reset(at, EMAIL, ACCEPTED[1])
    changed = f"Password changed for {md_escape(EMAIL)}."
    assert any(changed in s.value for s in at.success), texts(at)
    assert _hash_of(db, EMAIL) != before


# --- no argon2 for an over-long password --------------------------------------------------


@pytest.fixture
def argon2_calls(argon2id_hashing: None, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Production hashing (argon2id), with every hash and verify argon2-cffi runs recorded."""
    calls: list[str] = []
    for name in ("hash", "verify"):
        real = getattr(argon2.PasswordHasher, name)

        def spy(self: argon2.PasswordHasher, *args: object, _real=real, _name=name) -> object:
            calls.append(_name)
            return _real(self, *args)

        monkeypatch.setattr(argon2.PasswordHasher, name, spy)
    return calls


def _failures(db: Database) -> int:
    with db.read() as s:
        stmt = select(func.count()).select_from(AuthAttempt).where(AuthAttempt.succeeded.is_(False))
        return int(s.scalar(stmt) or 0)


@pytest.mark.parametrize("email", [EMAIL, "nobody@example.com"])
def test_a_ten_megabyte_password_at_sign_in_never_reaches_argon2(
    db: Database, argon2_calls: list[str], email: str
) -> None:
    make_user(db, email=EMAIL)
    argon2_calls.clear()
    huge = PASSWORD + "p" * 10_000_000
    result = auth.authenticate(
        db, email=email, password=huge, address="10.0.0.1", now=NOW, throttle=THROTTLE
    )
    assert result == auth.LoginResult(None, auth.LOGIN_FAILED)  # the generic answer
    assert argon2_calls == [] and _failures(db) == 1  # a failure like any other
    # The control: a wrong password of ordinary length is checked by argon2.
    auth.authenticate(
        db, email=email, password="wrong password", address="10.0.0.1", now=NOW, throttle=THROTTLE
    )
    assert "verify" in argon2_calls


def test_an_over_long_new_password_is_refused_before_hashing(
    db: Database, argon2_calls: list[str]
) -> None:
    make_user(db, email=EMAIL)
    argon2_calls.clear()
    huge = "p" * 10_000_000
    with pytest.raises(auth.PasswordRejected, match="at most 1024"):
        auth.create_user(
            db, email="x@example.com", full_name="X", role=Role.RECRUITER, password=huge,
            actor_id=None,
        )  # fmt: skip
    with pytest.raises(auth.PasswordRejected, match="at most 1024"):
        auth.set_password(db, email=EMAIL, password=huge, actor_id=None)
    assert argon2_calls == []
    auth.set_password(db, email=EMAIL, password="tulip marble quietly", actor_id=None)
    assert argon2_calls == ["hash"]  # the control
