"""Database templates: build a SQLite file once per session, hand each test its own copy.

Migrating (and, for the app tests, seeding) a fresh database in every test costs far more than
copying a finished file. A template is built in a session temp dir, checkpointed so that
everything is in the main file (no ``-wal``/``-shm`` to copy), and copied per test.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, text

from core.db.engine import Database
from core.db.migrate import upgrade_to_head


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def build_sqlite_template(path: Path, fill: Callable[[Database], None] | None = None) -> Path:
    """Migrate a new SQLite file at ``path`` to head, run ``fill`` on it, and checkpoint it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    database = Database(sqlite_url(path))
    try:
        upgrade_to_head(database.engine)
        if fill is not None:
            fill(database)
        with database.engine.connect() as conn:
            conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    finally:
        database.dispose()  # the last connection closing removes the -wal and -shm files
    for suffix in ("-wal", "-shm"):
        leftover = path.with_name(path.name + suffix)
        if leftover.exists() and leftover.stat().st_size:
            raise RuntimeError(f"template {path} was not fully checkpointed ({leftover})")
    return path


def copy_sqlite(template: Path, destination: Path) -> Path:
    """Copy a checkpointed template file to ``destination`` (its folder is created)."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("-wal", "-shm"):  # a stale journal would be replayed onto the copy
        destination.with_name(destination.name + suffix).unlink(missing_ok=True)
    shutil.copyfile(template, destination)
    return destination


class SqliteTemplate:
    """A template file rebuilt on demand when older than ``max_age_seconds``.

    Seeded demo data is relative to the time it was made (an interview "started 4 minutes ago",
    a link valid from now): a bounded age keeps a copy as good as freshly seeded data.
    """

    def __init__(
        self,
        folder: Path,
        fill: Callable[[Database], None] | None = None,
        *,
        max_age_seconds: float | None = None,
    ) -> None:
        self._folder = folder
        self._fill = fill
        self._max_age = max_age_seconds
        self._path: Path | None = None
        self._built_at = 0.0
        self._builds = 0

    def path(self) -> Path:
        stale = self._max_age is not None and time.monotonic() - self._built_at > self._max_age
        if self._path is None or stale:
            self._builds += 1
            self._path = build_sqlite_template(
                self._folder / f"template-{self._builds}.db", self._fill
            )
            self._built_at = time.monotonic()
        return self._path

    def copy_to(self, destination: Path) -> Path:
        return copy_sqlite(self.path(), destination)


class RecordedMigration:
    """The statements a migration from empty ran on PostgreSQL, to replay into a new schema.

    Migrating a schema costs a second or two of Alembic and DDL per test; replaying the same
    statements (recorded once per session from a real ``upgrade_to_head``) in one round trip
    costs a fraction. Statements are unqualified, so they land in the schema on the search path.
    Reads (Alembic's and SQLAlchemy's catalog queries) are not recorded.
    """

    def __init__(self, engine: Engine) -> None:
        self._statements: list[tuple[str, Any, bool]] = []

        def _record(
            _conn: Any, _cursor: Any, statement: str, parameters: Any, _ctx: Any, many: bool
        ) -> None:
            words = statement.split(None, 1)
            if words and words[0].upper() not in {"SELECT", "SHOW"}:
                self._statements.append((statement, parameters, many))

        event.listen(engine, "before_cursor_execute", _record)
        try:
            upgrade_to_head(engine)
        finally:
            event.remove(engine, "before_cursor_execute", _record)
        # One round trip when nothing needs the driver's parameter handling ("%" escapes).
        plain = all(not p and not m and "%" not in s for s, p, m in self._statements)
        self._script = ";\n".join(s for s, _, _ in self._statements) if plain else None

    def replay(self, engine: Engine) -> None:
        with engine.begin() as conn:
            cursor = conn.connection.cursor()
            cursor.execute("SET LOCAL synchronous_commit = off")  # a throwaway test schema
            if self._script is not None:
                cursor.execute(self._script)
                return
            for statement, parameters, many in self._statements:
                if many:
                    cursor.executemany(statement, parameters)
                else:
                    cursor.execute(statement, parameters)
