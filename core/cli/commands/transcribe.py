"""``python -m core transcribe FILE...``: transcribe recordings with the platform's speech model.

Prints one JSON line per file: ``{"file", "text", "model", "duration_seconds",
"processing_seconds"}``; a file that cannot be transcribed prints ``{"file", "error", "code"}``
(the reason a candidate would read, and its stable code) and makes the exit status 1. Any
format FFmpeg reads, any sample rate. No speech model installed: exit status 2 with what to do.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from core.cli import Command
from core.config import get_settings
from core.interviewer.speech.factory import build_transcriber
from core.interviewer.speech.types import TranscriptionError


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    parser.add_argument("--threads", type=int, default=1, help="CPU threads (default 1)")


def _run(args: argparse.Namespace) -> int:
    if args.threads < 1:
        print("error: --threads must be at least 1", file=sys.stderr)
        return 2
    transcriber = build_transcriber(get_settings(), threads=args.threads)
    if not transcriber.available:
        try:
            transcriber.transcribe(args.files[0])
        except TranscriptionError as exc:
            print(f"error: {exc}", file=sys.stderr)
        return 2
    status = 0
    for path in args.files:
        line: dict[str, object]
        if not path.is_file():
            line = {"file": str(path), "error": "No such file.", "code": "file_not_found"}
            status = 1
        else:
            try:
                heard = transcriber.transcribe(path)
            except TranscriptionError as exc:
                line = {"file": str(path), "error": str(exc), "code": exc.code}
                status = 1
            else:
                line = {
                    "file": str(path),
                    "text": heard.text,
                    "model": heard.model,
                    "duration_seconds": heard.duration_seconds,
                    "processing_seconds": heard.processing_seconds,
                }
        sys.stdout.write(json.dumps(line) + "\n")
        sys.stdout.flush()
    return status


COMMANDS = [
    Command(
        "transcribe",
        "transcribe recordings (one JSON line per file)",
        _configure,
        _run,
        needs_database=False,
    )
]
