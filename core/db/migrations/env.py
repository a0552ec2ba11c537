"""Alembic environment: the URL and connection come from Intervista, not alembic.ini."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

import core.db.models  # noqa: F401  (registers every table on Base.metadata)
from core.db.base import Base

target_metadata = Base.metadata


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        user_module_prefix="core.db.base.",
    )


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    from core.config import get_settings
    from core.db.engine import make_engine

    engine = make_engine(get_settings().resolved_database_url)
    with engine.connect() as conn:
        _configure(conn)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are not supported; run against a database")
run_migrations_online()
