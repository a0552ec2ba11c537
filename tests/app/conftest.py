"""AppTest fixtures: the real app (Home.py) on a private, migrated, seeded SQLite database."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from core.bootstrap import ensure_database
from core.clock import utcnow
from core.config import get_settings
from core.db.engine import Database
from core.seed import seed_demo

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def app_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    """Point the app at a fresh data dir, seed demo data, and reset Streamlit's caches."""
    data = tmp_path / "data"
    monkeypatch.setenv("INTERVISTA_DATA_DIR", str(data))
    monkeypatch.setenv("INTERVISTA_DATABASE_URL", f"sqlite:///{data / 'app.db'}")
    monkeypatch.setenv("INTERVISTA_SECRETS_FILE", str(tmp_path / "absent.toml"))
    monkeypatch.setenv("INTERVISTA_EVALUATOR", "offline")
    monkeypatch.setenv("INTERVISTA_SWEEPER_INTERVAL_SECONDS", "0")  # sweeper tests: their own
    monkeypatch.chdir(REPO)
    get_settings.cache_clear()
    st.cache_resource.clear()
    db = ensure_database(get_settings())
    seed_demo(db, get_settings(), utcnow())
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
            at.session_state["user_id"] = user_id
        at.run()
        if page is not None:
            at.switch_page(page)
            at.run()
        return at

    return _open


def texts(at: AppTest) -> str:
    """All visible text of a run, for content assertions."""
    parts: list[str] = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "text",
        "caption",
        "info",
        "warning",
        "error",
        "success",
        "metric",
    ):
        for el in getattr(at, kind):
            parts.append(str(getattr(el, "value", "")) + " " + str(getattr(el, "label", "")))
    return "\n".join(parts)
