"""A candidate takes their interview over real HTTP with the link's secret key in
``X-Interview-Key``: what they see (never expected answers; scores only where the template
shows them), one "tab" at a time (a browser taking over, ``start`` taking back), time kept by
the server, and every refusal: forged and foreign keys, floods, hostile answers, wrong states."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from sqlalchemy import func, select

from core.db.engine import Database
from core.db.models import AuditLog, FollowUp, Interview, InterviewResponse, InterviewTemplate
from core.domain import FollowUpStatus, InterviewStatus
from core.interview import flow
from core.scheduling.access import new_raw_key
from core.scheduling.invitations import invite_on_demand
from tests.support.api_callers import ANSWER, Staff
from tests.support.api_server import ApiServer
from tests.support.factories import issue_key, make_candidate, make_interview, make_template


@dataclass
class Invited:
    """A candidate's interview made with ``use_template`` and invited on demand."""

    api: ApiServer
    interview_id: int
    key: str
    questions: list[int]

    @property
    def db(self) -> Database:
        return self.api.application.db

    def client(self, key: str | None = None) -> httpx.Client:
        return self.api.client(**{"X-Interview-Key": key or self.key})

    def path(self, tail: str = "") -> str:
        return f"/v1/interviews/{self.interview_id}/{tail}"


def invite(
    api: ApiServer, staff: Staff, *, show_score: bool = False, follow_ups: int = 0
) -> Invited:
    db = api.application.db
    tid = make_template(db, questions=2, follow_ups=follow_ups)
    with db.write() as s:
        template = s.get(InterviewTemplate, tid)
        assert template is not None
        template.show_score_to_candidate = show_score
    cid = make_candidate(db, "Ada Lovelace")
    with api.bearer(staff.recruiter, staff.password) as recruiter:
        r = recruiter.post(f"/v1/templates/{tid}/use_template/", json={"candidate_id": cid})
    assert r.status_code == 201, r.text
    made = r.json()["interview"]
    sent = invite_on_demand(
        db, api.application.settings, interview_id=made["id"], now=datetime.now(UTC)
    )
    key = parse_qs(urlparse(sent.link).query)["key"][0]
    return Invited(api, made["id"], key, [q["id"] for q in made["questions"]])


@pytest.fixture
def invited(api: ApiServer, staff: Staff) -> Invited:
    return invite(api, staff)


@pytest.fixture
def cand(invited: Invited) -> Iterator[httpx.Client]:
    with invited.client() as client:
        yield client


def submit(c: httpx.Client, inv: Invited, question_id: int, text: str = ANSWER) -> httpx.Response:
    return c.post(
        inv.path("submit_response/"), json={"question_id": question_id, "text_response": text}
    )


SECRETS = ("Answer 1", "Answer 2", "point 1", "point 2", "expected_answer", "evaluation_criteria")


def leaks(body: Any, secrets: tuple[str, ...] = SECRETS) -> list[str]:
    """What of the interviewer's material (expected answers, criteria) a body carries."""
    text = json.dumps(body)
    return [s for s in secrets if s in text]


def leaks_answers(outcome: Any) -> list[str]:
    """The results: the evaluation may name what an answer missed (the candidate's page
    says so too), but never the expected answers; their fields are null."""
    nulls = all(
        q["expected_answer"] is None and q["evaluation_criteria"] is None
        for q in outcome["questions"]
    )
    return leaks(outcome, ("Answer 1", "Answer 2")) + ([] if nulls else ["expected answers"])


