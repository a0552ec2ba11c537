"""Database and account commands: init-db, create-user, set-password, seed-demo."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from core.cli import Command, application
from core.clock import utcnow
from core.config import get_settings
from core.domain import Role
from core.seed import database_is_empty, seed_demo
from core.staff import auth, password_policy


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def _init_db(_args: argparse.Namespace) -> int:
    db = application().db
    _out(f"database ready: {db.engine.url.render_as_string(hide_password=True)}")
    return 0


def _password_from(args: argparse.Namespace) -> str:
    if args.password_env:
        value = os.environ.get(args.password_env, "")
        if not value:
            raise auth.AuthError(f"the environment variable {args.password_env} is empty")
        return value
    if args.generate_password or not sys.stdin.isatty():
        return auth.generate_password()
    return getpass.getpass("Password: ")


def _configure_create_user(p: argparse.ArgumentParser) -> None:
    p.add_argument("--email", required=True)
    p.add_argument("--name", required=True, help="full name")
    p.add_argument("--role", required=True, choices=[r.value for r in Role])
    p.add_argument("--password-env", help="read the password from this environment variable")
    p.add_argument("--generate-password", action="store_true", help="generate and print one")
    p.epilog = f"Passwords: {password_policy.rules_summary()}"


def _create_user(args: argparse.Namespace) -> int:
    try:
        password = _password_from(args)
        user = auth.create_user(
            application().db,
            email=args.email,
            full_name=args.name,
            role=Role(args.role),
            password=password,
            actor_id=None,
        )
    except auth.AuthError as exc:  # a refused password names its rule: [password_common]
        sys.stderr.write(f"error: {exc} [{exc.code}]\n")
        return 1
    _out(f"created {user.role.value} {user.email} (id {user.id})")
    if not args.password_env:
        _out(f"password (shown once): {password}")
    return 0


def _configure_set_password(p: argparse.ArgumentParser) -> None:
    p.add_argument("--email", required=True)
    p.add_argument("--password-env", help="read the password from this environment variable")
    p.add_argument("--generate-password", action="store_true")
    p.epilog = f"Passwords: {password_policy.rules_summary()}"


def _set_password(args: argparse.Namespace) -> int:
    try:
        password = _password_from(args)
        auth.set_password(application().db, email=args.email, password=password, actor_id=None)
    except auth.AuthError as exc:  # a refused password names its rule: [password_common]
        sys.stderr.write(f"error: {exc} [{exc.code}]\n")
        return 1
    _out(f"password changed for {args.email}")
    if not args.password_env:
        _out(f"password (shown once): {password}")
    return 0


def _configure_seed(p: argparse.ArgumentParser) -> None:
    p.add_argument("--if-empty", action="store_true", help="only seed a database with no users")


def _seed(args: argparse.Namespace) -> int:
    db = application().db
    if args.if_empty and not database_is_empty(db):
        _out("database already has data; demo seeding skipped")
        return 0
    report = seed_demo(db, get_settings(), utcnow())
    created = ", ".join(f"{n} {kind}" for kind, n in sorted(report.created.items())) or "nothing"
    _out(f"demo data: created {created}")
    for email, password in report.passwords.items():
        _out(f"  staff login {email}  password (shown once): {password}")
    for title, link in report.links.items():
        _out(f"  candidate link for {title}: {link}")
    return 0


def _no_args(_p: argparse.ArgumentParser) -> None:
    return None


COMMANDS = [
    Command("init-db", "create or upgrade the database schema", _no_args, _init_db),
    Command("create-user", "create a staff user", _configure_create_user, _create_user),
    Command("set-password", "set a staff user's password", _configure_set_password, _set_password),
    Command("seed-demo", "load the demo data (idempotent)", _configure_seed, _seed),
]
