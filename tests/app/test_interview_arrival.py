"""The candidate's link through the real router: valid, forged, outside the window."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from streamlit.testing.v1 import AppTest

from core.db.engine import Database
from core.domain import InterviewStatus
from tests.support.apptest import texts
from tests.support.factories import issue_key, make_interview


def test_forged_key_is_refused(open_app: Callable[..., AppTest]) -> None:
    at = open_app(key="x" * 43)
    assert "This link is not valid" in texts(at)
    assert not at.sidebar.button and "Interviews" not in texts(at)


def test_key_in_window_opens_welcome(open_app: Callable[..., AppTest], app_env: Database) -> None:
    iid = make_interview(app_env, scheduled_at=datetime.now(UTC) + timedelta(seconds=10))
    at = open_app(key=issue_key(app_env, iid))
    content = texts(at)
    assert "Time: 30 minutes for 3 questions" in content
    assert "not valid" not in content


def test_key_early_shows_start_time(open_app: Callable[..., AppTest], app_env: Database) -> None:
    iid = make_interview(app_env, scheduled_at=datetime.now(UTC) + timedelta(days=2))
    at = open_app(key=issue_key(app_env, iid))
    assert "This page opens by itself shortly before the start" in texts(at)
    (countdown,) = at.metric
    assert countdown.label == "Opens in" and countdown.value.startswith("47 h ")
    assert not at.button  # nothing to press: the countdown opens the interview by itself


def test_completed_interview_key_is_refused(
    open_app: Callable[..., AppTest], app_env: Database
) -> None:
    iid = make_interview(app_env, status=InterviewStatus.COMPLETED, scheduled_at=datetime.now(UTC))
    at = open_app(key=issue_key(app_env, iid))
    assert "This interview is complete" in texts(at)
