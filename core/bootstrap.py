"""Builds the platform's long-lived objects from settings (one place, used by app and CLI)."""

from __future__ import annotations

import logging
import threading

from core.config import Settings, get_settings
from core.db.engine import Database
from core.db.migrate import upgrade_to_head

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_databases: dict[str, Database] = {}


def get_database(settings: Settings | None = None) -> Database:
    """The process-wide Database for these settings (created on first use)."""
    settings = settings or get_settings()
    url = settings.resolved_database_url
    with _lock:
        db = _databases.get(url)
        if db is None:
            db = Database(url)
            _databases[url] = db
        return db


def ensure_database(settings: Settings | None = None) -> Database:
    """Check the database is reachable and migrated to head; return it.

    Raises DatabaseUnavailable with a message naming the URL (password hidden) and the cause.
    """
    settings = settings or get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = get_database(settings)
    db.check_reachable()
    upgrade_to_head(db.engine)
    return db
