"""``python -m core models status|pull|verify [NAME…]``: the platform's models.

``status`` prints one line per model (name, status, path, size); ``verify`` the same after
re-hashing every file (exit 1 if a file does not match or a download is unfinished); ``pull``
fetches what is missing, with progress on stderr (exit 1 if a model could not be fetched, with
the reason). The last line of status/verify/pull is one JSON object for machines.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time

from core.cli import Command
from core.config import get_settings
from core.models.download import Progress
from core.models.registry import ModelStatus, models_dir
from core.models.service import pull, status
from core.models.status import ModelReport


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=["status", "pull", "verify"])
    parser.add_argument("names", nargs="*", metavar="NAME", help="default: every model")
    parser.add_argument(
        "--no-export",
        action="store_true",
        help="pull: do not export yolo11n.pt to ONNX (onnxruntime) beside it",
    )


def _human(size: int) -> str:
    return f"{size / 1e6:.1f} MB" if size else "-"


def _print_reports(reports: list[ModelReport]) -> None:
    width = max(len(r.name) for r in reports)
    for r in reports:
        line = f"{r.name:<{width}}  {r.status.value:<8}  {_human(r.size):>9}  {r.path or '-'}"
        sys.stdout.write(line + (f"  ({r.detail})" if r.detail else "") + "\n")


class _ProgressPrinter:
    """One stderr line per file per 10 %, and one when the file is done."""

    def __init__(self) -> None:
        self._last: dict[str, int] = {}
        self._started = time.monotonic()

    def __call__(self, event: Progress) -> None:
        key = f"{event.model}: {event.file}"
        step = int(event.done * 10 / event.total) if event.total else 0
        if self._last.get(key) == step:
            return
        self._last[key] = step
        total = f"{event.total / 1e6:.1f}" if event.total else "?"
        sys.stderr.write(f"  {key}: {event.done / 1e6:.1f}/{total} MB\n")
        sys.stderr.flush()


def _run(args: argparse.Namespace) -> int:
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request otherwise
    settings = get_settings()
    names = args.names or None
    base = models_dir(settings)
    try:
        if args.action == "pull":
            sys.stderr.write(f"pulling models into {base}\n")
            results = pull(settings, names, _ProgressPrinter(), export_onnx=not args.no_export)
            reports = status(settings, names)
            _print_reports(reports)
            for result in results:
                if not result.ok:
                    sys.stderr.write(f"error: {result.error} [{result.code}]\n")
            summary = {
                "models_dir": str(base),
                "ok": all(r.ok for r in results),
                "models": [r.to_dict() for r in reports],
                "errors": {r.name: r.error for r in results if not r.ok},
            }
            sys.stdout.write(json.dumps(summary) + "\n")
            return 0 if summary["ok"] else 1
        reports = status(settings, names, recheck=args.action == "verify")
    except KeyError as exc:
        sys.stderr.write(f"error: unknown model {exc}\n")
        return 2
    _print_reports(reports)
    bad = [r for r in reports if r.status in (ModelStatus.CORRUPT, ModelStatus.PARTIAL)]
    summary = {
        "models_dir": str(base),
        "ok": not bad,
        "models": [r.to_dict() for r in reports],
    }
    sys.stdout.write(json.dumps(summary) + "\n")
    return 1 if args.action == "verify" and bad else 0


COMMANDS = [
    Command(
        name="models",
        help="Models: status, pull (download what is missing), verify (re-check checksums)",
        configure=_configure,
        run=_run,
        needs_database=False,
    )
]
