"""What the candidate sees around the camera and the clock: a calm note (never a server error
or a file path) when something on our side fails, a live countdown when early, skipped
questions that stay skipped."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from core.config import Settings
from core.db.engine import Database
from core.db.models import Interview, InterviewResponse
from core.domain import ResponseStatus
from core.ui.candidate_arrival import countdown_text
from tests.support.apptest import texts
from tests.support.factories import issue_key, make_interview, make_proctor_interview


def _widget_page(data_dir: str, database_url: str, interview_id: int, message: str) -> None:
    from pathlib import Path

    import streamlit as st

    from core.config import load_settings
    from core.db.engine import Database
    from core.proctor.media_session import MediaSession
    from core.ui import proctor_widget
    from core.ui.webrtc_bridge import ProctorBridge

    name = "proctor_bridge::cam"
    if name not in st.session_state:
        settings = load_settings(data_dir=Path(data_dir), database_url=database_url)
        db = Database(database_url)
        media = MediaSession(interview_id, db=db, away_seconds=30)
        bridge = ProctorBridge(interview_id=interview_id, settings=settings, db=db, media=media)
        bridge._error(message)  # what a failed registration reports
        st.session_state[name] = bridge
    proctor_widget._drain_and_show("cam", interview_id, True)


def test_a_recording_problem_shows_a_calm_note_without_paths(
    settings: Settings, db: Database
) -> None:
    iid = make_proctor_interview(db)
    message = (
        f"recording 20260302T090000Z-ab12cd34.mp4 not registered: recording "
        f"recordings/{iid}/x.mp4 does not decode: '{settings.data_dir}/recordings/{iid}/x.mp4'"
    )
    kwargs: dict[str, Any] = {
        "data_dir": str(settings.data_dir),
        "database_url": settings.resolved_database_url,
        "interview_id": iid,
        "message": message,
    }
    at = AppTest.from_function(_widget_page, kwargs=kwargs, default_timeout=30).run()
    shown = texts(at)
    assert "reported to the team" in shown and "carry on" in shown
    for leak in (
        ".mp4",
        "recordings/",
        str(settings.data_dir),
        "does not decode",
        "Proctoring problem",
    ):
        assert leak not in shown
    from core.proctor.event_log import list_events

    (incident,) = list_events(db, iid)  # stored for staff, with the details
    assert incident.kind.value == "system_issue" and "does not decode" in incident.detail
    assert incident.detail.split()[1].rstrip(":") in shown  # the reference the candidate sees


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "0 s"), (0.2, "1 s"), (59, "59 s"), (61, "1 min 01 s"), (3600, "1 h 00 min 00 s"),
     (172_799, "47 h 59 min 59 s"), (-5, "0 s")],
)  # fmt: skip
def test_countdown_text(seconds: float, text: str) -> None:
    assert countdown_text(seconds) == text


def test_early_page_opens_when_its_window_starts(
    open_app: Callable[..., AppTest], app_env: Database
) -> None:
    scheduled = datetime.now(UTC) + timedelta(seconds=38)  # opens 30 s before: in 8 s
    iid = make_interview(app_env, scheduled_at=scheduled)
    at = open_app(key=issue_key(app_env, iid))
    (countdown,) = at.metric
    assert countdown.label == "Opens in" and countdown.value.endswith(" s")
    opens = scheduled - timedelta(seconds=30)
    time.sleep(max(0.0, (opens - datetime.now(UTC)).total_seconds()) + 0.5)
    at.run()  # what the countdown's last tick does: the whole page runs again
    assert "What happens" in texts(at) and not at.metric


def _click(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click()
    return at.run()


def test_a_skipped_question_stays_skipped(
    open_app: Callable[..., AppTest], app_env: Database
) -> None:
    iid = make_interview(app_env, scheduled_at=datetime.now(UTC) + timedelta(seconds=5))
    with app_env.write() as s:
        interview = s.get(Interview, iid)
        assert interview is not None
        interview.enable_video = False  # AppTest has no camera
    at = _click(open_app(key=issue_key(app_env, iid)), "Start the interview")
    at = _click(at, "Skip for now")
    assert "Question 2 of 3" in texts(at)
    (bar,) = at.get("progress")
    assert "0 of 3 answered · 1 skipped" in str(bar.proto.text)
    at.text_area[0].input("Answer 2")
    at = _click(at, "Submit answer")
    at.text_area[0].input("Answer 3")
    at = _click(at, "Submit answer")
    assert "Question 1 of 3" in texts(at)  # back to the skipped one, still skipped
    at = _click(at, "Skip for now")  # skipped again: to the end, not round in a circle
    shown = texts(at)
    assert "You have answered every question you did not skip (1 skipped)" in shown
    with app_env.read() as s:
        statuses = {
            r.question_id: r.status
            for r in s.scalars(
                select(InterviewResponse).where(InterviewResponse.interview_id == iid)
            )
        }
    assert sorted(statuses.values()) == sorted(
        [ResponseStatus.SKIPPED, ResponseStatus.SUBMITTED, ResponseStatus.SUBMITTED]
    )


def _away_page(data_dir: str, database_url: str, interview_id: int, away: float) -> None:
    from pathlib import Path

    import streamlit as st

    from core.clock import FixedClock
    from core.config import load_settings
    from core.db.engine import Database
    from core.proctor.media_session import MediaSession
    from core.ui import proctor_widget
    from core.ui.webrtc_bridge import ProctorBridge

    name = "proctor_bridge::cam"
    if name not in st.session_state:
        settings = load_settings(data_dir=Path(data_dir), database_url=database_url)
        db = Database(database_url)
        clock = FixedClock()
        media = MediaSession(interview_id, db=db, away_seconds=30, clock=clock)
        media.frame_seen()
        for _ in range(int(away)):  # the camera's video stops (unplugged, taken by another app)
            clock.advance(1)
            media.tick()
        bridge = ProctorBridge(interview_id=interview_id, settings=settings, db=db, media=media)
        st.session_state[name] = bridge
    proctor_widget._drain_and_show("cam", interview_id, False)


@pytest.mark.parametrize(
    ("away", "calm", "hint"), [(5, True, False), (45, False, True)], ids=["drop", "away"]
)
def test_a_camera_away_past_the_limit_says_what_to_check(
    settings: Settings, db: Database, away: float, calm: bool, hint: bool
) -> None:
    """A short drop: the calm "reconnecting" note. Video missing past the limit: what to check
    (the browser may have lost the device; it will not come back by waiting alone)."""
    kwargs: dict[str, Any] = {
        "data_dir": str(settings.data_dir),
        "database_url": settings.resolved_database_url,
        "interview_id": make_proctor_interview(db),
        "away": away,
    }
    shown = texts(AppTest.from_function(_away_page, kwargs=kwargs, default_timeout=30).run())
    assert ("Reconnecting your camera" in shown) is calm
    assert ("allowed for this site" in shown) is hint


def test_a_throttled_link_says_how_long_to_wait(
    open_app: Callable[..., AppTest], app_env: Database
) -> None:
    """Unknown keys from one connection earn a wait; the page names it (and a real key from
    the same connection still opens: tests/integration/test_access_keys.py)."""
    from core.scheduling.access import JoinWindow, check_key

    window = JoinWindow(before_seconds=300, after_seconds=3600)
    for n in range(25):
        check_key(app_env, f"guess-{n}", now=datetime.now(UTC), address="local", window=window)
    shown = texts(open_app(key="one-more-guess"))
    assert "Too many attempts from your connection. Please try again in" in shown, shown
    assert "second" in shown or "minute" in shown
