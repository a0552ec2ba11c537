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
from core.config import Settings, get_settings
from core.models.download import Progress
from core.models.reachability import reachable_models
from core.models.registry import ModelStatus, models_dir, registry
from core.models.service import pull, status
from core.models.status import ModelReport


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=["status", "pull", "verify"])
    parser.add_argument("names", nargs="*", metavar="NAME", help="default: every model")
    parser.add_argument(
        "--first-start",
        action="store_true",
        help="pull: what `make run` does: fetch only what is missing from sources that answer "
        "within seconds; offline, say what runs degraded and carry on (exit 0)",
    )
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
        if args.action == "pull" and args.first_start:
            return _first_start(settings, names, export_onnx=not args.no_export)
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


def _first_start(settings: Settings, names: list[str] | None, *, export_onnx: bool) -> int:
    """Never fails the start: the app runs with fallbacks, and says which (stderr)."""
    base = models_dir(settings)
    missing = [r.name for r in status(settings, names) if r.status is not ModelStatus.VERIFIED]
    if missing:
        answers = reachable_models(settings, missing)
        fetch = [name for name in missing if answers[name]]
        if fetch:
            sys.stderr.write(f"first start: pulling {', '.join(fetch)} into {base}\n")
            pull(settings, fetch, _ProgressPrinter(), export_onnx=export_onnx)
    reports = status(settings, names)
    lacking = [r for r in reports if r.status is not ModelStatus.VERIFIED]
    specs = {spec.name: spec for spec in registry(settings)}
    if not lacking:
        sys.stderr.write(f"models: every model verified in {base}\n")
    for r in lacking:
        sys.stderr.write(
            f"models: {r.name} is {r.status.value}: {specs[r.name].degraded_without}\n"
        )
    if lacking:
        sys.stderr.write(
            "models: the app starts with fallbacks. Online, `python -m core models pull` "
            "fetches them; offline, copy a models folder from a machine that pulled them and "
            "set INTERVISTA_MODELS_DIR to it.\n"
        )
    summary = {
        "models_dir": str(base),
        "ok": not lacking,
        "models": [r.to_dict() for r in reports],
        "missing": [r.name for r in lacking],
    }
    sys.stdout.write(json.dumps(summary) + "\n")
    return 0


COMMANDS = [
    Command(
        name="models",
        help="Models: status, pull (download what is missing), verify (re-check checksums)",
        configure=_configure,
        run=_run,
        needs_database=False,
    )
]
