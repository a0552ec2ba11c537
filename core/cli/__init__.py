"""Command line: ``python -m core <command>``.

Each module in ``core/cli/commands/`` defines one or more commands by exposing
``COMMANDS: list[Command]``; they are discovered here, so adding a command never edits this file.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import pkgutil
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from core.app import Application, build_application
from core.config import SettingsError
from core.db.engine import DatabaseUnavailable
from core.errors import IntervistaError
from core.logging_setup import configure_logging

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Command:
    """One sub-command. ``run`` returns the process exit status."""

    name: str
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]
    needs_database: bool = True


_application: Application | None = None


def application() -> Application:
    """The process's container, built from settings on first use (as the app builds it).

    One-shot commands start no background work; long-running ones (``mail-worker``,
    ``sweep``) start what they run themselves."""
    global _application
    if _application is None:
        _application = build_application()
    return _application


def discover_commands() -> list[Command]:
    from core.cli import commands as package

    found: list[Command] = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        found.extend(getattr(module, "COMMANDS", []))
    return found


def build_parser(commands: Sequence[Command]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m core", description="Intervista command line")
    parser.add_argument("--log-level", default=None, help="DEBUG, INFO, WARNING, ERROR")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in commands:
        sp = sub.add_parser(command.name, help=command.help, description=command.help)
        command.configure(sp)
        sp.set_defaults(_command=command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    commands = discover_commands()
    parser = build_parser(commands)
    args = parser.parse_args(argv)  # exits with status 2 and a usage message on bad input
    configure_logging(args.log_level)
    command: Command = args._command
    try:
        if command.needs_database:
            application()
        return command.run(args)
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except DatabaseUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except IntervistaError as exc:  # a refused action: its message, with its stable code
        print(f"error: {exc} [{exc.code}]", file=sys.stderr)
        return 1
