"""The HTTP API's commands: ``serve`` (the app and the API on one port) and ``api-key``."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

from core.cli import Command, application
from core.config import PROJECT_ROOT, get_settings
from core.staff import api_access
from core.staff.permissions import API_KEY_SCOPES, DEFAULT_API_KEY_SCOPES
from core.staff.proxies import ENV_VAR, forwarded_allow_ips


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def _configure_serve(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", default="127.0.0.1", help="address to listen on")
    p.add_argument("--port", type=int, default=8501, help="port (1-65535)")


def _serve(args: argparse.Namespace) -> int:
    """Run ``streamlit run server.py``: the pages and ``/api`` on one port (as ``make run``)."""
    if not 1 <= args.port <= 65535:
        sys.stderr.write(f"error: --port {args.port} is not a port (1-65535)\n")
        return 2
    env = dict(os.environ)
    env[ENV_VAR] = forwarded_allow_ips(get_settings())
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(PROJECT_ROOT / "server.py"),
        "--server.address",
        args.host,
        "--server.port",
        str(args.port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]
    return subprocess.call(command, env=env, cwd=PROJECT_ROOT)


def _configure_api_key(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    create = sub.add_parser("create", help="make a key (printed once, alone on the last line)")
    create.add_argument("--name", required=True, help="what the key is for, e.g. Greenhouse")
    create.add_argument(
        "--scope",
        action="append",
        default=[],
        choices=sorted(API_KEY_SCOPES),
        help=f"repeat for several (default: {', '.join(DEFAULT_API_KEY_SCOPES)})",
    )
    create.add_argument("--expires-days", type=float, default=None, help="default: never")
    sub.add_parser("list", help="the keys: id, prefix, name, scopes, state")
    revoke = sub.add_parser("revoke", help="stop a key at once")
    revoke.add_argument("id", type=int)


def _api_key(args: argparse.Namespace) -> int:
    app = application()
    now = app.clock.now()
    if args.action == "create":
        made = api_access.create_api_key(
            app.db, name=args.name, scopes=args.scope, now=now, expires_days=args.expires_days
        )
        sys.stderr.write(
            f"API key #{made.id} '{made.name}' (scopes: {', '.join(made.scopes)}) — "
            "shown once; store it now:\n"
        )
        _out(made.key)
        return 0
    if args.action == "list":
        for k in api_access.list_api_keys(app.db):
            state = "active" if k.active else f"revoked {k.revoked_at:%Y-%m-%d}"
            used = f"{k.last_used_at:%Y-%m-%d %H:%M}" if k.last_used_at else "never"
            _out(f"{k.id}\tivk_{k.prefix}_…\t{k.name}\t{','.join(k.scopes)}\t{state}\tused {used}")
        return 0
    revoked = api_access.revoke_api_key(app.db, args.id, now=now)
    _out(f"API key #{revoked.id} '{revoked.name}' revoked")
    return 0


COMMANDS = [
    Command(
        "serve",
        "serve the app and the HTTP API (/api) on one port",
        _configure_serve,
        _serve,
    ),
    Command(
        "api-key",
        "create, list or revoke the organisation's API keys",
        _configure_api_key,
        _api_key,
    ),
]
