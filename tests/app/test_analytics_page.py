"""The analytics page through AppTest: every chart on demo data, filters, and an empty database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from core.bootstrap import ensure_database
from core.config import get_settings
from core.db.engine import Database
from core.domain import Role
from tests.support.apptest import REPO, sign_in_as, texts
from tests.support.factories import make_user

PAGE = str(REPO / "pages/analytics.py")
CHART_COUNT = 19  # 4 score groupings + 15 others; see core.analytics.dashboard.compute_charts


def _open(user_id: int) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    sign_in_as(at, user_id)
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def empty_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    """Like ``app_env`` but with no demo data: a migrated, empty database."""
    data = tmp_path / "data"
    monkeypatch.setenv("INTERVISTA_DATA_DIR", str(data))
    monkeypatch.setenv("INTERVISTA_DATABASE_URL", f"sqlite:///{data / 'app.db'}")
    monkeypatch.setenv("INTERVISTA_SECRETS_FILE", str(tmp_path / "absent.toml"))
    monkeypatch.chdir(REPO)
    get_settings.cache_clear()
    st.cache_resource.clear()
    yield ensure_database(get_settings())
    get_settings.cache_clear()
    st.cache_resource.clear()


def test_demo_data_renders_every_chart_and_download(app_env: Database) -> None:
    at = _open(make_user(app_env, Role.RECRUITER).id)
    content = texts(at)
    assert "80%" in content  # the completed demo interview: answers 8, 9, 7, 8 out of 10
    assert not at.error
    assert len(at.get("plotly_chart")) == CHART_COUNT
    downloads = at.get("download_button")
    assert len(downloads) == CHART_COUNT
    assert [t.label for t in at.tabs] == [
        "Scores",
        "Funnel",
        "Proctoring",
        "Templates",
        "Questions",
        "Coding",
    ]


def test_hiring_manager_sees_the_dashboard(app_env: Database) -> None:
    at = _open(make_user(app_env, Role.HIRING_MANAGER).id)
    assert len(at.get("plotly_chart")) == CHART_COUNT


def test_filter_that_matches_nothing_says_so(app_env: Database) -> None:
    at = _open(make_user(app_env, Role.RECRUITER).id)
    types = next(m for m in at.multiselect if m.label == "Type")
    types.select("hr").run()
    assert not at.exception
    assert "No interviews match these filters" in texts(at)
    assert not at.get("plotly_chart")


def test_pass_threshold_changes_the_pass_rate(app_env: Database) -> None:
    at = _open(make_user(app_env, Role.RECRUITER).id)
    assert "Pass rate (≥ 60%) 100%" in " ".join(f"{m.label} {m.value}" for m in at.metric)
    at.slider(key="analytics_pass").set_value(85).run()
    assert "Pass rate (≥ 85%) 0%" in " ".join(f"{m.label} {m.value}" for m in at.metric)


def test_empty_database_shows_a_friendly_state(empty_env: Database) -> None:
    at = _open(make_user(empty_env, Role.RECRUITER).id)
    assert "No interviews to analyse yet" in texts(at)
    assert not at.error
    assert not at.get("plotly_chart")
