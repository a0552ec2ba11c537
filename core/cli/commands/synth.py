"""``python -m core synth``: fill the database with synthetic interviews for analytics."""

from __future__ import annotations

import argparse
import sys

from core.cli import Command, application
from core.cli.synth import plan as synthetic_plan
from core.cli.synth.generate import MAX_INTERVIEWS, SynthError, generate
from core.clock import SystemClock

HELP = "fill the database with synthetic interviews, scores, code runs and proctoring events"


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if not 1 <= number <= MAX_INTERVIEWS:
        raise argparse.ArgumentTypeError(f"must be between 1 and {MAX_INTERVIEWS:,}")
    return number


def _configure(p: argparse.ArgumentParser) -> None:
    p.formatter_class = argparse.RawDescriptionHelpFormatter
    p.epilog = (synthetic_plan.__doc__ or "").split("\n\n", 1)[-1]
    p.add_argument("--interviews", type=_positive, required=True, help="how many interviews")
    p.add_argument("--seed", type=int, default=7, help="random seed (default 7)")


def _run(args: argparse.Namespace) -> int:
    db = application().db
    try:
        report = generate(db, args.interviews, args.seed, SystemClock().now())
    except SynthError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    for table, rows in report.rows.items():
        sys.stdout.write(f"{table}: {rows:,} rows\n")
    sys.stdout.write(f"done in {report.seconds:.1f} s\n")
    return 0


COMMANDS = [Command(name="synth", help=HELP, configure=_configure, run=_run)]
