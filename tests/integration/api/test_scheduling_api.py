"""Scheduling over real HTTP: slots (one or a series, from/to and free filters, delete),
``book_slot`` with its named refusals, and bookings listed, moved and cancelled — for every kind
of caller (staff by role, API keys by scope, nobody, a candidate's link key). The seeds'
``create_interview_session``, on-demand invitations and recordings: test_scheduling_sessions_api.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from core.app import Application
from core.config import Settings
from core.db.engine import Database
from core.db.models import (
    Booking,
    EmailOutbox,
    Interview,
    Slot,
)
from core.domain import BookingStatus, InterviewStatus, OutboxStatus, Role
from core.scheduling.access import AccessStatus
from tests.support.api_callers import (
    SCHEDULERS,
    Clients,
    book,
    hour,
    key_status,
    make_slot,
    refused,
)
from tests.support.api_server import ApiServer, serve_api
from tests.support.factories import PASSWORD, make_interview, make_user


# Who may schedule ------------------------------------------------------------------------------
@pytest.mark.parametrize(("who", "allowed"), SCHEDULERS)
def test_who_may_schedule(callers: Clients, api: ApiServer, who: str, allowed: bool | int) -> None:
    db = api.application.db
    c = callers[who]
    interview = make_interview(db)
    start = hour(2)
    existing = make_slot(callers["admin"], hour(3))
    made = c.post(
        "/v1/interviews/slots/",
        json={"starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=1)).isoformat()},
    )
    statuses = [
        made.status_code,
        c.get("/v1/interviews/slots/").status_code,
        c.get(f"/v1/interviews/slots/{existing}/").status_code,
        book(c, existing, interview).status_code,
        c.get("/v1/interviews/schedules/").status_code,
    ]
    with db.read() as s:
        booked = s.scalars(select(Booking.id)).first()
        slots = len(list(s.scalars(select(Slot.id))))
    if allowed is True:
        assert statuses == [201, 200, 200, 201, 200]
        assert booked is not None and slots == 2
        assert (
            c.post(
                f"/v1/interviews/schedules/{booked}/cancel/", json={"cancel_interview": False}
            ).status_code
            == 200
        )
        assert c.delete(f"/v1/interviews/slots/{existing}/").status_code == 204
    else:
        assert statuses == [allowed] * 5
        assert booked is None and slots == 1
        assert all(set(r.json()) >= {"code", "message"} for r in [made])
        refused(c.delete(f"/v1/interviews/slots/{existing}/"), allowed)
        refused(c.post(f"/v1/interviews/{interview}/invitation/"), allowed)
        refused(
            c.post(
                "/v1/interviews/schedules/create_interview_session/",
                json={"interview_id": interview},
            ),
            allowed,
        )


# Slots -----------------------------------------------------------------------------------------
def test_slots_one_or_a_series_listed_by_time_with_free_places(
    clients: Clients,
    api: ApiServer,
) -> None:
    c = clients["recruiter"]
    first_day = (datetime.now(UTC) + timedelta(days=7)).date()
    series = {
        "recurring": {
            "first_day": first_day.isoformat(),
            "last_day": (first_day + timedelta(days=6)).isoformat(),
            "weekdays": [0, 2],  # Mondays and Wednesdays
            "day_start": "09:00",
            "day_end": "11:00",
            "slot_minutes": 60,
            "timezone": "Europe/Berlin",
        },
        "capacity": 2,
        "note": "panel",
    }
    made = c.post("/v1/interviews/slots/", json=series)
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["count"] == 4 and len(body["results"]) == 4  # 2 days × 2 slots
    first = body["results"][0]
    assert (first["capacity"], first["booked"], first["free"], first["note"]) == (2, 0, 2, "panel")
    starts = [datetime.fromisoformat(s["starts_at"]) for s in body["results"]]
    assert starts == sorted(starts)
    assert all(s.astimezone(ZoneInfo("Europe/Berlin")).hour in (9, 10) for s in starts)

    single = make_slot(c, hour(1), capacity=1)
    assert book(c, single, make_interview(api.application.db)).status_code == 201
    listed = c.get("/v1/interviews/slots/").json()
    assert listed["count"] == 5 and listed["results"][0]["id"] == single
    assert listed["results"][0]["free"] == 0 and listed["results"][0]["booked"] == 1
    free = c.get("/v1/interviews/slots/", params={"free": "true"}).json()
    assert single not in [s["id"] for s in free["results"]] and free["count"] == 4
    window = {"from": starts[0].isoformat(), "to": starts[1].isoformat()}
    assert [s["id"] for s in c.get("/v1/interviews/slots/", params=window).json()["results"]] == [
        body["results"][0]["id"]
    ]
    paged = c.get("/v1/interviews/slots/", params={"page_size": 2, "page": 3}).json()
    assert paged["count"] == 5 and len(paged["results"]) == 1 and paged["next"] is None
    for bad in ({"from": "2026-01-05T10:00:00"}, {"to": "tomorrow"}, {"free": "perhaps"}):
        refused(c.get("/v1/interviews/slots/", params=bad), 422, "invalid_request")


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"starts_at": "2030-01-01T10:00:00"}, 422, "invalid_request"),  # naive, no end
        ({"starts_at": "2030-01-01T10:00:00", "ends_at": "2030-01-01T11:00:00"}, 422, None),
        ({"starts_at": "2030-01-01T10:00:00Z", "ends_at": "2030-01-01T09:00:00Z"}, 400, None),
        ({"starts_at": "2020-01-01T10:00:00Z", "ends_at": "2020-01-01T11:00:00Z"}, 400, None),
        ({}, 422, "invalid_request"),
        (
            {
                "starts_at": "2030-01-01T10:00:00Z",
                "ends_at": "2030-01-01T11:00:00Z",
                "capacity": 0,
            },
            422,
            None,
        ),
        (
            {
                "recurring": {
                    "first_day": "2030-01-01",
                    "last_day": "2032-01-01",
                    "weekdays": [0],
                    "day_start": "09:00",
                    "day_end": "10:00",
                    "slot_minutes": 30,
                }
            },
            422,
            None,
        ),
        (
            {
                "recurring": {
                    "first_day": "2030-01-01",
                    "last_day": "2030-02-01",
                    "weekdays": [0],
                    "day_start": "09:00",
                    "day_end": "10:00",
                    "slot_minutes": 30,
                    "timezone": "Mars/Olympus",
                }
            },
            422,
            None,
        ),
        (
            {
                "recurring": {
                    "first_day": "2030-01-01",
                    "last_day": "2030-12-31",
                    "weekdays": [0, 1, 2, 3, 4, 5, 6],
                    "day_start": "00:00",
                    "day_end": "23:55",
                    "slot_minutes": 5,
                }
            },
            400,
            "slot_invalid",  # more than 2000 slots
        ),
        (
            {
                "recurring": {
                    "first_day": "2030-01-02",
                    "last_day": "2030-01-01",
                    "weekdays": [0],
                    "day_start": "09:00",
                    "day_end": "10:00",
                    "slot_minutes": 30,
                }
            },
            400,
            "slot_invalid",
        ),
    ],
)
def test_bad_slots_are_refused_and_none_is_made(
    clients: Clients,
    api: ApiServer,
    body: dict[str, Any],
    status: int,
    code: str | None,
) -> None:
    r = clients["admin"].post("/v1/interviews/slots/", json=body)
    refused(r, status, code or ("slot_invalid" if status == 400 else "invalid_request"))
    with api.application.db.read() as s:
        assert s.scalars(select(Slot.id)).first() is None


def test_times_out_of_range_or_numbers_are_refused_not_crashed(
    clients: Clients,
    api: ApiServer,
) -> None:
    c = clients["admin"]
    edge = "9999-12-31T23:00:00-05:00"  # past the end of time once in UTC
    interview = make_interview(api.application.db)
    cases = [
        c.post("/v1/interviews/slots/", json={"starts_at": edge, "ends_at": edge}),
        c.post("/v1/interviews/slots/", json={"starts_at": 1, "ends_at": 2}),
        c.post("/v1/interviews/slots/", json={"starts_at": "1", "ends_at": "2"}),
        c.get("/v1/interviews/slots/", params={"from": edge}),
        c.get("/v1/interviews/schedules/", params={"to": "0.5"}),
        c.get("/v1/interviews/slots/", params={"to": "0001-01-01T00:00:00+14:00"}),
        c.post(f"/v1/interviews/{interview}/invitation/", json={"deadline": edge}),
        c.post(f"/v1/interviews/{interview}/invitation/", json={"deadline": 1_900_000_000}),
    ]
    for r in cases:
        refused(r, 422, "invalid_request")
    with api.application.db.read() as s:
        assert s.scalars(select(Slot.id)).first() is None


def test_deleting_slots(clients: Clients, api: ApiServer) -> None:
    c = clients["recruiter"]
    busy, idle = make_slot(c, hour(1)), make_slot(c, hour(1, 2))
    assert book(c, busy, make_interview(api.application.db)).status_code == 201
    refused(c.delete(f"/v1/interviews/slots/{busy}/"), 409, "slot_has_bookings")
    assert c.delete(f"/v1/interviews/slots/{idle}").status_code == 204
    refused(c.delete(f"/v1/interviews/slots/{idle}/"), 404, "slot_not_found")
    refused(c.get(f"/v1/interviews/slots/{idle}/"), 404, "slot_not_found")
    refused(c.delete("/v1/interviews/slots/0/"), 422, "invalid_request")


# Booking ---------------------------------------------------------------------------------------
def test_book_slot_returns_a_working_link_and_queues_the_invitation(
    clients: Clients,
    api: ApiServer,
) -> None:
    db = api.application.db
    c = clients["key_scheduling"]
    start = hour(1)
    slot = make_slot(c, start, capacity=2)
    interview = make_interview(db)
    r = book(c, slot, interview, booking_notes="bring a laptop")
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["interview_id"] == interview and body["email_queued"] is True
    assert body["slot"]["id"] == slot and body["slot"]["booked"] == 1 and body["slot"]["free"] == 1
    assert body["interview_link"].endswith(f"?key={body['session_key']}")
    assert key_status(db, body["session_key"], start) is AccessStatus.OPEN
    with db.read() as s:
        booking = s.get(Booking, body["booking_id"])
        outbox = s.get(EmailOutbox, body["outbox_id"])
        assert booking is not None and booking.notes == "bring a laptop"
        assert outbox is not None and outbox.kind == "invitation"
        assert outbox.status is OutboxStatus.QUEUED
        assert outbox.secret_link == body["interview_link"]  # kept until it is delivered


def test_book_slot_refusals_name_their_cause(clients: Clients, api: ApiServer) -> None:
    db = api.application.db
    c = clients["recruiter"]
    start = hour(1)
    full, other, overlapping = make_slot(c, start), make_slot(c, hour(1, 3)), make_slot(c, start)
    first = make_interview(db)
    assert book(c, full, first).status_code == 201
    refused(book(c, full, make_interview(db)), 409, "slot_full")
    refused(book(c, other, first), 409, "interview_already_booked")
    with db.read() as s:
        row = s.get(Interview, first)
        assert row is not None
        candidate = row.candidate_id
    second = make_interview(db, candidate_id=candidate)
    refused(book(c, overlapping, second), 409, "candidate_already_booked")
    done = make_interview(db, status=InterviewStatus.COMPLETED)
    refused(book(c, other, done), 409, "interview_not_bookable")
    refused(book(c, 987654, second), 404, "missing_slot")
    refused(book(c, other, 987654), 404, "missing_interview")
    for bad in ({}, {"interview_id": "7"}, {"interview_id": 0}, {"interview_id": 1, "x": 1}):
        refused(c.post(f"/v1/interviews/slots/{other}/book_slot/", json=bad), 422)
    refused(book(c, other, second, notes="n" * 2001), 422, "invalid_request")
    with db.read() as s:
        assert len(list(s.scalars(select(Booking.id)))) == 1


def test_bookings_listed_moved_and_cancelled(clients: Clients, api: ApiServer) -> None:
    db = api.application.db
    c = clients["admin"]
    start, later = hour(1), hour(2)
    first_slot, second_slot = make_slot(c, start), make_slot(c, later)
    interview = make_interview(db)
    booked = book(c, first_slot, interview).json()

    listed = c.get("/v1/interviews/schedules/").json()
    assert listed["count"] == 1
    row = listed["results"][0]
    assert (row["id"], row["slot_id"], row["interview_id"], row["status"]) == (
        booked["booking_id"],
        first_slot,
        interview,
        "active",
    )
    assert row["candidate_email"].endswith("@example.com")

    moved = c.post(
        f"/v1/interviews/schedules/{booked['booking_id']}/reschedule/",
        json={"slot_id": second_slot},
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["slot"]["id"] == second_slot
    assert moved.json()["session_key"] != booked["session_key"]
    assert key_status(db, booked["session_key"], start) is AccessStatus.INVALID
    assert key_status(db, moved.json()["session_key"], later) is AccessStatus.OPEN
    refused(
        c.post(
            f"/v1/interviews/schedules/{booked['booking_id']}/reschedule/",
            json={"slot_id": second_slot},
        ),
        409,
        "same_slot",
    )
    refused(
        c.post("/v1/interviews/schedules/424242/reschedule/", json={"slot_id": first_slot}),
        404,
        "missing_booking",
    )

    cancelled = c.post(
        f"/v1/interviews/schedules/{booked['booking_id']}/cancel/", json={"cancel_interview": True}
    )
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["interview_cancelled"] is True
    assert key_status(db, moved.json()["session_key"], later) is AccessStatus.INVALID
    with db.read() as s:
        assert s.get(Interview, interview).status is InterviewStatus.CANCELLED  # type: ignore[union-attr]
        cancel_mail = s.get(EmailOutbox, cancelled.json()["outbox_id"])
        assert cancel_mail is not None and cancel_mail.kind == "cancellation"
    refused(
        c.post(f"/v1/interviews/schedules/{booked['booking_id']}/cancel/"),
        404,
        "missing_booking",
    )
    assert c.get("/v1/interviews/schedules/").json()["count"] == 0
    everything = c.get("/v1/interviews/schedules/", params={"include_cancelled": "true"}).json()
    assert [b["status"] for b in everything["results"]] == ["cancelled"]
    other = make_interview(db)
    again = book(c, first_slot, other).json()
    kept = c.post(f"/v1/interviews/schedules/{again['booking_id']}/cancel/")  # no body
    assert kept.status_code == 200 and kept.json()["interview_cancelled"] is False
    with db.read() as s:
        assert s.get(Interview, other).status is InterviewStatus.SCHEDULED  # type: ignore[union-attr]
    by_interview = c.get(
        "/v1/interviews/schedules/", params={"interview_id": other, "include_cancelled": True}
    ).json()
    assert [b["interview_id"] for b in by_interview["results"]] == [other]
    refused(c.post(f"/v1/interviews/schedules/{again['booking_id']}/cancel/", json={"x": 1}), 422)
    with db.read() as s:
        statuses = set(s.scalars(select(Booking.status)))
    assert statuses == {BookingStatus.CANCELLED}


# The same over PostgreSQL --------------------------------------------------------------------
def test_scheduling_and_recruiting_reads_over_http_on_postgresql(
    pg_db: Database, settings: Settings
) -> None:
    """The paged reads, the booking's locks and the invitation on PostgreSQL (the other tests
    run on SQLite): search with LIKE's special characters taken literally, free-place filter,
    bookings by interview, book → session → invite → session."""
    make_user(pg_db, Role.RECRUITER, "pg-recruiter@example.com")
    app = Application(settings, pg_db)
    try:
        with serve_api(app) as api, api.bearer("pg-recruiter@example.com", PASSWORD) as c:
            for name in ("Anna 50%_Off", "Anna Plain"):
                made = c.post(
                    "/v1/candidates/", json={"full_name": name, "email": f"{name[-3:]}@x.org"}
                )
                assert made.status_code == 201, made.text
            found = c.get("/v1/candidates/", params={"q": "%_"}).json()
            assert [x["full_name"] for x in found["results"]] == ["Anna 50%_Off"]
            assert (
                c.post("/v1/jobs/", json={"title": "PG Dev", "coding_language": "sql"}).json()[
                    "coding_language"
                ]
                == "SQL"
            )

            start = hour(1)
            full, free = make_slot(c, start), make_slot(c, hour(1, 2), capacity=2)
            booked_interview, invited_interview = make_interview(pg_db), make_interview(pg_db)
            booked = book(c, full, booked_interview)
            assert booked.status_code == 201, booked.text
            refused(book(c, full, make_interview(pg_db)), 409, "slot_full")
            listed = c.get("/v1/interviews/slots/", params={"free": True}).json()
            assert [s["id"] for s in listed["results"]] == [free] and listed["count"] == 1
            mine = c.get("/v1/interviews/schedules/", params={"interview_id": booked_interview})
            assert [b["id"] for b in mine.json()["results"]] == [booked.json()["booking_id"]]
            session = c.post(
                "/v1/interviews/schedules/create_interview_session/",
                json={"interview_id": booked_interview},
            ).json()
            assert session["link_reused"] is True
            assert session["session_key"] == booked.json()["session_key"]

            invited = c.post(f"/v1/interviews/{invited_interview}/invitation/")
            assert invited.status_code == 201, invited.text
            key = invited.json()["session_key"]
            assert key_status(pg_db, key, datetime.now(UTC)) is AccessStatus.OPEN
            again = c.post(
                "/v1/interviews/schedules/create_interview_session/",
                json={"interview_id": invited_interview},
            ).json()
            assert again["session_key"] == key and again["open_until"] is not None
            moved = book(c, free, invited_interview)  # a booking replaces the invitation
            assert moved.status_code == 201, moved.text
            assert key_status(pg_db, key, datetime.now(UTC)) is AccessStatus.INVALID
    finally:
        app.close()
