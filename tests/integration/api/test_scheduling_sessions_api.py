"""The seeds' ``create_interview_session``, on-demand invitations and an interview's recordings
over real HTTP, with the emails delivered to a real SMTP server on loopback: the link of an
email still waiting is returned as is, a delivered one is replaced by a fresh link that is
emailed; every caller and every refusal."""

from __future__ import annotations

import wave
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from core.app import Application
from core.config import Settings
from core.db.engine import Database
from core.db.models import EmailOutbox, Interview, InterviewQuestion, InterviewResponse
from core.domain import InterviewStatus, OutboxStatus, TranscriptStatus
from core.mail.transport import build_transport
from core.mail.worker import process_due
from core.scheduling.access import AccessStatus
from core.scheduling.invitations import REPLACED
from tests.support.api_callers import (
    SCHEDULERS,
    Clients,
    book,
    hour,
    key_status,
    make_slot,
    refused,
)
from tests.support.api_server import ApiServer
from tests.support.factories import make_full_interview, make_interview
from tests.support.mail import POLICY, mail_settings
from tests.support.smtp_server import RecordingHandler, smtp_server

SESSION = "/v1/interviews/schedules/create_interview_session/"


@pytest.fixture
def smtp() -> Iterator[tuple[RecordingHandler, int]]:
    with smtp_server() as running:
        yield running


@pytest.fixture
def application(
    settings: Settings, db: Database, smtp: tuple[RecordingHandler, int]
) -> Iterator[Application]:
    """The API's container with its mail going to the loopback SMTP server."""
    app = Application(mail_settings(settings, smtp[1]), db)
    yield app
    app.close()


def _deliver(api: ApiServer, at: datetime | None = None) -> int:
    cfg = api.application.settings
    transport = build_transport(cfg)
    assert transport is not None
    return process_due(
        api.application.db, transport, at or datetime.now(UTC), settings=cfg, policy=POLICY
    )


def _bodies(handler: RecordingHandler) -> list[str]:
    def body(message: EmailMessage) -> str:
        part = message.get_body(("plain",))
        assert part is not None
        return str(part.get_content())

    return [body(m) for m in handler.received]


def _session(client: httpx.Client, interview_id: int) -> dict[str, Any]:
    r = client.post(SESSION, json={"interview_id": interview_id})
    assert r.status_code == 201, r.text
    return dict(r.json())


def _outbox(db: Database) -> list[tuple[int, str, OutboxStatus, str]]:
    t = EmailOutbox
    with db.read() as s:
        rows = s.execute(select(t.id, t.kind, t.status, t.last_error).order_by(t.id)).all()
    return [(i, k, st, e) for i, k, st, e in rows]


# create_interview_session --------------------------------------------------------------------
def test_a_booked_interview_s_session_one_email_then_a_fresh_link(
    clients: Clients,
    api: ApiServer,
    smtp: tuple[RecordingHandler, int],
) -> None:
    handler, _ = smtp
    db = api.application.db
    c = clients["recruiter"]
    start = hour(1)
    interview = make_interview(db)
    booked = book(c, make_slot(c, start), interview).json()

    first = _session(c, interview)  # right after booking: the waiting invitation's link
    assert first["success"] is True and first["email_sent"] is True
    assert first["link_reused"] is True and first["interview_link"] == booked["interview_link"]
    assert first["session_key"] == booked["session_key"] and first["session_id"] == interview
    assert datetime.fromisoformat(first["scheduled_at"]) == start
    assert first["open_until"] is None and first["booking_id"] == booked["booking_id"]
    assert first["coding_language"] == "PYTHON"
    assert first["candidate_email"].endswith("@example.com") and first["candidate_name"]
    assert _session(c, interview)["interview_link"] == booked["interview_link"]  # again: same
    assert len(_outbox(db)) == 1

    assert _deliver(api) == 1
    assert booked["interview_link"] in _bodies(handler)[0]
    fresh = _session(c, interview)  # delivered: a new link, emailed
    assert fresh["link_reused"] is False and fresh["session_key"] != booked["session_key"]
    assert key_status(db, booked["session_key"], start) is AccessStatus.INVALID
    assert key_status(db, fresh["session_key"], start) is AccessStatus.OPEN
    assert _deliver(api) == 1
    assert len(handler.received) == 2 and fresh["interview_link"] in _bodies(handler)[1]
    assert handler.envelopes[1][1] == [fresh["candidate_email"]]


