"""Keeping the DuckDB copy in a file between runs, so a restart reads only the delta.

The file holds the copied tables and a small ``analytics_meta`` table: which copy layout
(``tables.py``) and which source database (URL without password, hashed) it belongs to, and the
fingerprint of the data it holds. A file that belongs to another layout or database, or that
cannot be opened (another process holds its lock), is not used: the copy starts empty (in
memory when the file is locked), which only costs a full read.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
from sqlalchemy import Engine

from core.analytics.tables import ALL_TABLES

logger = logging.getLogger(__name__)
LAYOUT_VERSION = "1"


def layout_key() -> str:
    return hashlib.sha256((LAYOUT_VERSION + repr(ALL_TABLES)).encode()).hexdigest()[:16]


def source_key(engine: Engine) -> str:
    url = engine.url.render_as_string(hide_password=True)
    return hashlib.sha256(url.encode()).hexdigest()[:16]


def connect(path: Path | None) -> tuple[duckdb.DuckDBPyConnection, bool]:
    """A DuckDB connection on ``path`` (or in memory); the flag says whether it is the file."""
    if path is None:
        return duckdb.connect(":memory:"), False
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return duckdb.connect(str(path)), True
    except (duckdb.Error, OSError) as exc:
        logger.warning("analytics copy kept in memory: cannot open %s (%s)", path, exc)
        return duckdb.connect(":memory:"), False


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, tuple):
        return [_encode(v) for v in value]
    return value


def _decode_updated(value: Any) -> Any:
    if isinstance(value, dict) and "datetime" in value:
        return datetime.fromisoformat(value["datetime"])
    return value


def save(con: duckdb.DuckDBPyConnection, engine: Engine, fingerprint: Any) -> None:
    fields = {k: _encode(v) for k, v in asdict(fingerprint).items()}
    con.execute(
        "CREATE TABLE IF NOT EXISTS analytics_meta (key VARCHAR PRIMARY KEY, value VARCHAR)"
    )
    con.execute(
        "INSERT OR REPLACE INTO analytics_meta VALUES ('layout', ?), ('source', ?), "
        "('fingerprint', ?)",
        [layout_key(), source_key(engine), json.dumps(fields)],
    )


def load(con: duckdb.DuckDBPyConnection, engine: Engine) -> dict[str, Any] | None:
    """The saved fingerprint's fields if the file holds a copy of this database, else None."""
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'analytics_meta'"
    ).fetchall()[0][0]
    if not exists:
        return None
    meta = dict(con.execute("SELECT key, value FROM analytics_meta").fetchall())
    if meta.get("layout") != layout_key() or meta.get("source") != source_key(engine):
        logger.info("analytics copy file belongs to another layout or database: not used")
        return None
    fields = json.loads(meta["fingerprint"])
    fields["max_ids"] = tuple((name, int(n)) for name, n in fields["max_ids"])
    fields["interviews_updated"] = _decode_updated(fields.get("interviews_updated"))
    return fields
