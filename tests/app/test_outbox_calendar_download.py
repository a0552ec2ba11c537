"""Email outbox: the calendar invitation a message carries can be downloaded (issue 16 a)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import streamlit as st
from icalendar import Calendar
from streamlit.testing.v1 import AppTest

from core.config import get_settings
from core.db.engine import Database
from core.domain import Role
from core.mail.outbox import calendar_file, list_outbox
from core.mail.queue import DEFAULT_POLICY, claim_next, mark_sent
from core.scheduling.booking import BookingResult, book
from core.scheduling.slots import create_slots
from tests.support.apptest import REPO, sign_in_as, texts
from tests.support.factories import make_interview, make_user

SAFE_NAME = re.compile(r"^[a-z0-9-]+\.ics$")
LABEL = "Download the calendar invitation (.ics)"


def _booked(db: Database) -> BookingResult:
    now = datetime.now(UTC)
    start = now + timedelta(days=2)
    slot = create_slots(db, [(start, start + timedelta(minutes=45))], capacity=2, now=now)[0]
    return book(db, get_settings(), interview_id=make_interview(db), slot_id=slot.id, now=now)


def _outbox_id(db: Database, interview_id: int) -> int:
    [message] = [m for m in list_outbox(db) if m.interview_id == interview_id]
    return message.id


def _open_message(db: Database, outbox_id: int, downloads: list[dict[str, Any]]) -> AppTest:
    at = AppTest.from_file(str(REPO / "pages/outbox.py"), default_timeout=30)
    sign_in_as(at, make_user(db, Role.RECRUITER).id)
    at.run()
    box = next(s for s in at.selectbox if s.label == "Message")
    index = next(i for i, o in enumerate(box.options) if o.startswith(f"#{outbox_id} "))
    downloads.clear()
    return box.select_index(index).run()


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """What the page hands to st.download_button (AppTest keeps no download data)."""
    seen: list[dict[str, Any]] = []
    original = st.download_button

    def spy(label: str, data: Any = None, *args: Any, **kwargs: Any) -> Any:
        seen.append({"label": label, "data": data, **kwargs})
        return original(label, data, *args, **kwargs)

    monkeypatch.setattr(st, "download_button", spy)
    return seen


def test_a_waiting_invitation_downloads_with_the_candidates_link(
    open_app: Callable[..., AppTest], app_env: Database, downloads: list[dict[str, Any]]
) -> None:
    booked = _booked(app_env)
    outbox_id = _outbox_id(app_env, booked.interview_id)
    at = _open_message(app_env, outbox_id, downloads)
    assert not at.exception
    assert LABEL in [getattr(b, "label", "") for b in at.get("download_button")], texts(at)
    [invite] = [d for d in downloads if d["label"] == LABEL]
    assert SAFE_NAME.match(invite["file_name"]), invite["file_name"]
    assert invite["mime"] == "text/calendar"
    event = Calendar.from_ical(invite["data"]).walk("VEVENT")[0]
    assert str(event["URL"]) == booked.link  # the file the candidate gets, link included
    assert "{{intervista" not in invite["data"].decode()


def test_a_delivered_invitation_downloads_without_the_link_it_no_longer_keeps(
    app_env: Database,
) -> None:
    booked = _booked(app_env)
    now = datetime.now(UTC)
    while (message := claim_next(app_env, now, DEFAULT_POLICY)) is not None:
        mark_sent(app_env, message, now)
    invite = calendar_file(app_env, _outbox_id(app_env, booked.interview_id))
    assert invite is not None and invite.link_withheld
    text = invite.content.decode()
    event = Calendar.from_ical(text).walk("VEVENT")[0]
    assert "URL" not in event and "LOCATION" not in event  # a note is not a URI
    assert "delivered, not kept" in str(event["DESCRIPTION"])
    assert booked.link and booked.link.split("key=")[1] not in text
    assert "{{intervista" not in text and "METHOD:REQUEST" in text
    assert SAFE_NAME.match(invite.file_name)
