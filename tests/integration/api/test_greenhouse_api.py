"""Greenhouse's Assessment Partner API over real HTTP: who may call it, each endpoint's shapes
exactly as Greenhouse reads them, and every refusal (JSON, the right status, nothing stored)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import streamlit as st
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from core.app import Application
from core.config import Settings, get_settings
from core.db.engine import Database
from core.db.models import (
    Candidate,
    EmailOutbox,
    Evaluation,
    GreenhouseOrder,
    GreenhouseResponseError,
    Interview,
    InterviewTemplate,
)
from core.domain import InterviewStatus
from core.recruiting.template_admin import (
    TemplateQuestion,
    TemplateSpec,
    create_template,
    duplicate_template,
    export_template_json,
    import_template_json,
    spec_from_view,
)
from core.staff import auth
from core.staff.api_access import revoke_api_key
from tests.support.api_callers import Staff
from tests.support.api_server import ApiServer, serve_api
from tests.support.apptest import REPO, sign_in_as
from tests.support.factories import make_candidate, make_template
from tests.support.fake_greenhouse import greenhouse_client, greenhouse_key, offer, send_test_body

CALLBACK = "https://app.greenhouse.io/integrations/partner/assessments/77/complete"


@dataclass
class World:
    api: ApiServer
    key: str
    test_id: str

    def greenhouse(self) -> httpx.Client:
        return greenhouse_client(self.api.base, self.key)

    def count(self, model: Any) -> int:
        with self.api.application.db.read() as s:
            return int(s.scalar(select(func.count()).select_from(model)) or 0)


@pytest.fixture
def world(api: ApiServer) -> World:
    db = api.application.db
    template_id = make_template(db, questions=2)
    offer(db, template_id)
    return World(api, greenhouse_key(db), str(template_id))


def _send(world: World, client: httpx.Client, **changes: Any) -> httpx.Response:
    return client.post(
        "/greenhouse/send_test", json={**send_test_body(world.test_id, CALLBACK), **changes}
    )


# Who may call -------------------------------------------------------------------------------
ENDPOINTS = [
    ("GET", "/greenhouse/list_tests", None),
    ("POST", "/greenhouse/send_test", "send"),
    ("GET", "/greenhouse/test_status?partner_interview_id=abc", None),
    ("POST", "/greenhouse/response_error", {"api_call": "send_test", "errors": ["x"]}),
]


def _call(world: World, client: httpx.Client, method: str, path: str, body: Any) -> httpx.Response:
    payload = send_test_body(world.test_id, CALLBACK) if body == "send" else body
    return client.request(method, path, json=payload)


@pytest.fixture
def credentials(world: World, staff: Staff) -> Iterator[dict[str, httpx.Client]]:
    db, api = world.api.application.db, world.api
    revoked = greenhouse_key(db)
    revoke_api_key(db, _key_id(world, revoked), now=datetime.now(UTC))
    clients = {
        "none": api.client(),
        "unknown key": greenhouse_client(api.base, "ivk_0badc0de_" + "A" * 43),
        "not a key": greenhouse_client(api.base, "greenhouse"),
        "revoked key": greenhouse_client(api.base, revoked),
        "recruiting key": greenhouse_client(
            api.base, greenhouse_key(db, scopes=("recruiting", "scheduling", "review", "read"))
        ),
        "admin token": api.bearer(staff.admin, staff.password),
        "recruiter token": api.bearer(staff.recruiter, staff.password),
    }
    yield clients
    for client in clients.values():
        client.close()


def _key_id(world: World, raw: str) -> int:
    prefix = raw.split("_")[1]
    from core.db.models import ApiKey

    with world.api.application.db.read() as s:
        return int(s.scalars(select(ApiKey.id).where(ApiKey.prefix == prefix)).one())


EXPECTED = {
    "none": (401, "not_authenticated"),
    "unknown key": (401, "not_authenticated"),
    "not a key": (401, "not_authenticated"),
    "revoked key": (401, "not_authenticated"),
    "recruiting key": (403, "scope_denied"),
    "admin token": (403, "permission_denied"),
    "recruiter token": (403, "permission_denied"),
}


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS)
def test_only_a_key_with_the_greenhouse_scope_gets_in(
    world: World, credentials: dict[str, httpx.Client], method: str, path: str, body: Any
) -> None:
    for name, client in credentials.items():
        r = _call(world, client, method, path, body)
        assert (r.status_code, r.json()["code"]) == EXPECTED[name], (name, r.text)
        if r.status_code == 401:
            assert r.headers["WWW-Authenticate"], name
    assert world.count(Candidate) == 0 and world.count(GreenhouseResponseError) == 0


def test_no_credentials_is_401_before_the_body_is_checked(world: World) -> None:
    with world.api.client() as c:
        r = c.post("/greenhouse/send_test", json={"candidate": 5})
    assert (r.status_code, r.json()["code"]) == (401, "not_authenticated")
    assert "WWW-Authenticate" in r.headers


# list_tests ---------------------------------------------------------------------------------
def test_list_tests_gives_the_active_templates_offered_to_greenhouse(world: World) -> None:
    db = world.api.application.db
    retired, private = make_template(db), make_template(db)
    offer(db, retired)
    with db.write() as s:
        template = s.get(InterviewTemplate, retired)
        assert template is not None
        template.is_active = False
        title = s.get(InterviewTemplate, int(world.test_id)).title  # type: ignore[union-attr]
    with world.greenhouse() as gh:
        r = gh.get("/greenhouse/list_tests")
        again = gh.get("/greenhouse/list_tests/")  # a trailing slash reaches it too
    assert r.status_code == 200 and again.json() == r.json()
    assert r.json() == [{"partner_test_id": world.test_id, "partner_test_name": title}]
    assert str(private) != world.test_id  # not offered: not listed


def test_the_template_editor_s_checkbox_offers_a_template_to_greenhouse(
    world: World, staff: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page (AppTest) on the API's own database: ticking "Offer to Greenhouse as a test"
    and saving puts the template in list_tests; the flag survives an edit that leaves it."""
    db, settings = world.api.application.db, world.api.application.settings
    spec = TemplateSpec(
        title="AAA Greenhouse screen",  # first in the page's list: chosen by default
        interview_type="technical",
        difficulty="medium",
        questions=[TemplateQuestion(question_text="Explain a hash map.")],
    )
    made = create_template(db, spec, actor_id=None)
    for name, value in {
        "INTERVISTA_DATA_DIR": str(settings.data_dir),
        "INTERVISTA_DATABASE_URL": settings.database_url,
        "INTERVISTA_SECRETS_FILE": str(settings.data_dir / "absent.toml"),
        "INTERVISTA_EVALUATOR": "offline",
        "INTERVISTA_SWEEPER_INTERVAL_SECONDS": "0",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(REPO)
    get_settings.cache_clear()
    st.cache_resource.clear()
    recruiter = next(u for u in auth.list_users(db) if u.email == staff.recruiter)
    try:
        at = AppTest.from_file(str(REPO / "pages/templates.py"), default_timeout=30)
        sign_in_as(at, recruiter.id)
        at.run()
        form = f"edit_template_{made.id}"
        (tick,) = [
            c
            for c in at.checkbox
            if c.label == "Offer to Greenhouse as a test" and c.proto.form_id == form
        ]
        assert tick.value is False
        tick.check()
        (save,) = [b for b in at.button if b.proto.form_id == form]
        save.click().run()
        assert not at.exception and not at.error, [e.value for e in at.error]
        with world.greenhouse() as gh:
            listed = {t["partner_test_id"] for t in gh.get("/greenhouse/list_tests").json()}
        assert str(made.id) in listed
        at.run()  # the form again, as the next visit shows it: ticked; saving keeps it
        (save,) = [b for b in at.button if b.proto.form_id == form]
        save.click().run()
        with db.read() as s:
            assert s.get(InterviewTemplate, made.id).greenhouse_test is True  # type: ignore[union-attr]
    finally:
        get_settings.cache_clear()
        st.cache_resource.clear()


def test_copies_and_imports_are_not_offered_until_someone_ticks_them(world: World) -> None:
    db = world.api.application.db
    spec = TemplateSpec(
        title="Offered screen",
        interview_type="technical",
        difficulty="easy",
        questions=[TemplateQuestion(question_text="What is a deadlock?")],
        greenhouse_test=True,
    )
    offered = create_template(db, spec, actor_id=None)
    copy = duplicate_template(db, offered.id, actor_id=None)
    exported = export_template_json(db, offered.id)
    assert "greenhouse_test" not in exported
    forged = exported.replace('"max_follow_ups"', '"greenhouse_test": true, "max_follow_ups"')
    imported = import_template_json(db, forged.encode(), actor_id=None)
    assert offered.greenhouse_test and spec_from_view(offered).greenhouse_test
    assert not copy.greenhouse_test and not imported.greenhouse_test
    with world.greenhouse() as gh:
        listed = {t["partner_test_id"] for t in gh.get("/greenhouse/list_tests").json()}
    assert listed == {world.test_id, str(offered.id)}


# send_test ----------------------------------------------------------------------------------
def test_send_test_makes_the_candidate_the_interview_the_invitation_and_the_order(
    world: World,
) -> None:
    with world.greenhouse() as gh:
        r = _send(
            world,
            gh,
            candidate={
                **send_test_body("1", "")["candidate"],
                "email": "Maya.Lin@Candidates.Example",
            },
        )
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {"partner_interview_id"}
    partner_id = body["partner_interview_id"]
    assert re.fullmatch(r"[A-Za-z0-9_-]{20,64}", partner_id)
    with world.api.application.db.read() as s:
        candidate = s.scalars(select(Candidate)).one()
        interview = s.scalars(select(Interview)).one()
        order = s.scalars(select(GreenhouseOrder)).one()
        invitation = s.scalars(select(EmailOutbox).where(EmailOutbox.kind == "invitation")).one()
    assert (candidate.full_name, candidate.email, candidate.phone) == (
        "Maya Lin",
        "maya.lin@candidates.example",
        "+1 415 555 0100",
    )
    assert interview.candidate_id == candidate.id and interview.template_id == int(world.test_id)
    assert interview.status is InterviewStatus.SCHEDULED and interview.open_until is not None
    assert partner_id != str(interview.id) and order.partner_interview_id == partner_id
    assert order.interview_id == interview.id and order.callback_url == CALLBACK
    assert order.greenhouse_profile_url == "https://app.greenhouse.io/people/4242"
    assert order.api_key_id == _key_id(world, world.key) and order.patched_at is None
    assert invitation.to_address == candidate.email and invitation.interview_id == interview.id
    assert invitation.secret_link and "/interview?key=" in invitation.secret_link


def test_a_known_candidate_is_reused_and_an_unreadable_phone_is_left_out(world: World) -> None:
    db = world.api.application.db
    known = make_candidate(db, name="Maya L.", email="maya.lin@candidates.example")
    with world.greenhouse() as gh:
        r = _send(world, gh)
        other = gh.post(
            "/greenhouse/send_test",
            json=send_test_body(
                world.test_id, CALLBACK, "noor@candidates.example", phone_number="call me"
            ),
        )
    assert r.status_code == 200 and other.status_code == 200
    with db.read() as s:
        people = {c.email: c for c in s.scalars(select(Candidate))}
    assert people["maya.lin@candidates.example"].id == known
    assert people["maya.lin@candidates.example"].full_name == "Maya L."  # ours is kept
    assert people["noor@candidates.example"].phone == ""


def test_a_retried_send_test_answers_the_same_order_and_emails_once(world: World) -> None:
    with world.greenhouse() as gh:
        first = _send(world, gh)
        retry = _send(world, gh)
        elsewhere = _send(world, gh, url=CALLBACK.replace("77", "78"))
    assert first.status_code == retry.status_code == elsewhere.status_code == 200
    assert first.json() == retry.json() != elsewhere.json()
    assert world.count(Interview) == 2 and world.count(GreenhouseOrder) == 2
    with world.api.application.db.read() as s:
        invitations = s.scalar(
            select(func.count()).select_from(EmailOutbox).where(EmailOutbox.kind == "invitation")
        )
    assert invitations == 2


def _refusals(world: World) -> list[tuple[str, dict[str, Any], int, str]]:
    db = world.api.application.db
    private = make_template(db)
    retired = make_template(db)
    offer(db, retired)
    with db.write() as s:
        template = s.get(InterviewTemplate, retired)
        assert template is not None
        template.is_active = False
    base = send_test_body(world.test_id, CALLBACK)
    person = base["candidate"]
    return [
        ("unknown test", {"partner_test_id": "999999"}, 404, "unknown_partner_test_id"),
        ("not a test id", {"partner_test_id": "drop table"}, 404, "unknown_partner_test_id"),
        ("not offered", {"partner_test_id": str(private)}, 404, "unknown_partner_test_id"),
        ("deactivated", {"partner_test_id": str(retired)}, 422, "test_inactive"),
        ("bad email", {"candidate": {**person, "email": "maya at example"}}, 422, "invalid_email"),
        ("empty email", {"candidate": {**person, "email": ""}}, 422, "invalid_email"),
        ("ftp callback", {"url": "ftp://greenhouse.example/x"}, 422, "invalid_callback_url"),
        ("script callback", {"url": "javascript:alert(1)"}, 422, "invalid_callback_url"),
        ("broken host", {"url": "https://[::1/complete"}, 422, "invalid_callback_url"),
        ("spaced callback", {"url": "https://gh.example/a b"}, 422, "invalid_callback_url"),
        ("no callback", {"url": ""}, 422, "invalid_callback_url"),
        ("long callback", {"url": "https://gh.example/" + "a" * 2000}, 422, "invalid_request"),
        ("no candidate", {"candidate": None}, 422, "invalid_request"),
        ("wrong type", {"partner_test_id": 5}, 422, "invalid_request"),
        ("huge name", {"candidate": {**person, "first_name": "M" * 5000}}, 422, "invalid_request"),
    ]


def test_send_test_refusals_store_nothing(world: World) -> None:
    with world.greenhouse() as gh:
        for name, changes, status, code in _refusals(world):
            r = _send(world, gh, **changes)
            assert (r.status_code, r.json()["code"]) == (status, code), (name, r.text)
            assert r.json()["message"], name
        bad_json = gh.post(
            "/greenhouse/send_test", content=b"{nope", headers={"Content-Type": "application/json"}
        )
        huge = gh.post(
            "/greenhouse/send_test",
            content=b'{"x": "' + b"a" * (2 * 1024 * 1024) + b'"}',
            headers={"Content-Type": "application/json"},
        )
    assert (bad_json.status_code, bad_json.json()["code"]) == (422, "invalid_request")
    assert (huge.status_code, huge.json()["code"]) == (413, "request_too_large")
    assert world.count(Candidate) == world.count(Interview) == world.count(GreenhouseOrder) == 0


# test_status --------------------------------------------------------------------------------
def _status(world: World, partner_id: str) -> httpx.Response:
    with world.greenhouse() as gh:
        return gh.get("/greenhouse/test_status", params={"partner_interview_id": partner_id})


def test_test_status_refuses_a_missing_or_unknown_id(world: World) -> None:
    with world.greenhouse() as gh:
        missing = gh.get("/greenhouse/test_status")
        empty = gh.get("/greenhouse/test_status?partner_interview_id=")
        long = gh.get("/greenhouse/test_status", params={"partner_interview_id": "x" * 65})
    assert [r.status_code for r in (missing, empty, long)] == [422, 422, 422]
    unknown = _status(world, "not-one-of-ours")
    assert (unknown.status_code, unknown.json()["code"]) == (404, "unknown_partner_interview_id")


def _set(world: World, interview_id: int, **values: Any) -> None:
    with world.api.application.db.write() as s:
        interview = s.get(Interview, interview_id)
        assert interview is not None
        for name, value in values.items():
            setattr(interview, name, value)


def test_test_status_follows_the_interview(world: World) -> None:
    with world.greenhouse() as gh:
        partner_id = _send(world, gh).json()["partner_interview_id"]
    with world.api.application.db.read() as s:
        interview_id = s.scalars(select(Interview.id)).one()
    invited = _status(world, partner_id)
    assert invited.status_code == 200
    body = invited.json()
    assert set(body) == {"partner_status", "partner_profile_url", "partner_score", "metadata"}
    assert (body["partner_status"], body["partner_profile_url"], body["partner_score"]) == (
        "invited",
        None,
        None,
    )
    meta = body["metadata"]
    assert meta["Questions"] == 2 and meta["Questions answered"] == 0 and meta["Warnings"] == 0
    assert meta["Started At"] is None and meta["Deadline"].endswith("Z")
    assert all(isinstance(v, str | int | float | bool | type(None)) for v in meta.values())

    now = datetime.now(UTC)
    _set(world, interview_id, open_until=now - timedelta(minutes=1))
    assert _status(world, partner_id).json()["partner_status"] == "expired"
    _set(world, interview_id, status=InterviewStatus.IN_PROGRESS, started_at=now)
    started = _status(world, partner_id).json()
    assert started["partner_status"] == "in_progress" and started["metadata"]["Started At"]
    _set(world, interview_id, status=InterviewStatus.COMPLETED, completed_at=now)
    assert _status(world, partner_id).json()["partner_status"] == "in_progress"  # not evaluated
    with world.api.application.db.write() as s:
        s.add(
            Evaluation(
                interview_id=interview_id,
                overall_score=7.4,
                total_score=14.7,
                max_score=20.0,
                percentage=73.5,
            )
        )
    done = _status(world, partner_id).json()
    assert (done["partner_status"], done["partner_score"]) == ("complete", 74)
    settings = world.api.application.settings
    assert done["partner_profile_url"] == (
        f"{settings.public_base_url.rstrip('/')}/review?interview={interview_id}"
    )
    _set(world, interview_id, status=InterviewStatus.CANCELLED)
    assert _status(world, partner_id).json()["partner_status"] == "cancelled"


# response_error -----------------------------------------------------------------------------
def test_response_error_is_stored_and_answered_with_status_200(world: World) -> None:
    report = {
        "api_call": "test_status",
        "errors": ["partner_profile_url is required when complete", "partner_score is invalid"],
        "partner_test_id": world.test_id,
        "partner_test_name": "Backend screen",
        "partner_interview_id": "abc123",
        "candidate_email": "maya.lin@candidates.example",
    }
    with world.greenhouse() as gh:
        r = gh.post("/greenhouse/response_error", json=report)
        sparse = gh.post(
            "/greenhouse/response_error",
            json={"api_call": "list_tests", "errors": [], "partner_interview_id": None},
        )
        refused = [
            gh.post("/greenhouse/response_error", json=bad)
            for bad in (
                {"errors": ["no api_call"]},
                {"api_call": "send_test", "errors": ["x"] * 51},
                {"api_call": "send_test", "errors": "not a list"},
                {"api_call": "x" * 65, "errors": []},
            )
        ]
    assert (r.status_code, r.json()) == (200, {"status": 200})
    assert sparse.status_code == 200
    assert [x.status_code for x in refused] == [422] * 4
    with world.api.application.db.read() as s:
        rows = list(s.scalars(select(GreenhouseResponseError).order_by(GreenhouseResponseError.id)))
    assert len(rows) == 2
    first = rows[0]
    assert (first.api_call, first.errors, first.partner_interview_id) == (
        "test_status",
        report["errors"],
        "abc123",
    )
    assert first.details["candidate_email"] == "maya.lin@candidates.example"
    assert first.details["partner_test_id"] == world.test_id
    assert first.details["api_key_id"] == _key_id(world, world.key)
    assert rows[1].partner_interview_id == ""


# Concurrency ---------------------------------------------------------------------------------
def test_concurrent_send_tests_make_one_candidate_and_one_order_per_retry(
    any_db: Database, settings: Settings
) -> None:
    """Greenhouse retrying at once (the same order 6 times) and two tests for one new candidate
    at the same moment, on SQLite and PostgreSQL: one candidate, one interview per order."""
    first, second = make_template(any_db, questions=1), make_template(any_db, questions=1)
    offer(any_db, first)
    offer(any_db, second)
    key = greenhouse_key(any_db)
    application = Application(settings, any_db)
    bodies = [send_test_body(str(first), CALLBACK)] * 6 + [
        send_test_body(str(second), CALLBACK.replace("77", "79"))
    ]
    try:
        with serve_api(application) as api, ThreadPoolExecutor(len(bodies)) as pool:

            def post(body: dict[str, Any]) -> httpx.Response:
                with greenhouse_client(api.base, key) as gh:
                    return gh.post("/greenhouse/send_test", json=body)

            answers = list(pool.map(post, bodies))
    finally:
        application.close()
    assert [a.status_code for a in answers] == [200] * len(bodies), [a.text for a in answers]
    ids = [a.json()["partner_interview_id"] for a in answers]
    assert len(set(ids[:6])) == 1 and ids[6] != ids[0]
    with any_db.read() as s:
        assert s.scalar(select(func.count()).select_from(Candidate)) == 1
        assert s.scalar(select(func.count()).select_from(Interview)) == 2
        assert s.scalar(select(func.count()).select_from(GreenhouseOrder)) == 2
