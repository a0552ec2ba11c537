"""The unit of work: one user action, one transaction, passed into the use cases it composes.

Use cases take a :data:`Tx`: either the :class:`~core.db.engine.Database` (the use case then
opens exactly one transaction of its own) or an open :class:`UnitOfWork` (the use case joins
it, and whoever opened it commits once at the end)::

    with UnitOfWork(db) as uow:
        flow.complete(uow, interview_id, now=now, reason="time_up")
        record_something_else(uow, ...)
    # committed here, or rolled back if anything raised

Inside a use case, ``with writing(tx) as session`` and ``with reading(tx) as session`` give the
session either way. Safe to use from any thread, one unit of work per thread.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType

from sqlalchemy.orm import Session

from core.db.engine import Database


class UnitOfWork:
    """A write transaction (``BEGIN IMMEDIATE`` on SQLite) that commits when the block ends."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("the unit of work is not open; use it in a with block")
        return self._session

    def __enter__(self) -> UnitOfWork:
        self._session = self.db.new_write_session()
        self._session.begin()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session, self._session = self.session, None
        try:
            if exc_type is None:
                session.commit()
            else:
                session.rollback()
        finally:
            session.close()


#: What a use case takes: the database (it opens one transaction) or an open unit of work.
Tx = Database | UnitOfWork


@contextmanager
def writing(tx: Tx) -> Iterator[Session]:
    """The session to write with: the unit of work's, or a new transaction committed on exit."""
    if isinstance(tx, UnitOfWork):
        yield tx.session
        return
    with tx.write() as session:
        yield session


@contextmanager
def reading(tx: Tx) -> Iterator[Session]:
    """The session to read with: the unit of work's (sees its own writes), or a read-only one."""
    if isinstance(tx, UnitOfWork):
        yield tx.session
        return
    with tx.read() as session:
        yield session


def database_of(tx: Tx) -> Database:
    return tx.db if isinstance(tx, UnitOfWork) else tx


@contextmanager
def unit_of(tx: Tx) -> Iterator[UnitOfWork]:
    """A unit of work for a composed action: ``tx`` itself when it is one (the caller commits),
    else a new one that commits when the block ends."""
    if isinstance(tx, UnitOfWork):
        yield tx
        return
    with UnitOfWork(tx) as uow:
        yield uow