def test_a_candidate_takes_their_interview_with_the_key(
    invited: Invited, cand: httpx.Client, api: ApiServer, staff: Staff
) -> None:
    found = cand.get("/v1/interviews/current/")  # the client knows only the link's key
    assert found.status_code == 200, found.text
    assert found.json()["id"] == invited.interview_id and not leaks(found.json())
    before = cand.get(invited.path())
    assert before.status_code == 200, before.text
    view = before.json()
    assert view["view"] == "candidate" and view["status"] == "scheduled"
    assert view["questions"] == [] and view["total_questions"] == 2 and not leaks(view)
    assert cand.get(invited.path("questions/")).status_code == 409  # not before the start

    started = cand.post(invited.path("start/"))
    assert started.status_code == 200, started.text
    state = started.json()["interview"]
    assert state["status"] == "in_progress" and state["scores_shown"] is False
    assert [q["id"] for q in state["questions"]] == invited.questions and not leaks(state)
    listed = cand.get(invited.path("questions/"))
    assert listed.status_code == 200 and not leaks(listed.json())
    assert [q["question_text"] for q in listed.json()] == ["Question 1?", "Question 2?"]

    first = submit(cand, invited, invited.questions[0])
    assert first.status_code == 201, first.text
    stored = first.json()["response"]
    assert stored["text_response"] == ANSWER and stored["is_evaluated"] is True
    # the template does not show scores to candidates: neither does the API
    assert stored["score"] is None and stored["ai_feedback"] == ""
    assert stored["evaluation_metrics"] == {} and stored["scores_shown"] is False
    again = submit(cand, invited, invited.questions[0], "a second try")
    assert again.status_code == 200
    assert again.json()["response"]["id"] == stored["id"]
    assert again.json()["response"]["text_response"] == ANSWER

    assert cand.get(invited.path("results/")).json()["code"] == "interview_not_complete"
    assert submit(cand, invited, invited.questions[1]).status_code == 201
    done = cand.post(invited.path("complete/"))
    assert done.status_code == 200, done.text
    finished = done.json()["interview"]
    assert finished["status"] == "completed" and finished["evaluated"] is True
    assert finished["percentage"] is None and finished["total_score"] is None  # not shown
    assert finished["overall_feedback"]

    for method, tail, body in (
        ("POST", "submit_response/", {"question_id": invited.questions[1], "text_response": "x"}),
        ("POST", "start/", None),
        ("POST", "complete/", None),
        ("GET", "questions/", None),
    ):
        late = cand.request(method, invited.path(tail), json=body)
        assert (late.status_code, late.json()["code"]) == (409, "interview_completed"), tail

    results = cand.get(invited.path("results/"))
    assert results.status_code == 200, results.text
    outcome = results.json()
    assert not leaks_answers(outcome) and outcome["scores_shown"] is False
    assert outcome["percentage"] is None and outcome["overall_score"] is None
    assert all(q["expected_answer"] is None for q in outcome["questions"])
    assert [a["text_response"] for a in outcome["responses"]] == [ANSWER, ANSWER]
    assert all(a["score"] is None for a in outcome["responses"])
    assert outcome["overall_feedback"] == finished["overall_feedback"]
    assert cand.get(invited.path()).json()["status"] == "completed"  # still readable

    with api.bearer(staff.manager, staff.password) as reviewer:
        full = reviewer.get(invited.path("results/")).json()
    assert full["scores_shown"] is True and full["percentage"] is not None
    assert [q["expected_answer"] for q in full["questions"]] == ["Answer 1", "Answer 2"]


def test_scores_reach_the_candidate_when_the_template_shows_them(
    api: ApiServer, staff: Staff
) -> None:
    inv = invite(api, staff, show_score=True)
    with inv.client() as c:
        assert c.post(inv.path("start/")).status_code == 200
        stored = submit(c, inv, inv.questions[0]).json()["response"]
        assert isinstance(stored["score"], float) and stored["ai_feedback"]
        assert stored["scores_shown"] is True and stored["evaluation_metrics"]
        assert c.get(inv.path("questions/")).json()[0]["score"] == stored["score"]
        finished = c.post(inv.path("complete/")).json()["interview"]
        assert finished["percentage"] is not None
        outcome = c.get(inv.path("results/")).json()
    assert outcome["responses"][0]["score"] == stored["score"]
    assert not leaks_answers(outcome)


def test_a_browser_taking_over_and_start_taking_back(invited: Invited, cand: httpx.Client) -> None:
    assert cand.post(invited.path("start/")).status_code == 200
    # the candidate opens the link in a browser: that tab holds the interview now
    flow.start(
        invited.db, invited.interview_id, token=flow.new_session_token(), now=datetime.now(UTC)
    )
    refused = submit(cand, invited, invited.questions[0])
    assert (refused.status_code, refused.json()["code"]) == (409, "interview_flow")
    assert "another tab" in refused.json()["message"]
    assert cand.post(invited.path("complete/")).status_code == 409
    with invited.db.read() as s:
        assert (
            s.scalar(
                select(func.count())
                .select_from(InterviewResponse)
                .where(InterviewResponse.status == "submitted")
            )
            == 0
        )
    back = cand.post(invited.path("start/"))
    assert back.status_code == 200 and back.json()["message"] == "Interview resumed in this client"
    assert submit(cand, invited, invited.questions[0]).status_code == 201
    # a second API client with the same key continues the same tab
    with invited.client() as twin:
        assert submit(twin, invited, invited.questions[1]).status_code == 201


def test_time_is_the_servers(invited: Invited, cand: httpx.Client) -> None:
    assert cand.post(invited.path("start/")).status_code == 200
    with invited.db.write() as s:
        row = s.get(Interview, invited.interview_id)
        assert row is not None and row.started_at is not None
        row.started_at -= timedelta(minutes=row.duration_minutes + 1)
    late = submit(cand, invited, invited.questions[0])
    assert (late.status_code, late.json()["code"]) == (409, "interview_flow")
    assert "Time is up" in late.json()["message"]
    done = cand.post(invited.path("complete/"))
    assert done.status_code == 200, done.text
    with invited.db.read() as s:
        entry = s.scalars(select(AuditLog).where(AuditLog.action == "interview.complete")).one()
        assert entry.details == {"reason": "time_up"}
    assert cand.get(invited.path("results/")).status_code == 200


