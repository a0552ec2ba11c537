"""Shared fixtures: settings on a temporary data dir, migrated SQLite and PostgreSQL databases.

Passwords are hashed with the fast test-only hasher (argon2id costs a noticeable fraction of a
second per hash); the ``argon2id_hashing`` fixture switches a test back to the real one. The
variable is inherited by the app and CLI processes that tests start.
"""

from __future__ import annotations

import functools
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from core.config import Settings, get_settings, load_settings
from core.db.engine import Database
from core.db.migrate import upgrade_to_head
from core.staff.passwords import ARGON2ID, FAST_INSECURE_FOR_TESTS
from tests.support.databases import RecordedMigration, SqliteTemplate
from tests.support.shared import require_or_skip

os.environ["INTERVISTA_PASSWORD_HASHER"] = FAST_INSECURE_FOR_TESTS

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
def argon2id_hashing() -> Iterator[None]:
    """Hash and verify passwords with the production argon2id hasher in this test."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("INTERVISTA_PASSWORD_HASHER", ARGON2ID)
        get_settings.cache_clear()
        yield
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def migrated_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> SqliteTemplate:
    """An empty SQLite database migrated to head, built once per session."""
    return SqliteTemplate(tmp_path_factory.mktemp("migrated-template"))


@pytest.fixture
def db(settings: Settings, migrated_sqlite_template: SqliteTemplate) -> Iterator[Database]:
    """A real, migrated SQLite database file (a copy of the session's migrated template)."""
    url = make_url(settings.resolved_database_url)
    assert url.database, url
    migrated_sqlite_template.copy_to(Path(url.database))
    database = Database(settings.resolved_database_url)
    upgrade_to_head(database.engine)  # a no-op at head: checks the copy is current
    yield database
    database.dispose()


@functools.cache  # asked once per session, not once per test
def _postgres_reachable() -> str | None:
    try:
        probe = Database(POSTGRES_URL)
        probe.check_reachable()
        probe.dispose()
    except Exception as exc:
        return str(exc)
    return None


@contextmanager
def _postgres_schema() -> Iterator[str]:
    """A new, empty schema on the local PostgreSQL server (dropped afterwards); its URL."""
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
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL schema on the local server; dropped afterwards."""
    with _postgres_schema() as url:
        yield url


@pytest.fixture(scope="session")
def pg_migration() -> Iterator[RecordedMigration]:
    """The migration from empty, run for real once per session on a schema of its own."""
    with _postgres_schema() as url:
        database = Database(url)
        try:
            yield RecordedMigration(database.engine)
        finally:
            database.dispose()


@pytest.fixture
def pg_db(pg_url: str, pg_migration: RecordedMigration) -> Iterator[Database]:
    """A real, migrated PostgreSQL database (its own schema, built by replaying the session's
    migration)."""
    database = Database(pg_url)
    pg_migration.replay(database.engine)
    upgrade_to_head(database.engine)  # a no-op at head: checks the replay reached it
    yield database
    database.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def any_db(request: pytest.FixtureRequest) -> Database:
    """Runs the test once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return request.getfixturevalue("db")
    return request.getfixturevalue("pg_db")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Files with a test marked ``slow`` go first (order within a file is kept).

    With the files spread over workers (``make test`` uses pytest-xdist, one file per worker
    at a time), the longest files starting first leave no long file to finish alone at the end.
    """
    slow_files = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.path not in slow_files)
