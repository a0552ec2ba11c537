"""Logging configuration shared by the app, the CLI and workers."""

from __future__ import annotations

import logging
import os

_FORMAT = "%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"


def configure_logging(level: str | None = None) -> None:
    """Configure the root logger once; later calls only adjust the level."""
    chosen = (level or os.environ.get("INTERVISTA_LOG_LEVEL", "INFO")).upper()
    root = logging.getLogger()
    if not any(getattr(h, "_intervista", False) for h in root.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter(_FORMAT))
        handler._intervista = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    root.setLevel(chosen)
    for noisy in ("alembic", "watchdog", "aioice", "aiortc"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