def test_forged_and_foreign_keys(invited: Invited, api: ApiServer, staff: Staff) -> None:
    other = invite(api, staff)
    for forged in (new_raw_key(), "short", "x" * 300, "!" * 43):
        with invited.client(forged) as c:
            for method, tail in (("GET", ""), ("POST", "start/"), ("GET", "results/")):
                r = c.request(method, invited.path(tail))
                assert r.status_code == 401, (forged, tail, r.text)
                assert r.json()["code"] in ("interview_key_invalid", "not_authenticated")
            assert c.get("/v1/interviews/current/").status_code == 401
    with api.client() as nobody:
        assert nobody.get("/v1/interviews/current/").status_code == 401
    with api.bearer(staff.admin, staff.password) as admin:  # staff have no link key
        assert admin.get("/v1/interviews/current/").status_code == 401
    # a real key opens its own interview, not another's
    with other.client() as c:
        for method, tail in (
            ("GET", ""),
            ("POST", "start/"),
            ("GET", "questions/"),
            ("GET", "results/"),
            ("POST", "complete/"),
        ):
            r = c.request(method, invited.path(tail))
            assert r.status_code == 403, (tail, r.text)
        assert c.post(other.path("start/")).status_code == 200
        # a question of another interview, or none at all
        for qid in (invited.questions[0], 999_999):
            r = submit(c, other, qid)
            assert (r.status_code, r.json()["code"]) == (409, "interview_flow"), r.text
    with invited.db.read() as s:
        status = s.scalar(select(Interview.status).where(Interview.id == invited.interview_id))
    assert status is InterviewStatus.SCHEDULED  # nothing the others did started it


def test_a_flood_of_forged_keys_is_slowed_and_real_keys_still_work(
    invited: Invited, cand: httpx.Client
) -> None:
    seen = []
    for _ in range(30):
        with invited.client(new_raw_key()) as c:
            r = c.get(invited.path())
        seen.append(r.status_code)
        if r.status_code == 429:
            assert int(r.headers["Retry-After"]) >= 1 and r.json()["code"] == "throttled"
            break
    assert seen[0] == 401 and seen[-1] == 429, seen
    assert cand.post(invited.path("start/")).status_code == 200  # a real key is never held up


HOSTILE: list[tuple[Any, int]] = [
    ({"question_id": 0, "text_response": "x" * 20_001}, 422),
    ({"text_response": "x" * 20_001}, 422),
    ({"code_response": "x" * 100_001}, 422),
    ({"audio_url": "https://example.com/a.webm"}, 422),
    ({"video_url": "https://example.com/v.webm"}, 422),
    ({"question_id": "one"}, 422),
    ({"question_id": "1"}, 422),
    ({"question_id": True}, 422),
    ({"question_id": None}, 422),
    ({"question_id": -3}, 422),
    ({"question_id": 2**63}, 422),
    ({"text_response": None}, 422),
    ({"text_response": ["a"]}, 422),
    ({"time_taken_seconds": -1}, 422),
    ({"time_taken_seconds": "slow"}, 422),
    ({"time_taken_seconds": 86_401}, 422),
    ({"score": 10}, 422),  # not the candidate's to say
    ({"text_response": "x" * 2_000_000}, 413),
]


def test_hostile_answers_are_refused_and_nothing_is_stored(
    invited: Invited, cand: httpx.Client
) -> None:
    assert cand.post(invited.path("start/")).status_code == 200
    for change, status in HOSTILE:
        body = {"question_id": invited.questions[0], "text_response": "fine", **change}
        r = cand.post(invited.path("submit_response/"), json=body)
        assert r.status_code == status, (change, r.text)
        assert set(r.json()) >= {"code", "message"}
    media = cand.post(
        invited.path("submit_response/"),
        json={"question_id": invited.questions[0], "audio_url": "https://x.example/a"},
    )
    assert "browser" in media.json()["message"]
    for raw in (b"", b"{", b"[]", b"null", b'"text"'):
        r = cand.post(
            invited.path("submit_response/"),
            content=raw,
            headers={"Content-Type": "application/json"},
        )
        assert r.status_code == 422, (raw, r.text)
    missing = cand.post(invited.path("submit_response/"), json={"text_response": "no id"})
    assert missing.status_code == 422
    with invited.db.read() as s:
        assert (
            s.scalar(
                select(func.count())
                .select_from(InterviewResponse)
                .where(InterviewResponse.status == "submitted")
            )
            == 0
        )
    assert submit(cand, invited, invited.questions[0], "x" * 20_000).status_code == 201


