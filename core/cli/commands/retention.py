"""``purge``: remove recordings and snapshots older than the retention setting (scores stay)."""

from __future__ import annotations

import argparse
import sys

from core.cli import Command, application
from core.clock import utcnow
from core.config import get_settings
from core.review.erasure import purge_media


def _configure(p: argparse.ArgumentParser) -> None:
    mode = p.add_mutually_exclusive_group(required=True)
    mode.add_argument("--dry-run", action="store_true", help="list what would be removed")
    mode.add_argument("--yes", action="store_true", help="remove it")


def _run(args: argparse.Namespace) -> int:
    settings = get_settings()
    report = purge_media(application().db, settings, now=utcnow(), dry_run=args.dry_run)
    verb = "would remove" if args.dry_run else "removed"
    sys.stdout.write(
        f"retention {settings.recording_retention_days} days (before {report.cutoff:%Y-%m-%d}): "
        f"{verb} {report.recordings} recording(s) and the snapshots of {report.snapshots} "
        f"warning(s); {len(report.files.removed)} file(s), {report.files.bytes_freed} bytes\n"
    )
    for path in report.files.removed:
        sys.stdout.write(f"  {path}\n")
    for path in report.files.failed:
        sys.stderr.write(f"  could not remove {path}\n")
    return 1 if report.files.failed else 0


COMMANDS = [Command("purge", "remove media older than the retention period", _configure, _run)]