def test_an_invited_interview_s_session_keeps_its_deadline(
    clients: Clients,
    api: ApiServer,
    smtp: tuple[RecordingHandler, int],
) -> None:
    handler, _ = smtp
    db = api.application.db
    c = clients["key_scheduling"]
    interview = make_interview(db)
    deadline = hour(5)
    invited = c.post(
        f"/v1/interviews/{interview}/invitation/", json={"deadline": deadline.isoformat()}
    )
    assert invited.status_code == 201, invited.text

    waiting = _session(c, interview)
    assert waiting["link_reused"] is True
    assert waiting["interview_link"] == invited.json()["interview_link"]
    assert waiting["scheduled_at"] is None and waiting["booking_id"] is None
    assert datetime.fromisoformat(waiting["open_until"]) == deadline
    assert _deliver(api) == 1  # the invitation (the reminder waits)

    fresh = _session(c, interview)
    assert fresh["link_reused"] is False
    assert datetime.fromisoformat(fresh["open_until"]) == deadline
    now = datetime.now(UTC)
    assert key_status(db, invited.json()["session_key"], now) is AccessStatus.INVALID
    assert key_status(db, fresh["session_key"], now) is AccessStatus.OPEN
    reminders = [row for row in _outbox(db) if row[1] == "reminder"]
    assert [(st, err) for _, _, st, err in reminders] == [
        (OutboxStatus.FAILED, REPLACED),
        (OutboxStatus.QUEUED, ""),
    ]
    assert _deliver(api) == 1 and fresh["interview_link"] in _bodies(handler)[-1]


def test_create_interview_session_refusals(clients: Clients, api: ApiServer) -> None:
    db = api.application.db
    c = clients["admin"]
    loose = make_interview(db)
    r = c.post(SESSION, json={"interview_id": loose})
    refused(r, 409, "not_booked_or_invited")
    assert "book" in r.json()["message"] and "invite" in r.json()["message"]
    refused(c.post(SESSION, json={"interview_id": 987654}), 404, "interview_not_found")
    done = make_interview(db, status=InterviewStatus.COMPLETED)
    refused(c.post(SESSION, json={"interview_id": done}), 409, "interview_not_schedulable")
    ending = make_interview(db)
    assert c.post(f"/v1/interviews/{ending}/invitation/").status_code == 201
    with db.write() as s:
        row = s.get(Interview, ending)
        assert row is not None
        row.open_until = datetime.now(UTC) + timedelta(minutes=30)
    refused(c.post(SESSION, json={"interview_id": ending}), 409, "invitation_ending")
    for bad in ({}, {"interview_id": "1"}, {"interview_id": -1}, {"interview_id": 1, "y": 2}):
        refused(c.post(SESSION, json=bad), 422, "invalid_request")
    assert len([row for row in _outbox(db) if row[1] == "invitation"]) == 1


# On-demand invitations -----------------------------------------------------------------------
@pytest.mark.parametrize(("who", "allowed"), SCHEDULERS)
def test_who_may_invite_on_demand(
    callers: Clients,
    api: ApiServer,
    who: str,
    allowed: bool | int,
) -> None:
    db = api.application.db
    interview = make_interview(db)
    r = callers[who].post(f"/v1/interviews/{interview}/invitation/", json={})
    with db.read() as s:
        row = s.get(Interview, interview)
        assert row is not None
        invited = row.open_until is not None
    if allowed is True:
        assert r.status_code == 201, r.text
        assert invited
    else:
        refused(r, int(allowed))
        assert not invited and _outbox(db) == []


def test_an_invitation_s_link_opens_now_until_its_deadline(
    clients: Clients,
    api: ApiServer,
) -> None:
    db = api.application.db
    c = clients["recruiter"]
    interview = make_interview(db)
    before = datetime.now(UTC)
    r = c.post(f"/v1/interviews/{interview}/invitation/")  # no body: the default deadline
    assert r.status_code == 201, r.text
    body = r.json()
    deadline = datetime.fromisoformat(body["deadline"])
    days = api.application.settings.invitation_days
    assert before + timedelta(days=days) <= deadline <= datetime.now(UTC) + timedelta(days=days)
    hours = api.application.settings.invitation_reminder_hours
    assert datetime.fromisoformat(body["reminder_at"]) == deadline - timedelta(hours=hours)
    assert body["email_queued"] is True and body["interview_id"] == interview
    assert body["interview_link"].endswith(f"?key={body['session_key']}")
    with api.client(**{"X-Interview-Key": body["session_key"]}) as candidate:
        seen = candidate.get(f"/v1/interviews/{interview}/")
    assert seen.status_code == 200, seen.text

    zoned = c.post(
        f"/v1/interviews/{interview}/invitation/", json={"deadline": "2099-01-01T00:00:00+02:00"}
    )
    refused(zoned, 422, "deadline_too_far")
    plus_two = timezone(timedelta(hours=2))
    soon = (datetime.now(UTC) + timedelta(days=2)).astimezone(plus_two).isoformat()
    again = c.post(f"/v1/interviews/{interview}/invitation/", json={"deadline": soon})
    assert again.status_code == 201, again.text
    assert datetime.fromisoformat(again.json()["deadline"]) == datetime.fromisoformat(soon)
    assert key_status(db, body["session_key"], datetime.now(UTC)) is AccessStatus.INVALID


