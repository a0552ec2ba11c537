"""The System status panel as an administrator sees it (Users & audit), and the line a
candidate is shown about the camera check and spoken answers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from core.config import get_settings
from core.db.engine import Database
from core.db.models import Interview
from core.domain import Role
from tests.support.apptest import REPO, sign_in_as, texts
from tests.support.factories import issue_key, make_interview, make_user
from tests.support.shared import shared_path


def _users_page(db: Database, role: Role = Role.ADMIN) -> AppTest:
    at = AppTest.from_file(str(REPO / "pages/users.py"), default_timeout=30)
    sign_in_as(at, make_user(db, role).id)
    return at.run()


def _tables(at: AppTest) -> str:
    return "\n".join(str(df.value.to_dict("records")) for df in at.dataframe)


@pytest.fixture
def with_models(app_env: Database, monkeypatch: pytest.MonkeyPatch) -> Database:
    monkeypatch.setenv("INTERVISTA_MODELS_DIR", str(shared_path("models")))
    get_settings.cache_clear()
    return app_env


def test_admin_sees_every_model_verified_and_nothing_degraded(with_models: Database) -> None:
    at = _users_page(with_models)
    assert not at.exception
    shown, tables = texts(at), _tables(at)
    assert "System status" in shown and "nothing runs degraded" in shown
    for name in ("yolo11n", "all-MiniLM-L6-v2", "faster-whisper-tiny.en"):
        assert name in tables
    assert "'verified'" in tables and "MISSING" not in tables
    proctoring = next(line for line in shown.splitlines() if "Proctoring" in line)
    assert "YOLO yolo11n" in proctoring and "onnxruntime" in proctoring  # markdown-escaped
    assert "sentence embeddings" in shown and "Whisper tiny" in shown


def test_without_models_the_fallbacks_and_what_they_lose_are_named(app_env: Database) -> None:
    at = _users_page(app_env)  # the app's data dir holds no models
    shown, tables = texts(at), _tables(at)
    assert "Running with fallbacks" in shown and "python -m core models pull" in shown
    assert "phones, books and laptops are not checked" in shown
    assert "MISSING" in tables and "Haar face detector" in shown


def test_other_staff_see_it_on_their_account_page_without_paths(app_env: Database) -> None:
    for role in (Role.RECRUITER, Role.HIRING_MANAGER):
        at = AppTest.from_file(str(REPO / "pages/account.py"), default_timeout=30)
        sign_in_as(at, make_user(app_env, role).id)
        shown = texts(at.run())
        assert "System status" in shown and "Running with fallbacks" in shown
        assert "An administrator can install the missing models." in shown
        assert "Path" not in at.dataframe[0].value.columns
        assert "models pull" not in shown


def _welcome(open_app: Callable[..., AppTest], db: Database) -> AppTest:
    iid = make_interview(db, scheduled_at=datetime.now(UTC) + timedelta(seconds=5))
    with db.write() as s:
        interview = s.get(Interview, iid)
        assert interview is not None
        interview.enable_video, interview.enable_audio = False, True
    return open_app(key=issue_key(db, iid))


def test_a_candidate_is_told_what_the_checks_look_for(
    open_app: Callable[..., AppTest], with_models: Database
) -> None:
    shown = texts(_welcome(open_app, with_models))
    assert "looks for your face, other people, phones, books and laptops" in shown
    assert "transcribed and scored like typed ones" in shown
    assert "shared/models" not in shown and "onnx" not in shown  # no paths, no model names


def test_without_models_a_candidate_is_told_to_type_too(
    open_app: Callable[..., AppTest], app_env: Database
) -> None:
    shown = texts(_welcome(open_app, app_env))
    assert "looks for your face only" in shown
    assert "not transcribed on this server, so typing your answer too is best" in shown
