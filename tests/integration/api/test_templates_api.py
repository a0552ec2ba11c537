"""The seeds' template endpoints over real HTTP: who may browse them (any staff member, keys
with ``recruiting``), filters and pages, a template's questions, and ``use_template`` — a
practice interview for the caller, or an interview for a candidate — with every refusal."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from core.db.engine import Database
from core.db.models import AuditLog, Interview, InterviewTemplate, Job
from core.domain import Difficulty, InterviewType
from tests.support.api_callers import ANSWER, Staff, api_key
from tests.support.api_server import ApiServer
from tests.support.factories import make_candidate, make_job, make_template


@pytest.fixture
def clients(api: ApiServer, staff: Staff) -> Iterator[dict[str, httpx.Client]]:
    db = api.application.db
    made = {
        "admin": api.bearer(staff.admin, staff.password),
        "recruiter": api.bearer(staff.recruiter, staff.password),
        "manager": api.bearer(staff.manager, staff.password),
        "anonymous": api.client(),
        **{
            f"key_{scope}": api.client(Authorization=f"Bearer {api_key(db, scope)}")
            for scope in ("read", "recruiting", "scheduling", "review", "greenhouse")
        },
    }
    yield made
    for client in made.values():
        client.close()


def _template(db: Database, **values: Any) -> int:
    tid = make_template(db, questions=2)
    with db.write() as s:
        row = s.get(InterviewTemplate, tid)
        assert row is not None
        for name, value in values.items():
            setattr(row, name, value)
    return tid


def _count(db: Database, model: Any) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


BROWSE_ROLES = [
    ("admin", 200),
    ("recruiter", 200),
    ("manager", 200),  # any staff member may practise from a template
    ("key_recruiting", 200),
    ("key_read", 403),
    ("key_scheduling", 403),
    ("key_greenhouse", 403),
    ("anonymous", 401),
]


@pytest.mark.parametrize(("who", "status"), BROWSE_ROLES)
def test_who_may_browse_templates(
    clients: dict[str, httpx.Client], api: ApiServer, who: str, status: int
) -> None:
    tid = _template(api.application.db, title="Frontend Developer Interview")
    listed = clients[who].get("/v1/templates/")
    one = clients[who].get(f"/v1/templates/{tid}/")
    assert (listed.status_code, one.status_code) == (status, status), (listed.text, one.text)
    if status != 200:
        assert set(listed.json()) >= {"code", "message"}
        return
    body = listed.json()
    assert body["count"] == 1 and body["results"][0]["id"] == tid
    detail = one.json()
    assert detail["title"] == "Frontend Developer Interview" and detail["question_count"] == 2
    assert detail["questions"][0] == {
        "question": "Question 1?",
        "type": "technical",
        "difficulty": "medium",
        "expected_answer": "Answer 1",
        "evaluation_criteria": ["point 1"],
        "expected_duration_minutes": 5,
        "coding_problem_ref": None,
    }
    assert detail["times_used"] == 0 and detail["average_score"] is None


def test_filters_pages_and_what_is_hidden(clients: dict[str, httpx.Client], api: ApiServer) -> None:
    db = api.application.db
    tech = _template(db, title="A technical")
    behav = _template(
        db,
        title="B behavioral",
        interview_type=InterviewType.BEHAVIORAL,
        difficulty=Difficulty.EASY,
    )
    hard = _template(
        db, title="C design", interview_type=InterviewType.SYSTEM_DESIGN, difficulty=Difficulty.HARD
    )
    retired = _template(db, title="D retired", is_active=False)
    c = clients["manager"]

    def ids(**params: Any) -> list[int]:
        r = c.get("/v1/templates/", params=params)
        assert r.status_code == 200, r.text
        return [t["id"] for t in r.json()["results"]]

    assert ids() == [tech, behav, hard]  # by title; the deactivated one is not offered
    assert ids(type="behavioral") == [behav]
    assert ids(difficulty="hard") == [hard]
    assert ids(type="technical", difficulty="medium") == [tech]
    assert ids(type="coding") == []
    for bad in ({"type": "quiz"}, {"difficulty": "extreme"}, {"page_size": 0}, {"page": -1}):
        r = c.get("/v1/templates/", params=bad)
        assert (r.status_code, r.json()["code"]) == (422, "invalid_request"), bad
    first = c.get("/v1/templates/", params={"page_size": 2}).json()
    assert first["count"] == 3 and len(first["results"]) == 2 and first["next"]
    second = httpx.get(first["next"], headers=c.headers).json()
    assert [t["id"] for t in second["results"]] == [hard] and second["next"] is None
    # a deactivated template: only those who manage templates see it
    assert c.get(f"/v1/templates/{retired}/").status_code == 404
    seen = clients["recruiter"].get(f"/v1/templates/{retired}/")
    assert seen.status_code == 200 and seen.json()["is_active"] is False
    assert clients["admin"].get("/v1/templates/424242/").status_code == 404
    assert clients["admin"].get("/v1/templates/0/").status_code == 422
    assert clients["admin"].get("/v1/templates/abc/").status_code == 404


# use_template: practice --------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["admin", "recruiter", "manager"])
def test_use_template_without_a_candidate_makes_your_practice_interview(
    clients: dict[str, httpx.Client], api: ApiServer, staff: Staff, who: str
) -> None:
    db = api.application.db
    tid = _template(db, title="Frontend Developer Interview")
    r = clients[who].post(
        f"/v1/templates/{tid}/use_template/",
        json={"job_role": "Frontend Developer", "company_name": "TechCorp"},
    )
    assert r.status_code == 201, r.text
    assert r.json()["message"] == "Interview created from template"
    made = r.json()["interview"]
    email = {"admin": staff.admin, "recruiter": staff.recruiter, "manager": staff.manager}[who]
    assert made["is_practice"] is True and made["status"] == "scheduled"
    assert made["candidate"]["email"] == email
    assert made["title"] == "Frontend Developer Interview"
    assert made["job_role"] == "Frontend Developer" and made["company_name"] == "TechCorp"
    assert [q["question_text"] for q in made["questions"]] == ["Question 1?", "Question 2?"]
    assert made["template_title"] == "Frontend Developer Interview"
    assert clients[who].get(f"/v1/templates/{tid}/").json()["times_used"] == 1
    # theirs to take, over the API
    me = clients[who]
    assert me.post(f"/v1/interviews/{made['id']}/start/").status_code == 200
    first = made["questions"][0]["id"]
    answered = me.post(
        f"/v1/interviews/{made['id']}/submit_response/",
        json={"question_id": first, "text_response": ANSWER},
    )
    assert answered.status_code == 201 and answered.json()["response"]["score"] is not None
    mine = me.get("/v1/interviews/my_interviews/").json()
    assert [i["id"] for i in mine["results"]] == [made["id"]]


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [("key_recruiting", 403, "staff_only"), ("anonymous", 401, "not_authenticated")],
)
def test_a_practice_interview_needs_a_person(
    clients: dict[str, httpx.Client], api: ApiServer, who: str, status: int, code: str
) -> None:
    tid = _template(api.application.db)
    r = clients[who].post(f"/v1/templates/{tid}/use_template/", json={"job_role": "Dev"})
    assert (r.status_code, r.json()["code"]) == (status, code), r.text
    assert _count(api.application.db, Interview) == 0


# use_template: for a candidate ------------------------------------------------------------------
@pytest.mark.parametrize("who", ["admin", "recruiter", "key_recruiting"])
def test_use_template_for_a_candidate(
    clients: dict[str, httpx.Client], api: ApiServer, who: str
) -> None:
    db = api.application.db
    tid = _template(db, title="Python Backend Engineer")
    cid, jid = make_candidate(db, "Ada Lovelace", "ada@example.com"), make_job(db)
    r = clients[who].post(
        f"/v1/templates/{tid}/use_template/",
        json={"candidate_id": cid, "job_id": jid, "use_ai": False},
    )
    assert r.status_code == 201, r.text
    made = r.json()["interview"]
    with db.read() as s:
        job = s.get(Job, jid)
        assert job is not None
        job_title, company = job.title, job.company
    assert made["candidate"] == {"id": cid, "full_name": "Ada Lovelace", "email": "ada@example.com"}
    assert made["is_practice"] is False and made["status"] == "scheduled"
    assert made["use_ai"] is False and made["scheduled_at"] is None  # to book, or to invite
    assert made["job_role"] == job_title and made["company_name"] == company
    assert made["title"] == f"Backend Engineer (Python) – {company}"
    assert len(made["questions"]) == 2
    with db.read() as s:
        entry = s.scalars(select(AuditLog).where(AuditLog.action == "template.use")).one()
        assert entry.entity_id == made["id"] and entry.details["via"] == "api"
    # the candidate's interview is not the caller's to take
    if who != "key_recruiting":
        taken = clients[who].post(f"/v1/interviews/{made['id']}/start/")
        assert (taken.status_code, taken.json()["code"]) == (404, "practice_not_found")


def test_role_and_company_name_the_position_when_given(
    clients: dict[str, httpx.Client], api: ApiServer
) -> None:
    db = api.application.db
    tid, cid, jid = _template(db), make_candidate(db), make_job(db)
    r = clients["recruiter"].post(
        f"/v1/templates/{tid}/use_template/",
        json={
            "candidate_id": cid,
            "job_id": jid,
            "job_role": "Staff Engineer",
            "company_name": "Acme",
        },
    )
    assert r.status_code == 201, r.text
    made = r.json()["interview"]
    assert (made["job_role"], made["company_name"]) == ("Staff Engineer", "Acme")


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [
        ("manager", 403, "permission_denied"),  # may practise, not build candidates' interviews
        ("key_read", 403, "scope_denied"),
        ("key_scheduling", 403, "scope_denied"),
        ("anonymous", 401, "not_authenticated"),
    ],
)
def test_who_may_not_build_a_candidates_interview(
    clients: dict[str, httpx.Client], api: ApiServer, who: str, status: int, code: str
) -> None:
    db = api.application.db
    tid, cid = _template(db), make_candidate(db)
    r = clients[who].post(f"/v1/templates/{tid}/use_template/", json={"candidate_id": cid})
    assert (r.status_code, r.json()["code"]) == (status, code), r.text
    assert _count(db, Interview) == 0


def test_use_template_refusals(clients: dict[str, httpx.Client], api: ApiServer) -> None:
    db = api.application.db
    tid, cid, jid = _template(db), make_candidate(db), make_job(db)
    retired = _template(db, is_active=False)
    with db.write() as s:
        closed = Job(title="Closed", company="X", is_active=False)
        s.add(closed)
        s.flush()
        closed_id = closed.id
    c = clients["recruiter"]

    def use(template_id: int, body: Any) -> httpx.Response:
        return c.post(f"/v1/templates/{template_id}/use_template/", json=body)

    cases: list[tuple[int, Any, int, str]] = [
        (424242, {"candidate_id": cid}, 404, "template_not_found"),
        (tid, {"candidate_id": 424242}, 404, "candidate_not_found"),
        (tid, {"candidate_id": cid, "job_id": 424242}, 404, "job_not_found"),
        (tid, {"candidate_id": cid, "job_id": closed_id}, 409, "job_inactive"),
        (retired, {"candidate_id": cid}, 409, "template_inactive"),
        (retired, {}, 409, "template_inactive"),
        (tid, {"candidate_id": "ada"}, 422, "invalid_request"),
        (tid, {"candidate_id": 0}, 422, "invalid_request"),
        (tid, {"candidate_id": 2**40}, 422, "invalid_request"),
        (tid, {"job_role": "x" * 201}, 422, "invalid_request"),
        (tid, {"company_name": 7}, 422, "invalid_request"),
        (tid, {"use_ai": "maybe"}, 422, "invalid_request"),
        (tid, {"candidate_id": str(cid)}, 422, "invalid_request"),
        (tid, {"candidate_id": cid, "use_ai": 0}, 422, "invalid_request"),
        (tid, {"scheduled_at": "tomorrow"}, 422, "invalid_request"),
        (tid, ["not", "an", "object"], 422, "invalid_request"),
    ]
    for template_id, body, status, code in cases:
        r = use(template_id, body)
        assert (r.status_code, r.json()["code"]) == (status, code), (body, r.text)
    assert _count(db, Interview) == 0
    assert c.get(f"/v1/templates/{tid}/").json()["times_used"] == 0
    assert use(tid, {"candidate_id": cid, "job_id": jid}).status_code == 201
