"""Engines and units of work.

SQLite: WAL, a busy timeout, foreign keys on, and write transactions that ``BEGIN IMMEDIATE`` so
that read-then-write transactions queue on the write lock instead of failing with "database is
locked" when they upgrade. Reads use a plain deferred ``BEGIN`` so readers never wait on writers.
PostgreSQL: a normal pooled engine; services lock rows they update (``SELECT ... FOR UPDATE``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from core.errors import IntervistaError

if TYPE_CHECKING:
    from core.db.uow import UnitOfWork

logger = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_MS = 30_000
_BEGIN_OPTION = "intervista_sqlite_begin"


class DatabaseUnavailable(IntervistaError, RuntimeError):
    """The configured database cannot be reached; the message says which and why."""

    code = "database_unavailable"
    status = 503


def _redacted(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, emit BEGIN (see the "begin" hook below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get(_BEGIN_OPTION, "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """Create an engine for a SQLite or PostgreSQL URL (the file's folder is created)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            from pathlib import Path

            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            echo=echo,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        )
        _configure_sqlite(engine)
        return engine
    return create_engine(
        url,
        echo=echo,
        pool_pre_ping=True,
        pool_size=5,
        max_overflow=10,
        connect_args={"connect_timeout": 5},
    )


class Database:
    """Owns the engine and hands out one short transaction per user action.

    ``with db.write() as session:`` commits on success and rolls back on error;
    ``with db.read() as session:`` never writes. Safe to share across threads.
    """

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        self.engine = make_engine(url, echo=echo)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        write_bind = (
            self.engine.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"})
            if self.is_sqlite
            else self.engine
        )
        self._write_factory = sessionmaker(bind=write_bind, expire_on_commit=False)
        self._read_factory = sessionmaker(bind=self.engine, expire_on_commit=False)
        from core.db.changes import register  # the change record the analytics copy reads

        register(self._write_factory)
        register(self._read_factory)

    @contextmanager
    def write(self) -> Iterator[Session]:
        with self._write_factory() as session, session.begin():
            yield session

    def new_write_session(self) -> Session:
        """A session whose transactions write (``BEGIN IMMEDIATE`` on SQLite); see UnitOfWork."""
        return self._write_factory()

    def unit_of_work(self) -> UnitOfWork:
        """One user action, one transaction: ``with db.unit_of_work() as uow: ...``."""
        from core.db.uow import UnitOfWork

        return UnitOfWork(self)

    @contextmanager
    def read(self) -> Iterator[Session]:
        # Closing (not rolling back) ends the transaction without expiring loaded objects.
        with self._read_factory() as session:
            yield session

    def check_reachable(self) -> None:
        """Raise DatabaseUnavailable with a clear message if the database cannot be used."""
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except OperationalError as exc:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            raise DatabaseUnavailable(
                f"cannot reach the database at {_redacted(self.url)}: {reason} "
                "(check INTERVISTA_DATABASE_URL)"
            ) from exc

    def dispose(self) -> None:
        self.engine.dispose()
