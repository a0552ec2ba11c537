"""Webhooks over real HTTP: an administrator registers endpoints through the API, the platform's
events happen (an interview completed and evaluated through the API, a decision, a cancelled
booking), and a receiver on loopback that is down at first (nothing listening, then 503s) gets
every event once, each signature verified; replay, refusals, and API keys by API."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from core.app import Application
from core.config import Settings
from core.db.engine import Database
from core.db.models import User, WebhookDelivery
from core.domain import Decision, Role
from core.integrations.worker import start_delivery_worker
from core.review.judgement import set_decision
from core.staff.permissions import StaffPrincipal
from tests.support.api_callers import Staff, api_key, create_practice
from tests.support.api_server import ApiServer, serve_api
from tests.support.factories import make_interview, make_user
from tests.support.smtp_server import free_port
from tests.support.webhook_receiver import Receiver, webhook_receiver

ALL_EVENTS = ["interview.completed", "evaluation.ready", "interview.cancelled", "review.decided"]


def eventually(check: Callable[[], Any], timeout: float = 60.0, what: str = "") -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what or check}")
        time.sleep(0.05)


@dataclass
class Platform:
    api: ApiServer
    admin: httpx.Client
    staff: Staff


@pytest.fixture
def platform(settings: Settings, db: Database) -> Iterator[Platform]:
    live = settings.model_copy(
        update={
            "webhook_backoff_base_seconds": 0.2,
            "webhook_backoff_max_seconds": 0.4,
            "webhook_max_attempts": 40,
            "webhook_timeout_seconds": 5.0,
        }
    )
    people = Staff()
    make_user(db, Role.ADMIN, people.admin)
    make_user(db, Role.RECRUITER, people.recruiter)
    make_user(db, Role.HIRING_MANAGER, people.manager)
    application = Application(live, db)
    worker = start_delivery_worker(db, live, interval_seconds=0.1)
    assert worker is not None
    application.delivery_worker = worker
    try:
        with serve_api(application) as api, api.bearer(people.admin, people.password) as admin:
            yield Platform(api, admin, people)
    finally:
        worker.stop()
        application.close()


def _register(admin: httpx.Client, url: str, events: list[str]) -> dict[str, Any]:
    r = admin.post("/v1/webhooks/", json={"url": url, "events": events, "description": "ATS"})
    assert r.status_code == 201, r.text
    made: dict[str, Any] = r.json()
    assert made["secret"].startswith("whsec_") and made["events"] == events
    assert "secret" not in admin.get(f"/v1/webhooks/{made['id']}/").json()
    return made


def _complete_a_practice_interview(client: httpx.Client) -> int:
    iid = int(create_practice(client)["id"])
    base = f"/v1/interviews/{iid}"
    assert client.post(f"{base}/start/").status_code == 200
    for q in client.get(f"{base}/questions/").json():
        body = {"question_id": q["id"], "text_response": "Indexes trade writes for reads."}
        assert client.post(f"{base}/submit_response/", json=body).status_code == 201
    done = client.post(f"{base}/complete/")
    assert done.status_code == 200, done.text
    return iid


def _cancel_a_booked_interview(admin: httpx.Client, db: Database) -> int:
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=1)
    slot = admin.post(
        "/v1/interviews/slots/",
        json={"starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=1)).isoformat()},
    )
    assert slot.status_code == 201, slot.text
    slot_id = slot.json()["results"][0]["id"]
    interview = make_interview(db)
    booked = admin.post(
        f"/v1/interviews/slots/{slot_id}/book_slot/", json={"interview_id": interview}
    )
    assert booked.status_code == 201, booked.text
    cancelled = admin.post(
        f"/v1/interviews/schedules/{booked.json()['booking_id']}/cancel/",
        json={"cancel_interview": True},
    )
    assert cancelled.status_code == 200, cancelled.text
    return interview


def _decide(db: Database, email: str, interview_id: int) -> None:
    with db.read() as s:
        admin_id = s.scalars(select(User.id).where(User.email == email)).one()
    set_decision(
        db,
        interview_id,
        Decision.ADVANCE,
        actor_id=admin_id,
        now=datetime.now(UTC),
        principal=StaffPrincipal(admin_id, Role.ADMIN),
    )


def test_a_receiver_down_at_first_gets_every_event_once_signed(platform: Platform) -> None:
    db = platform.api.application.db
    port = free_port()
    every = _register(platform.admin, f"http://127.0.0.1:{port}/hooks/all", ALL_EVENTS)
    decisions = _register(platform.admin, f"http://127.0.0.1:{port}/hooks/decided", ALL_EVENTS[3:])
    receiver = Receiver(
        secrets={"/hooks/all": every["secret"], "/hooks/decided": decisions["secret"]}, down_for=4
    )

    # Nothing listens yet: the events happen, their first attempts are refused.
    practice = _complete_a_practice_interview(platform.admin)
    _decide(db, platform.staff.admin, practice)
    cancelled = _cancel_a_booked_interview(platform.admin, db)

    def attempted() -> bool:
        with db.read() as s:
            rows = s.scalars(select(WebhookDelivery)).all()
            return len(rows) == 5 and all(r.attempts >= 2 and r.last_error for r in rows)

    eventually(attempted, what="two refused attempts of each delivery")
    with db.read() as s:
        errors = s.scalars(select(WebhookDelivery.last_error)).all()
    assert all("Connect" in e for e in errors), errors

    with webhook_receiver(receiver, port):  # up, but answering 503 four times
        eventually(lambda: len(receiver.events()) == 5, what="five accepted deliveries")
        time.sleep(1.0)  # a duplicate would come within the worker's next passes

    assert receiver.refused == 4 and receiver.forged == []
    got = {
        (a.headers["path"], a.event, a.payload["data"]["interview_id"]) for a in receiver.events()
    }
    assert got == {
        ("/hooks/all", "interview.completed", practice),
        ("/hooks/all", "evaluation.ready", practice),
        ("/hooks/all", "review.decided", practice),
        ("/hooks/all", "interview.cancelled", cancelled),
        ("/hooks/decided", "review.decided", practice),
    }
    ids = [a.event_id for a in receiver.events("/hooks/all")]
    assert len(ids) == len(set(ids)) == 4  # each event once
    by_event = {a.event: a.payload for a in receiver.events("/hooks/all")}
    assert 0 < by_event["evaluation.ready"]["data"]["percentage"] <= 100
    assert by_event["review.decided"]["data"]["decision"] == "advance"
    assert by_event["interview.completed"]["data"]["status"] == "completed"
    assert by_event["interview.completed"]["data"]["practice"] is True
    assert by_event["interview.cancelled"]["data"]["practice"] is False
    shared = {a.event_id for a in receiver.events() if a.event == "review.decided"}
    assert len(shared) == 1  # one event, delivered to both endpoints under one id

    page = platform.admin.get("/v1/webhooks/deliveries/", params={"page_size": 2}).json()
    assert page["count"] == 5 and len(page["results"]) == 2 and page["next"]
    assert {d["status"] for d in _all_deliveries(platform.admin)} == {"sent"}
    assert all(d["attempts"] >= 3 for d in _all_deliveries(platform.admin))


def _all_deliveries(admin: httpx.Client, **params: Any) -> list[dict[str, Any]]:
    r = admin.get("/v1/webhooks/deliveries/", params={"page_size": 100, **params})
    assert r.status_code == 200, r.text
    results: list[dict[str, Any]] = r.json()["results"]
    return results


def test_ping_replay_rotate_and_remove(platform: Platform) -> None:
    port = free_port()
    made = _register(platform.admin, f"http://127.0.0.1:{port}/in", ["review.decided"])
    receiver = Receiver(secrets={"/in": made["secret"]})
    with webhook_receiver(receiver, port):
        ping = platform.admin.post(f"/v1/webhooks/{made['id']}/ping/")
        assert ping.status_code == 202, ping.text
        eventually(lambda: receiver.events(), what="the ping")
        (first,) = receiver.events()
        assert first.event == "ping" and first.delivery_id == str(ping.json()["delivery_id"])

        replay = platform.admin.post(
            f"/v1/webhooks/deliveries/{ping.json()['delivery_id']}/replay/"
        )
        assert replay.status_code == 202, replay.text
        assert replay.json()["replay_of_id"] == ping.json()["delivery_id"]
        eventually(lambda: len(receiver.events()) == 2, what="the replay")
        assert receiver.events()[1].event_id == first.event_id  # the same event, again

        rotated = platform.admin.post(f"/v1/webhooks/{made['id']}/rotate_secret/").json()
        assert rotated["secret"] != made["secret"]
        platform.admin.post(f"/v1/webhooks/{made['id']}/ping/")
        eventually(lambda: receiver.forged, what="a ping signed with the new secret refused")
        receiver.secrets["/in"] = rotated["secret"]  # the receiver learns the new secret
        eventually(lambda: len(receiver.events()) == 3, what="the retried ping accepted")

    off = platform.admin.patch(f"/v1/webhooks/{made['id']}/", json={"is_active": False})
    assert off.status_code == 200 and off.json()["is_active"] is False
    assert platform.admin.delete(f"/v1/webhooks/{made['id']}/").status_code == 204
    assert platform.admin.get(f"/v1/webhooks/{made['id']}/").status_code == 404
    assert _all_deliveries(platform.admin) == []  # removed with their endpoint


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "ftp://example.com/x", "events": ["review.decided"]}, "https://"),
        ({"url": "https://u:p@example.com/x", "events": ["review.decided"]}, "password"),
        ({"url": "https://example.com/x", "events": []}, "events"),
        ({"url": "https://example.com/x", "events": ["user.created"]}, "events"),
        ({"url": "https://example.com/" + "x" * 2100, "events": ["review.decided"]}, "url"),
        ({"url": "https://example.com/\x00", "events": ["review.decided"]}, "NUL"),
        ({"url": "https://example.com/x", "events": ["review.decided"], "extra": 1}, "extra"),
    ],
)
def test_bad_endpoints_are_refused_and_none_is_made(
    platform: Platform, body: dict[str, Any], field: str
) -> None:
    r = platform.admin.post("/v1/webhooks/", json=body)
    assert r.status_code == 422, r.text
    assert field in r.text
    assert platform.admin.get("/v1/webhooks/").json() == []


def test_only_administrators_manage_integrations(platform: Platform) -> None:
    api, people = platform.api, platform.staff
    made = _register(platform.admin, "https://example.com/hooks", ["review.decided"])
    db = api.application.db
    refused = {
        "recruiter": (api.bearer(people.recruiter, people.password), 403),
        "manager": (api.bearer(people.manager, people.password), 403),
        "every scope": (
            api.client(**{"X-Api-Key": api_key(db, "read", "recruiting", "scheduling", "review")}),
            403,
        ),
        "nobody": (api.client(), 401),
    }
    for who, (client, status) in refused.items():
        with client:
            for method, path in (
                ("GET", "/v1/webhooks/"),
                ("POST", "/v1/webhooks/"),
                ("GET", f"/v1/webhooks/{made['id']}/"),
                ("POST", f"/v1/webhooks/{made['id']}/rotate_secret/"),
                ("GET", "/v1/webhooks/deliveries/"),
                ("GET", "/v1/api_keys/"),
                ("POST", "/v1/api_keys/"),
            ):
                body = {"url": "https://evil.example/x", "events": ["review.decided"]}
                r = client.request(method, path, json=body if method == "POST" else None)
                assert r.status_code in (status, 422), (who, method, path, r.text)
                if r.status_code == 422:  # a body the path does not take: still never allowed
                    assert path == "/v1/api_keys/" and method == "POST"
    assert [e["url"] for e in platform.admin.get("/v1/webhooks/").json()] == [made["url"]]
    for path in ("/v1/webhooks/424242/", "/v1/webhooks/deliveries/424242/"):
        assert platform.admin.get(path).status_code == 404
    assert platform.admin.post("/v1/webhooks/deliveries/424242/replay/").status_code == 404


def test_api_keys_made_used_and_revoked_by_api(platform: Platform) -> None:
    admin = platform.admin
    made = admin.post("/v1/api_keys/", json={"name": "ATS sync", "scopes": ["recruiting"]})
    assert made.status_code == 201, made.text
    key = made.json()["key"]
    assert key.startswith("ivk_") and made.json()["scopes"] == ["recruiting"]
    listed = admin.get("/v1/api_keys/").json()
    assert [k["name"] for k in listed] == ["ATS sync"] and "key" not in listed[0]
    with platform.api.client(Authorization=f"Bearer {key}") as ats:
        assert ats.get("/v1/candidates/").status_code == 200
        assert ats.get("/v1/api_keys/").status_code == 403
        revoked = admin.post(f"/v1/api_keys/{made.json()['id']}/revoke/")
        assert revoked.status_code == 200 and revoked.json()["active"] is False
        assert ats.get("/v1/candidates/").status_code == 401
    bad = admin.post("/v1/api_keys/", json={"name": "x", "scopes": ["everything"]})
    assert bad.status_code in (400, 422) and bad.json()["code"]
    assert admin.post("/v1/api_keys/", json={"name": ""}).status_code == 422
