"""Keeping the DuckDB copy in a file between runs, so a restart reads only the delta.

The copy itself lives in memory (reads and stores there are faster, and a full read does not
wait for compression and disk). The file is a *saved* copy: the copied tables and a small
``analytics_meta`` table saying which copy layout (``tables.py``) and which source database
(URL without password, hashed) it belongs to, and the position in the change record
(``core.db.changes``) that the data it holds reflects: after a restart only later changes
are read.

- ``load``: on the first refresh, a file of this layout and database is read into memory (about
  0.1 s per 100,000 interviews); any other file, or one that cannot be read, is ignored (a full
  read follows) and will be replaced by the next save.
- ``begin_save`` / ``PendingSave.write``: a save pins a DuckDB snapshot of the memory copy with
  its position (under the store's lock, milliseconds), then writes it without the lock to a
  temporary file beside the target, which replaces the target at once (``Path.replace``): a
  crash mid-save leaves the previous file whole. The file is open only while loading or saving,
  so several processes may share it (the last save wins; each is a whole, consistent copy).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import socket
import threading
import time
from pathlib import Path
from typing import Any

import duckdb
from sqlalchemy import Engine

from core.analytics.tables import ALL_TABLES

logger = logging.getLogger(__name__)
LAYOUT_VERSION = "3"  # 3: position in the change record (2: a fingerprint; 1: a live copy)
_HOST = re.sub(r"[^A-Za-z0-9-]", "-", socket.gethostname()) or "host"
META_TABLE = "analytics_meta"


def layout_key() -> str:
    return hashlib.sha256((LAYOUT_VERSION + repr(ALL_TABLES)).encode()).hexdigest()[:16]


def source_key(engine: Engine) -> str:
    url = engine.url.render_as_string(hide_password=True)
    return hashlib.sha256(url.encode()).hexdigest()[:16]


def _literal(path: Path) -> str:
    """``path`` as a SQL string literal (ATTACH takes no bound parameters)."""
    return "'" + str(path).replace("'", "''") + "'"


def _alias(kind: str) -> str:
    return f"{kind}_{os.getpid()}_{threading.get_ident()}"


def load(con: duckdb.DuckDBPyConnection, path: Path, engine: Engine) -> dict[str, Any] | None:
    """Copy the tables saved in ``path`` into ``con``'s memory database and return the saved
    position (a JSON object); None (and nothing copied) when there is no file, or it belongs to
    another layout or database, or it cannot be read (the caller's thread, under its lock)."""
    _remove_stale_wal(path)
    if not path.is_file():
        return None
    alias = _alias("saved")
    try:
        con.execute(f"ATTACH {_literal(path)} AS {alias} (READ_ONLY)")
    except duckdb.Error as exc:
        logger.warning("analytics copy file %s not used: %s", path, exc)
        return None
    try:
        meta_sql = f"SELECT key, value FROM {alias}.main.{META_TABLE}"  # noqa: S608
        meta = dict(con.execute(meta_sql).fetchall())
        if meta.get("layout") != layout_key() or meta.get("source") != source_key(engine):
            logger.info("analytics copy file belongs to another layout or database: not used")
            return None
        fields = json.loads(meta["position"])
        if not isinstance(fields, dict):
            raise ValueError("the saved position is not an object")
        con.execute("BEGIN TRANSACTION")
        try:
            for spec in ALL_TABLES:
                con.execute(
                    f'CREATE OR REPLACE TABLE memory.main."{spec.name}" AS '  # noqa: S608
                    f'SELECT * FROM {alias}.main."{spec.name}"'
                )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        return fields
    except (duckdb.Error, ValueError, KeyError, TypeError) as exc:
        logger.warning("analytics copy file %s not used: %s", path, exc)
        return None
    finally:
        con.execute(f"DETACH {alias}")


class PendingSave:
    """A snapshot of the memory copy, pinned by ``begin_save``, to be written by ``write``."""

    def __init__(
        self,
        cursor: duckdb.DuckDBPyConnection,
        path: Path,
        engine: Engine,
        position: dict[str, Any],
        version: int,
    ) -> None:
        self._cursor = cursor
        self.path = path
        self.version = version  # the store's version pinned
        self._meta = [
            ("layout", layout_key()),
            ("source", source_key(engine)),
            ("position", json.dumps(position)),
        ]

    def discard(self) -> None:
        """Release the pinned snapshot without writing it."""
        with contextlib.suppress(duckdb.Error):
            self._cursor.execute("ROLLBACK")
        self._cursor.close()

    def write(self) -> None:
        """Write the pinned snapshot to a temporary file, then put it in place of ``path``
        (any thread; holds no lock of the store). Raises on failure, leaving ``path`` as it
        was and no temporary file behind."""
        cursor, path = self._cursor, self.path
        temporary = path.with_name(f".{path.name}.{owner_tag()}.{threading.get_ident()}.tmp")
        alias = _alias("target")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            _remove(temporary)
            cursor.execute(f"ATTACH {_literal(temporary)} AS {alias}")  # in the pinned snapshot
            for spec in ALL_TABLES:
                cursor.execute(
                    f'CREATE TABLE {alias}.main."{spec.name}" AS '  # noqa: S608
                    f'SELECT * FROM memory.main."{spec.name}"'
                )
            cursor.execute(f"CREATE TABLE {alias}.main.{META_TABLE} (key VARCHAR, value VARCHAR)")
            insert = f"INSERT INTO {alias}.main.{META_TABLE} VALUES (?, ?)"  # noqa: S608
            cursor.executemany(insert, self._meta)
            cursor.execute("COMMIT")
            _checkpoint(cursor, alias)
            cursor.execute(f"DETACH {alias}")
            _remove_stale_wal(path)
            temporary.replace(path)  # atomic: the previous file or this one, whole
        except BaseException:
            for statement in ("ROLLBACK", f"DETACH DATABASE IF EXISTS {alias}"):
                with contextlib.suppress(duckdb.Error):  # nothing left to roll back or detach
                    cursor.execute(statement)
            _remove(temporary)
            raise
        finally:
            cursor.close()


CHECKPOINT_WAIT_S = 10.0


def _checkpoint(cursor: duckdb.DuckDBPyConnection, alias: str) -> None:
    """Checkpoint the written file. DuckDB refuses while another cursor of the copy writes (a
    dashboard's temporary tables, a refresh): those take well under a second, so try again for
    up to ``CHECKPOINT_WAIT_S`` (``FORCE CHECKPOINT`` would abort them)."""
    deadline = time.monotonic() + CHECKPOINT_WAIT_S
    while True:
        try:
            cursor.execute(f"CHECKPOINT {alias}")
            return
        except duckdb.TransactionException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _remove(temporary: Path) -> None:
    for leftover in (temporary, temporary.with_name(temporary.name + ".wal")):
        with contextlib.suppress(OSError):  # not there, or no folder to hold it
            leftover.unlink()


def begin_save(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    engine: Engine,
    position: dict[str, Any],
    version: int,
) -> PendingSave:
    """Pin the memory copy as it is now, with its ``position`` (the caller holds the
    store's lock, so that the two match; this takes milliseconds)."""
    cursor = con.cursor()
    try:
        cursor.execute("BEGIN TRANSACTION")
        cursor.execute(f'SELECT count(*) FROM memory.main."{ALL_TABLES[0].name}"').fetchall()  # noqa: S608
    except BaseException:
        cursor.close()
        raise
    return PendingSave(cursor, path, engine, position, version)


def owner_tag(pid: int | None = None) -> str:
    """``pid@host`` (this process by default), in temporary files' names."""
    return f"{os.getpid() if pid is None else pid}@{_HOST}"


def _remove_stale_wal(path: Path) -> None:
    """A saved copy never has a WAL (each save is checkpointed before it is put in place): one
    beside it was left by a process that kept its live copy in the file (layout 1) and died.
    DuckDB would refuse the file with it ("WAL does not match database file")."""
    wal = path.with_name(path.name + ".wal")
    if wal.exists():
        logger.info("analytics: removing %s, left by an earlier version", wal)
        with contextlib.suppress(OSError):
            wal.unlink()


def remove_stale_temporaries(path: Path, *, foreign_after_s: float = 3600.0) -> None:
    """Temporary files of saves that ended without cleaning up: from a process of this host
    that is gone, or from another host (a shared folder) after ``foreign_after_s``."""
    for leftover in path.parent.glob(f".{path.name}.*.tmp*"):
        owner = leftover.name[len(path.name) + 2 :].split(".", 1)[0]
        pid, _, host = owner.partition("@")
        if host == _HOST:
            stale = pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid))
        else:
            stale = _age_s(leftover) > foreign_after_s
        if stale:
            with contextlib.suppress(OSError):
                leftover.unlink()


def _age_s(file: Path) -> float:
    try:
        return time.time() - file.stat().st_mtime
    except OSError:
        return 0.0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True
