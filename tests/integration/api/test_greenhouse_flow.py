"""The Greenhouse flow end to end, every part real and on loopback: a fake Greenhouse calls our
Assessment Partner API (HTTP Basic with its key), the invitation reaches a real SMTP server
through the mail worker, the candidate takes the whole interview through the API with the key
from the emailed link (``X-Interview-Key``), ``test_status`` turns ``complete`` with the score
and the review page, and the delivery worker PATCHes Greenhouse's callback URL exactly once —
also when Greenhouse is down for the first attempts."""

from __future__ import annotations

import base64
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlalchemy import select

from core.app import Application
from core.config import Settings, load_settings
from core.db.engine import Database
from core.db.models import Evaluation, GreenhouseOrder
from core.mail.worker import start_mail_worker
from tests.support.api_server import ApiServer, serve_api
from tests.support.factories import make_template
from tests.support.fake_greenhouse import (
    FakeGreenhouse,
    fake_greenhouse,
    greenhouse_client,
    greenhouse_key,
    offer,
    send_test_body,
)
from tests.support.mail import mail_settings
from tests.support.smtp_server import RecordingHandler, smtp_server

PATCH_KEY = "gh-partner-key-for-intervista"
CANDIDATE = "maya.lin@candidates.example"
QUESTIONS = 3


def eventually(check: Callable[[], Any], timeout: float = 45.0, what: str = "") -> Any:
    """``check()`` once it is truthy, polled every 50 ms, or fail after ``timeout`` seconds."""
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
    smtp: RecordingHandler
    greenhouse: FakeGreenhouse
    key: str
    test_id: str

    @property
    def settings(self) -> Settings:
        return self.api.application.settings

    def as_greenhouse(self) -> httpx.Client:
        return greenhouse_client(self.api.base, self.key)


def _settings(base: Settings, smtp_port: int) -> Settings:
    mailing = mail_settings(base, smtp_port)
    return load_settings(
        **{
            **mailing.model_dump(),
            "smtp_password": "",
            "greenhouse_patch_key": PATCH_KEY,
            "webhook_interval_seconds": 0.1,
            "webhook_backoff_base_seconds": 0.2,
            "webhook_backoff_max_seconds": 0.5,
            "webhook_timeout_seconds": 5.0,
        }
    )


def _platform(settings: Settings, db: Database, *, down_for: int) -> Iterator[Platform]:
    with smtp_server() as (handler, port), fake_greenhouse(down_for=down_for) as greenhouse:
        live = _settings(settings, port)
        application = Application(live, db)
        template_id = make_template(db, questions=QUESTIONS)
        offer(db, template_id)
        mail = start_mail_worker(db, live, interval_seconds=0.1)
        deliveries = start_delivery_worker(application)
        try:
            with serve_api(application) as api:
                yield Platform(api, handler, greenhouse, greenhouse_key(db), str(template_id))
        finally:
            deliveries.stop()
            if mail is not None:
                mail.stop()
            application.close()


@pytest.fixture
def platform(settings: Settings, db: Database) -> Iterator[Platform]:
    yield from _platform(settings, db, down_for=0)


@pytest.fixture
def platform_greenhouse_down(settings: Settings, db: Database) -> Iterator[Platform]:
    yield from _platform(settings, db, down_for=3)


def start_delivery_worker(application: Application) -> Any:
    from core.integrations.worker import start_delivery_worker as start

    worker = start(application.db, application.settings, interval_seconds=0.1)
    assert worker is not None
    return worker


def _emailed_key(platform: Platform) -> str:
    def invitation() -> Any:
        with platform.smtp.lock:
            return next(
                (m for m in platform.smtp.received if CANDIDATE in str(m["To"]).lower()), None
            )

    message = eventually(invitation, what="the invitation at the SMTP server")
    body = message.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"Interview link: (\S+)", body)
    assert link is not None, body
    assert link.group(1).startswith(platform.settings.public_base_url)
    return parse_qs(urlsplit(link.group(1)).query)["key"][0]


