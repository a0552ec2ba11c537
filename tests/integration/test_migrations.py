"""Migrations: upgrade from empty works, and the models match the migrations exactly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

import core.db.models  # noqa: F401
from core.db.base import Base
from core.db.engine import Database
from core.db.migrate import upgrade_to_head


def _diff(db: Database) -> list[object]:
    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(
            conn, opts={"compare_type": True, "render_as_batch": db.is_sqlite}
        )
        return list(compare_metadata(ctx, Base.metadata))


def test_upgrade_from_empty_creates_every_table(any_db: Database) -> None:
    tables = set(inspect(any_db.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_models_and_migrations_agree(any_db: Database) -> None:
    assert _diff(any_db) == []


def test_upgrade_is_idempotent(any_db: Database) -> None:
    upgrade_to_head(any_db.engine)  # already at head: nothing happens, nothing fails
    assert _diff(any_db) == []


def test_upgrade_keeps_existing_data(tmp_path) -> None:
    """A database made by an older release upgrades in place at start, data intact."""
    from alembic import command
    from sqlalchemy import text

    from core.db.migrate import alembic_config

    db = Database(f"sqlite:///{tmp_path / 'old.db'}")
    cfg = alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO candidates (full_name, email, phone, timezone, "
                          "resume_text, notes, created_at, updated_at) VALUES ('Old', "
                          "'old@example.com', '', '', '', '', '2026-01-01', '2026-01-01')"))
    upgrade_to_head(db.engine)
    assert "ix_interviews_updated_at" in {i["name"] for i in inspect(db.engine)
                                         .get_indexes("interviews")}
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT email FROM candidates")).scalar() == "old@example.com"
    assert _diff(db) == []
    db.dispose()