@pytest.mark.parametrize(
    ("state", "code"),
    [
        (InterviewStatus.CANCELLED, "interview_cancelled"),
        (InterviewStatus.EXPIRED, "interview_key_expired"),
    ],
)
def test_a_link_that_no_longer_opens(
    invited: Invited, cand: httpx.Client, state: InterviewStatus, code: str
) -> None:
    with invited.db.write() as s:
        row = s.get(Interview, invited.interview_id)
        assert row is not None
        row.status = state
    for method, tail in (("GET", ""), ("POST", "start/"), ("GET", "results/")):
        r = cand.request(method, invited.path(tail))
        assert (r.status_code, r.json()["code"]) == (409, code), tail


def test_a_booked_interview_opens_only_in_its_window(api: ApiServer) -> None:
    db = api.application.db
    iid = make_interview(db, scheduled_at=datetime.now(UTC) + timedelta(days=2))
    key = issue_key(db, iid)
    with api.client(**{"X-Interview-Key": key}) as c:
        r = c.post(f"/v1/interviews/{iid}/start/")
        assert (r.status_code, r.json()["code"]) == (409, "interview_not_open_yet")
    with db.read() as s:
        assert s.scalar(select(Interview.status).where(Interview.id == iid)) == "scheduled"


def test_the_interviewers_follow_up_over_the_api(api: ApiServer, staff: Staff) -> None:
    inv = invite(api, staff, follow_ups=1)
    with inv.client() as c:
        assert c.post(inv.path("start/")).status_code == 200
        weak = submit(c, inv, inv.questions[0], "I am not sure.").json()["response"]
        asked = weak["follow_up"]
        assert asked is not None and asked["round"] == 1 and asked["text"]
        assert c.get(inv.path()).json()["follow_up"]["id"] == asked["id"]
        wrong = c.post(inv.path("answer_follow_up/"), json={"follow_up_id": 999_999})
        assert wrong.status_code == 409
        too_long = c.post(
            inv.path("answer_follow_up/"),
            json={"follow_up_id": asked["id"], "text_response": "x" * 20_001},
        )
        assert too_long.status_code == 422
        replied = c.post(
            inv.path("answer_follow_up/"),
            json={"follow_up_id": asked["id"], "text_response": "It covers point 1 fully."},
        )
        assert replied.status_code == 200, replied.text
        assert replied.json()["follow_up"] is None  # one follow-up at most here
        assert c.get(inv.path()).json()["follow_up"] is None
        second = submit(c, inv, inv.questions[1], "No idea.").json()["response"]["follow_up"]
        assert second is not None
        passed = c.post(inv.path("answer_follow_up/"), json={"follow_up_id": second["id"]})
        assert passed.status_code == 200 and passed.json()["follow_up"] is None


def test_a_client_that_never_answers_follow_ups_moves_on(api: ApiServer, staff: Staff) -> None:
    """The seeds' clients know nothing of follow-ups: the next answer passes the open one, so
    a browser opening the link later is not left on a stale follow-up."""
    inv = invite(api, staff, follow_ups=1)
    with inv.client() as c:
        assert c.post(inv.path("start/")).status_code == 200
        first = submit(c, inv, inv.questions[0], "I am not sure.").json()["response"]
        assert first["follow_up"] is not None
        nxt = submit(c, inv, inv.questions[1], "No idea either.")
        assert nxt.status_code == 201, nxt.text
        view = c.get(inv.path()).json()
        assert view["follow_up"] is None or view["follow_up"]["id"] != first["follow_up"]["id"]
    with inv.db.read() as s:
        status = s.scalar(select(FollowUp.status).where(FollowUp.id == first["follow_up"]["id"]))
    assert status is FollowUpStatus.PASSED


def test_the_candidate_flow_on_each_database(anywhere: tuple[ApiServer, Staff]) -> None:
    api, staff = anywhere
    inv = invite(api, staff)
    with inv.client() as c:
        assert c.post(inv.path("start/")).status_code == 200
        flow.start(inv.db, inv.interview_id, token="browser-tab", now=datetime.now(UTC))
        assert submit(c, inv, inv.questions[0]).status_code == 409
        assert c.post(inv.path("start/")).status_code == 200
        for qid in inv.questions:
            assert submit(c, inv, qid).status_code == 201
        assert submit(c, inv, inv.questions[0]).status_code == 200
        assert c.post(inv.path("complete/")).status_code == 200
        assert c.get(inv.path("results/")).status_code == 200
        assert c.post(inv.path("start/")).json()["code"] == "interview_completed"