def _status(platform: Platform, partner_id: str) -> dict[str, Any]:
    with platform.as_greenhouse() as gh:
        r = gh.get("/greenhouse/test_status", params={"partner_interview_id": partner_id})
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def _interview_of(platform: Platform, key: str) -> int:
    """The interview the emailed key opens, as the candidate's own client finds it."""
    with platform.api.client(**{"X-Interview-Key": key}) as candidate:
        r = candidate.get("/v1/interviews/current/")
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "scheduled"
    return int(r.json()["id"])


def _take_the_interview(platform: Platform, interview_id: int, key: str) -> dict[str, Any]:
    base = f"/v1/interviews/{interview_id}"
    with platform.api.client(**{"X-Interview-Key": key}) as candidate:
        started = candidate.post(f"{base}/start/")
        assert started.status_code == 200, started.text
        questions = candidate.get(f"{base}/questions/")
        assert questions.status_code == 200, questions.text
        assert len(questions.json()) == QUESTIONS
        for n, question in enumerate(questions.json(), start=1):
            answer = {"question_id": question["id"], "text_response": f"Answer {n}: point {n}."}
            submitted = candidate.post(f"{base}/submit_response/", json=answer)
            assert submitted.status_code == 201, submitted.text
        completed = candidate.post(f"{base}/complete/")
    assert completed.status_code == 200, completed.text
    done: dict[str, Any] = completed.json()["interview"]
    return done


def _run_the_flow(platform: Platform) -> tuple[str, int]:
    with platform.as_greenhouse() as gh:
        tests = gh.get("/greenhouse/list_tests")
        assert tests.status_code == 200
        assert platform.test_id in {t["partner_test_id"] for t in tests.json()}
        body = send_test_body(platform.test_id, platform.greenhouse.callback_url(1), CANDIDATE)
        sent = gh.post("/greenhouse/send_test", json=body)
    assert sent.status_code == 200, sent.text
    partner_id: str = sent.json()["partner_interview_id"]

    key = _emailed_key(platform)
    invited = _status(platform, partner_id)
    assert (invited["partner_status"], invited["partner_score"]) == ("invited", None)

    interview_id = _interview_of(platform, key)
    done = _take_the_interview(platform, interview_id, key)
    assert done["status"] == "completed" and done["evaluated"] is True

    complete = _status(platform, partner_id)
    assert complete["partner_status"] == "complete"
    score = complete["partner_score"]
    assert isinstance(score, int | float) and 0 <= score <= 100
    with platform.api.application.db.read() as s:
        percentage = s.scalars(
            select(Evaluation.percentage).where(Evaluation.interview_id == interview_id)
        ).one()
    assert score == round(percentage)
    assert complete["partner_profile_url"] == (
        f"{platform.settings.public_base_url.rstrip('/')}/review?interview={interview_id}"
    )
    meta = complete["metadata"]
    assert meta["Questions answered"] == QUESTIONS and meta["Completed At"]
    return partner_id, interview_id


def _exactly_one_patch(platform: Platform, interview_id: int) -> None:
    fake = platform.greenhouse
    patches = eventually(fake.patches, what="the completion PATCH at the fake Greenhouse")
    time.sleep(1.0)  # a second PATCH would come within the worker's next passes
    patches = fake.patches()
    assert len(patches) == 1, patches
    (patch,) = patches
    assert patch.path == urlsplit(fake.callback_url(1)).path
    expected = "Basic " + base64.b64encode(f"{PATCH_KEY}:".encode()).decode()
    assert patch.headers["authorization"] == expected
    with platform.api.application.db.read() as s:
        order = s.scalars(
            select(GreenhouseOrder).where(GreenhouseOrder.interview_id == interview_id)
        ).one()
    assert order.patched_at is not None


def test_greenhouse_orders_a_test_the_candidate_takes_it_and_greenhouse_is_told(
    platform: Platform,
) -> None:
    _, interview_id = _run_the_flow(platform)
    _exactly_one_patch(platform, interview_id)


def test_a_greenhouse_that_is_down_at_first_still_gets_the_patch_once(
    platform_greenhouse_down: Platform,
) -> None:
    platform = platform_greenhouse_down
    _, interview_id = _run_the_flow(platform)
    _exactly_one_patch(platform, interview_id)
    assert len(platform.greenhouse.refused) == 3  # each refused attempt was retried
