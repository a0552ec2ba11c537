"""AppTest fixtures: the real app (Home.py) on a private, migrated, seeded SQLite database.

The demo data is seeded once into a template file (rebuilt when a few minutes old, because the
demo interviews are placed relative to the time of seeding) and copied for every test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from core.bootstrap import ensure_database
from core.clock import utcnow
from core.config import get_settings, load_settings
from core.db.engine import Database
from core.seed import seed_demo
from tests.support.apptest import REPO, sign_in_as
from tests.support.databases import SqliteTemplate, sqlite_url

# Seeded times ("started 4 minutes ago", a link's join window) stay this close to the truth.
SEEDED_TEMPLATE_MAX_AGE_SECONDS = 120.0


@pytest.fixture(scope="session")
def seeded_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> SqliteTemplate:
    """A migrated database holding the demo data, as ``seed_demo`` leaves it."""
    folder = tmp_path_factory.mktemp("seeded-template")

    def _seed(db: Database) -> None:
        # The same settings as app_env's, but for the data dir: seed_demo writes no files.
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("INTERVISTA_SECRETS_FILE", str(folder / "absent.toml"))
            mp.setenv("INTERVISTA_EVALUATOR", "offline")
            settings = load_settings(data_dir=folder, database_url=sqlite_url(folder / "x.db"))
            seed_demo(db, settings, utcnow())

    return SqliteTemplate(folder, _seed, max_age_seconds=SEEDED_TEMPLATE_MAX_AGE_SECONDS)


@pytest.fixture
def app_env(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seeded_sqlite_template: SqliteTemplate
) -> Iterator[Database]:
    """Point the app at a fresh data dir holding a copy of the seeded demo database, and reset
    Streamlit's caches."""
    data = tmp_path / "data"
    monkeypatch.setenv("INTERVISTA_DATA_DIR", str(data))
    monkeypatch.setenv("INTERVISTA_DATABASE_URL", f"sqlite:///{data / 'app.db'}")
    monkeypatch.setenv("INTERVISTA_SECRETS_FILE", str(tmp_path / "absent.toml"))
    monkeypatch.setenv("INTERVISTA_EVALUATOR", "offline")
    monkeypatch.setenv("INTERVISTA_SWEEPER_INTERVAL_SECONDS", "0")  # sweeper tests: their own
    monkeypatch.chdir(REPO)
    get_settings.cache_clear()
    st.cache_resource.clear()
    seeded_sqlite_template.copy_to(data / "app.db")
    db = ensure_database(get_settings())  # migrations: a no-op on the copy
    yield db
    get_settings.cache_clear()
    st.cache_resource.clear()


@pytest.fixture
def open_app(app_env: Database) -> Callable[..., AppTest]:
    """Run Home.py, optionally as a signed-in user and on a given page."""

    def _open(user_id: int | None = None, page: str | None = None, **query: str) -> AppTest:
        at = AppTest.from_file(str(REPO / "Home.py"), default_timeout=30)
        for k, v in query.items():
            at.query_params[k] = v
        if user_id is not None:
            sign_in_as(at, user_id)
        at.run()
        if page is not None:
            at.switch_page(page)
            at.run()
        return at

    return _open
