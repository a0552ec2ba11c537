"""Mail commands: ``mail-worker`` (deliver the outbox) and ``mail-resend`` (queue one again)."""

from __future__ import annotations

import argparse
import sys

from core.cli import Command, application
from core.clock import utcnow
from core.config import get_settings
from core.mail.outbox import OutboxError, count_by_status, resend
from core.mail.transport import build_transport
from core.mail.worker import MailWorker, process_due


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def _configure_worker(p: argparse.ArgumentParser) -> None:
    p.add_argument("--once", action="store_true", help="one pass over due messages, then exit")
    p.add_argument("--batch", type=int, default=20, help="messages per pass (default 20)")
    p.add_argument("--interval", type=float, default=5.0, help="seconds between passes")
    p.add_argument("--ca-file", default="", help="extra CA certificate (PEM) to trust for TLS")


def _summary() -> str:
    counts = count_by_status(application().db)
    return ", ".join(f"{status.value} {n}" for status, n in counts.items())


def _worker(args: argparse.Namespace) -> int:
    if args.batch < 1 or args.interval <= 0:
        sys.stderr.write("error: --batch must be >= 1 and --interval > 0\n")
        return 2
    settings = get_settings()
    transport = build_transport(settings, ca_file=args.ca_file or None)
    if transport is None:
        sys.stderr.write(
            "error: no SMTP server configured (set INTERVISTA_SMTP_HOST); "
            "messages stay in the outbox\n"
        )
        return 2
    db = application().db
    if args.once:
        sent = process_due(db, transport, utcnow(), batch=args.batch, settings=settings)
        _out(f"sent {sent}; outbox now: {_summary()}")
        return 0
    worker = MailWorker(db, transport, settings, interval_seconds=args.interval)
    _out(f"mail worker running ({settings.smtp_host}:{settings.smtp_port}); Ctrl-C stops it")
    try:
        worker.run_forever()
    except KeyboardInterrupt:
        _out("stopped")
    return 0


def _configure_resend(p: argparse.ArgumentParser) -> None:
    p.add_argument("outbox_id", type=int, help="the message's id (see the Email outbox page)")


def _resend(args: argparse.Namespace) -> int:
    try:
        message = resend(application().db, args.outbox_id, utcnow(), settings=get_settings())
    except OutboxError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 1
    _out(f"queued #{message.id} to {message.to_address}: {message.subject}")
    return 0


COMMANDS = [
    Command(
        "mail-worker",
        "Deliver queued emails over SMTP (retries with back-off; --once for a single pass)",
        _configure_worker,
        _worker,
        needs_database=True,
    ),
    Command(
        "mail-resend",
        "Queue an outbox message again (failed: retried; sent: a new copy is sent)",
        _configure_resend,
        _resend,
        needs_database=True,
    ),
]