@pytest.mark.parametrize(
    ("case", "status", "code"),
    [
        ("naive", 422, "deadline_naive"),
        ("too_soon", 422, "deadline_too_soon"),
        ("too_far", 422, "deadline_too_far"),
        ("garbage", 422, "invalid_request"),
        ("extra", 422, "invalid_request"),
        ("booked", 409, "interview_already_booked"),
        ("completed", 409, "interview_not_schedulable"),
        ("unknown", 404, "not_found"),
    ],
)
def test_invitation_refusals(
    clients: Clients,
    api: ApiServer,
    case: str,
    status: int,
    code: str,
) -> None:
    db = api.application.db
    c = clients["admin"]
    interview = make_interview(db)
    now = datetime.now(UTC)
    bodies: dict[str, dict[str, Any]] = {
        "naive": {"deadline": (now + timedelta(days=2)).replace(tzinfo=None).isoformat()},
        "too_soon": {"deadline": (now + timedelta(minutes=50)).isoformat()},
        "too_far": {"deadline": (now + timedelta(days=91)).isoformat()},
        "garbage": {"deadline": "next tuesday"},
        "extra": {"deadline": None, "cc": "boss@example.com"},
    }
    body = bodies.get(case, {})
    if case == "booked":
        assert book(c, make_slot(c, hour(1)), interview).status_code == 201
    elif case == "completed":
        interview = make_interview(db, status=InterviewStatus.COMPLETED)
    elif case == "unknown":
        interview = 987654
    refused(c.post(f"/v1/interviews/{interview}/invitation/", json=body), status, code)
    with db.read() as s:
        invited = s.scalars(select(Interview.id).where(Interview.open_until.is_not(None))).all()
    assert invited == []


def test_a_booking_replaces_an_invitation_made_over_the_api(
    clients: Clients,
    api: ApiServer,
) -> None:
    db = api.application.db
    c = clients["recruiter"]
    interview = make_interview(db)
    invited = c.post(f"/v1/interviews/{interview}/invitation/").json()
    start = hour(1)
    booked = book(c, make_slot(c, start), interview)
    assert booked.status_code == 201, booked.text
    with api.client(**{"X-Interview-Key": invited["session_key"]}) as old:
        refused(old.get(f"/v1/interviews/{interview}/"), 401, "interview_key_invalid")
    assert key_status(db, booked.json()["session_key"], start) is AccessStatus.OPEN
    with db.read() as s:
        row = s.get(Interview, interview)
        assert row is not None and row.open_until is None and row.scheduled_at == start
    session = _session(c, interview)
    assert session["booking_id"] == booked.json()["booking_id"] and session["open_until"] is None


# Recordings ----------------------------------------------------------------------------------
def _spoken_answer(db: Database, data_dir: Path, interview_id: int, seconds: float) -> int:
    relative = f"audio/{interview_id}/q1-test.wav"
    path = data_dir / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x00\x00" * int(8000 * seconds))
    with db.write() as s:
        first = s.scalars(
            select(InterviewResponse)
            .join(InterviewQuestion, InterviewQuestion.id == InterviewResponse.question_id)
            .where(InterviewResponse.interview_id == interview_id)
            .order_by(InterviewQuestion.order)
        ).first()
        assert first is not None
        first.audio_path = relative
        first.transcript_status = TranscriptStatus.DONE
        return first.id


RECORDING_READERS = [
    ("admin", 200),
    ("recruiter", 200),
    ("manager", 200),
    ("key_review", 200),
    ("key_read", 403),
    ("key_scheduling", 403),
    ("key_recruiting", 403),
    ("key_greenhouse", 403),
    ("anonymous", 401),
    ("candidate", 401),
]


@pytest.mark.parametrize(("who", "status"), RECORDING_READERS)
def test_an_interview_s_recordings_metadata_only(
    callers: Clients,
    api: ApiServer,
    who: str,
    status: int,
) -> None:
    db, data_dir = api.application.db, api.application.settings.data_dir
    interview = make_full_interview(db, data_dir)
    answer = _spoken_answer(db, data_dir, interview, seconds=1.5)
    r = callers[who].get(f"/v1/interviews/{interview}/recordings/")
    assert r.status_code == status, r.text
    if status != 200:
        assert "mp4" not in r.text
        return
    body = r.json()
    assert body["interview_id"] == interview and body["count"] == 2
    session, spoken = body["results"]
    assert (session["source"], session["kind"], session["mime_type"]) == (
        "session",
        "video",
        "video/mp4",
    )
    assert (session["duration_seconds"], session["size_bytes"]) == (1200.0, 2048)
    started = datetime.fromisoformat(session["started_at"])
    assert datetime.fromisoformat(session["ended_at"]) == started + timedelta(seconds=1200)
    assert session["transcript_status"] is None and session["question_id"] is None
    assert (spoken["source"], spoken["id"], spoken["kind"]) == ("answer", answer, "audio")
    assert spoken["duration_seconds"] == 1.5 and spoken["size_bytes"] > 24_000
    assert spoken["question_order"] == 1 and spoken["transcript_status"] == "done"
    for leak in (f"audio/{interview}/", f"recordings/{interview}.mp4", '"path"'):
        assert leak not in r.text  # no file paths leave the server


def test_recordings_of_unknown_or_empty_interviews(clients: Clients, api: ApiServer) -> None:
    c = clients["manager"]
    refused(c.get("/v1/interviews/987654/recordings/"), 404, "interview_not_found")
    empty = make_interview(api.application.db)
    assert c.get(f"/v1/interviews/{empty}/recordings").json() == {
        "interview_id": empty,
        "count": 0,
        "results": [],
    }
