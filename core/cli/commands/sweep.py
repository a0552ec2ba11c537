"""``sweep``: finish interviews whose time is up and evaluate what was left unevaluated.

The app runs a sweeper in each process; this runs one on its own (a worker, or by hand).
Any number may run on one database: each interview is completed and evaluated once.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import timedelta

from core.cli import Command, application
from core.interview.sweeper import InterviewSweeper


def _configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--once", action="store_true", help="one pass, then exit")
    p.add_argument("--interval", type=float, default=None, help="seconds between passes")


def _run(args: argparse.Namespace) -> int:
    app = application()
    settings = app.settings
    interval = args.interval if args.interval is not None else settings.sweeper_interval_seconds
    if not args.once and interval <= 0:
        sys.stderr.write("error: --interval must be more than 0 (or use --once)\n")
        return 2
    sweeper = InterviewSweeper(
        app.db,
        lambda: app.evaluator,
        grace=timedelta(seconds=settings.sweeper_grace_seconds),
        lease=timedelta(seconds=settings.evaluation_lease_seconds),
        clock=app.clock,
    )
    while True:
        report = sweeper.run_once()
        sys.stdout.write(
            f"completed {len(report.completed)} interview(s) {list(report.completed)}; "
            f"evaluated {len(report.evaluated)} {list(report.evaluated)}\n"
        )
        sys.stdout.flush()
        if args.once:
            return 0
        time.sleep(interval)


COMMANDS = [Command("sweep", "finish and evaluate interviews whose time is up", _configure, _run)]
