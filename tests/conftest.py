"""Shared fixtures: settings on a temporary data dir, migrated SQLite and PostgreSQL databases."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from core.config import Settings, load_settings
from core.db.engine import Database
from core.db.migrate import upgrade_to_head
from tests.support.shared import require_or_skip

POSTGRES_URL = os.environ.get(
    "INTERVISTA_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings on a private data dir with a SQLite file; no SMTP, no LLM key."""
    data = tmp_path / "data"
    data.mkdir()
    return load_settings(
        data_dir=data,
        database_url=f"sqlite:///{data / 'app.db'}",
        smtp_host="",
        openai_api_key="",
        evaluator="offline",
    )


@pytest.fixture
def db(settings: Settings) -> Iterator[Database]:
    """A real, migrated SQLite database file."""
    database = Database(settings.resolved_database_url)
    upgrade_to_head(database.engine)
    yield database
    database.dispose()


def _postgres_reachable() -> str | None:
    try:
        probe = Database(POSTGRES_URL)
        probe.check_reachable()
        probe.dispose()
    except Exception as exc:
        return str(exc)
    return None


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL schema on the local server; dropped afterwards."""
    problem = _postgres_reachable()
    require_or_skip(problem is None, f"PostgreSQL not reachable at {POSTGRES_URL}: {problem}")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = Database(POSTGRES_URL)
    with admin.engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def pg_db(pg_url: str) -> Iterator[Database]:
    """A real, migrated PostgreSQL database (its own schema)."""
    database = Database(pg_url)
    upgrade_to_head(database.engine)
    yield database
    database.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def any_db(request: pytest.FixtureRequest) -> Database:
    """Runs the test once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return request.getfixturevalue("db")
    return request.getfixturevalue("pg_db")
