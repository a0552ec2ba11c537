"""Candidates and jobs over real HTTP: who may list, read, create, change and delete them (staff
by role, API keys by scope, nobody, a candidate's link key), the search and the pages, the
seeds' job fields, and every refusal (401, 403, 404, 409, 400/422 — never a 500)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from core.db.models import AuditLog, Candidate, Interview, Job
from tests.support.api_server import ApiServer
from tests.support.factories import issue_key, make_candidate, make_interview, make_job

Clients = dict[str, httpx.Client]
ADA = {"full_name": "Ada Lovelace", "email": "Ada@Example.com", "phone": "+44 20 7946 0000"}


@pytest.fixture
def callers(clients: Clients, api: ApiServer) -> Iterator[Clients]:
    """``clients`` plus a candidate holding a valid link key (it opens only their interview)."""
    db = api.application.db
    interview = make_interview(db, scheduled_at=datetime.now(UTC) + timedelta(minutes=1))
    candidate = api.client(**{"X-Interview-Key": issue_key(db, interview)})
    yield {**clients, "candidate": candidate}
    candidate.close()


def _made(client: httpx.Client, **changes: Any) -> dict[str, Any]:
    r = client.post("/v1/candidates/", json={**ADA, **changes})
    assert r.status_code == 201, r.text
    return dict(r.json())


# Who may ------------------------------------------------------------------------------------
READERS = [
    ("admin", 200),
    ("recruiter", 200),
    ("key_recruiting", 200),
    ("manager", 403),
    ("key_read", 403),
    ("key_scheduling", 403),
    ("key_review", 403),
    ("key_greenhouse", 403),
    ("anonymous", 401),
    ("candidate", 401),
]


@pytest.mark.parametrize(("who", "status"), READERS)
def test_who_may_list_and_read_candidates(
    callers: Clients, api: ApiServer, who: str, status: int
) -> None:
    cid = make_candidate(api.application.db, "Grace Hopper", "grace@example.com")
    listed = callers[who].get("/v1/candidates/", params={"q": "grace"})
    one = callers[who].get(f"/v1/candidates/{cid}/")
    assert (listed.status_code, one.status_code) == (status, status), (listed.text, one.text)
    if status == 200:
        body = listed.json()
        assert body["count"] == 1 and body["next"] is None and body["previous"] is None
        assert body["results"][0]["email"] == "grace@example.com"
        assert one.json()["full_name"] == "Grace Hopper" and one.json()["resume_text"] == ""
    else:
        expected = {403: {"permission_denied", "scope_denied"}, 401: {"not_authenticated"}}
        assert listed.json()["code"] in expected[status]
        assert "grace" not in listed.text.lower()


@pytest.mark.parametrize(("who", "status"), [(w, 201 if s == 200 else s) for w, s in READERS])
def test_who_may_create_and_change_candidates(
    callers: Clients, api: ApiServer, who: str, status: int
) -> None:
    made = callers[who].post("/v1/candidates/", json=ADA)
    assert made.status_code == status, made.text
    cid = made.json()["id"] if status == 201 else make_candidate(api.application.db)
    patched = callers[who].patch(f"/v1/candidates/{cid}/", json={"notes": "strong on SQL"})
    assert patched.status_code == (200 if status == 201 else status), patched.text
    with api.application.db.read() as s:
        notes = s.get(Candidate, cid).notes  # type: ignore[union-attr]
        emails = set(s.scalars(select(Candidate.email)))
    assert (notes == "strong on SQL") == (status == 201)
    assert ("ada@example.com" in emails) == (status == 201)


DELETERS = [
    ("admin", 204),
    ("recruiter", 204),
    ("key_recruiting", 403),  # erasing needs ERASE_INTERVIEW, which no key scope gives
    ("manager", 403),
    ("key_scheduling", 403),
    ("anonymous", 401),
    ("candidate", 401),
]


@pytest.mark.parametrize(("who", "status"), DELETERS)
def test_who_may_erase_a_candidate(callers: Clients, api: ApiServer, who: str, status: int) -> None:
    db = api.application.db
    cid = make_candidate(db)
    interview = make_interview(db, candidate_id=cid)
    r = callers[who].delete(f"/v1/candidates/{cid}/")
    assert r.status_code == status, r.text
    with db.read() as s:
        gone = s.get(Candidate, cid) is None and s.get(Interview, interview) is None
    assert gone == (status == 204)
    if status == 204:
        assert r.content == b""
        assert callers[who].get(f"/v1/candidates/{cid}/").status_code == 404
        assert callers[who].delete(f"/v1/candidates/{cid}").json()["code"] == (
            "candidate_not_found"
        )


# Candidates: create, read, change -----------------------------------------------------------
def test_candidate_create_read_change_and_conflicts(callers: Clients, api: ApiServer) -> None:
    c = callers["recruiter"]
    ada = _made(c)
    assert ada["email"] == "ada@example.com" and ada["interview_count"] == 0
    assert ada["timezone"] == "" and ada["resume_filename"] is None
    again = c.post("/v1/candidates/", json={**ADA, "email": "ADA@example.com"})
    assert again.status_code == 409 and again.json()["code"] == "candidate_email_taken"
    assert "already exists" in again.json()["message"]

    patched = c.patch(f"/v1/candidates/{ada['id']}", json={"timezone": "europe/london"})
    assert patched.status_code == 200, patched.text
    body = patched.json()
    assert body["timezone"] == "Europe/London"  # canonical; the other fields as they were
    assert (body["full_name"], body["email"], body["phone"]) == (
        "Ada Lovelace",
        "ada@example.com",
        ADA["phone"],
    )
    grace = _made(c, full_name="Grace Hopper", email="grace@example.com")
    taken = c.patch(f"/v1/candidates/{grace['id']}/", json={"email": "ada@example.com"})
    assert taken.status_code == 409 and taken.json()["code"] == "candidate_email_taken"
    assert c.patch(f"/v1/candidates/{grace['id']}/", json={}).json() == {
        **grace,
        "resume_text": "",
    }
    with api.application.db.read() as s:
        rows = s.execute(
            select(AuditLog.action, AuditLog.actor_id).where(AuditLog.entity_type == "candidate")
        ).all()
    actions = [action for action, _ in rows]
    assert actions.count("candidate.create") == 2 and "candidate.update" in actions
    assert all(actor is not None for _, actor in rows)  # the recruiter, not "the operator"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({**ADA, "email": "not an email"}, 400, "candidate_invalid"),
        ({**ADA, "email": "ada@@example.com"}, 400, "candidate_invalid"),
        ({**ADA, "timezone": "Mars/Olympus"}, 400, "candidate_invalid"),
        ({**ADA, "phone": "call me"}, 400, "candidate_invalid"),
        ({**ADA, "full_name": "   "}, 400, "candidate_invalid"),
        ({"full_name": "Ada"}, 422, "invalid_request"),
        ({**ADA, "email": "x" * 300 + "@example.com"}, 422, "invalid_request"),
        ({**ADA, "notes": "n" * 20_001}, 422, "invalid_request"),
        ({**ADA, "full_name": "Ada\x00"}, 422, "invalid_request"),
        ({**ADA, "full_name": 42}, 422, "invalid_request"),
        ({**ADA, "role": "admin"}, 422, "invalid_request"),
        ([ADA], 422, "invalid_request"),
    ],
)
def test_bad_candidate_input_is_refused_with_its_reason(
    clients: Clients,
    api: ApiServer,
    body: Any,
    status: int,
    code: str,
) -> None:
    r = clients["admin"].post("/v1/candidates/", json=body)
    assert (r.status_code, r.json()["code"]) == (status, code), r.text
    with api.application.db.read() as s:
        assert s.scalars(select(Candidate.id)).first() is None


def test_unknown_and_malformed_candidate_ids(clients: Clients) -> None:
    c = clients["recruiter"]
    for method in ("get", "patch", "delete"):
        kwargs: dict[str, Any] = {"json": {"notes": "x"}} if method == "patch" else {}
        r = c.request(method.upper(), "/v1/candidates/987654/", **kwargs)
        assert r.status_code == 404 and r.json()["code"] == "candidate_not_found", method
    for bad in ("0", str(2**40)):
        assert c.get(f"/v1/candidates/{bad}/").json()["code"] == "invalid_request"
    for not_an_id in ("ada", "-3", "1.5"):  # no such path
        assert c.get(f"/v1/candidates/{not_an_id}/").json()["code"] == "not_found"
    huge = c.post(
        "/v1/candidates/", content=b"{" * 100_000, headers={"Content-Type": "application/json"}
    )
    assert huge.status_code in (413, 422) and huge.json()["code"]


def test_candidate_search_and_pages(clients: Clients, api: ApiServer) -> None:
    db = api.application.db
    for n, name in enumerate(["Anna Smith", "Bob Stone", "Cleo Smithers", "Dan 100%_Sure"]):
        make_candidate(db, name, f"person{n}@example.com")
    c = clients["recruiter"]

    def names(**params: Any) -> list[str]:
        r = c.get("/v1/candidates/", params=params)
        assert r.status_code == 200, r.text
        return [x["full_name"] for x in r.json()["results"]]

    assert names(q="smith") == ["Anna Smith", "Cleo Smithers"]
    assert names(q="PERSON1@") == ["Bob Stone"]
    assert names(q="%") == ["Dan 100%_Sure"]  # taken literally, not as a wildcard
    assert names(q="_") == ["Dan 100%_Sure"]
    assert names(q="nobody") == []
    first = c.get("/v1/candidates/", params={"page_size": 3}).json()
    assert first["count"] == 4 and len(first["results"]) == 3 and first["previous"] is None
    second = httpx.get(first["next"], headers=c.headers).json()
    assert [x["full_name"] for x in second["results"]] == ["Dan 100%_Sure"]
    assert second["next"] is None and "page=1" in second["previous"]
    for bad in ({"q": "x" * 201}, {"page": 0}, {"page_size": 101}, {"page": "two"}):
        r = c.get("/v1/candidates/", params=bad)
        assert r.status_code == 422 and r.json()["code"] == "invalid_request", bad
    assert c.get("/v1/candidates/", params={"q": "a\x00b"}).status_code == 200


# Jobs ----------------------------------------------------------------------------------------
SEEDS_JOB = {
    "job_title": "Backend Engineer",
    "company_name": "TechCorp",
    "job_description": "Django services",
    "domain": "Fintech",
    "coding_language": "PYTHON",
    "required_skills": ["Python", "SQL", "python"],
}


@pytest.mark.parametrize(("who", "status"), READERS)
def test_who_may_manage_jobs(callers: Clients, api: ApiServer, who: str, status: int) -> None:
    db = api.application.db
    jid = make_job(db)
    with db.read() as s:
        before = len(list(s.scalars(select(Job.id))))
    c = callers[who]
    results = [
        c.get("/v1/jobs/").status_code,
        c.get(f"/v1/jobs/{jid}/").status_code,
        c.post("/v1/jobs/", json=SEEDS_JOB).status_code,
        c.patch(f"/v1/jobs/{jid}/", json={"is_active": False}).status_code,
        c.delete(f"/v1/jobs/{jid}/").status_code,
    ]
    if status == 200:
        assert results == [200, 200, 201, 200, 200]
    else:
        assert results == [status] * 5
    with db.read() as s:
        active = s.get(Job, jid).is_active  # type: ignore[union-attr]
        count = len(list(s.scalars(select(Job.id))))
    assert active == (status != 200) and count == before + (status == 200)


def test_jobs_take_the_seeds_fields_and_any_case_of_language(
    clients: Clients,
) -> None:
    c = clients["recruiter"]
    made = c.post("/v1/jobs/", json=SEEDS_JOB)
    assert made.status_code == 201, made.text
    job = made.json()
    assert (job["title"], job["company"], job["description"]) == (
        "Backend Engineer",
        "TechCorp",
        "Django services",
    )
    assert job["coding_language"] == "PYTHON" and job["is_active"] is True
    assert job["required_skills"] == ["Python", "SQL"]  # repeats dropped, first spelling kept
    for given, stored in (("javascript", "JAVASCRIPT"), ("C#", "CSHARP"), ("Sql", "SQL")):
        r = c.patch(f"/v1/jobs/{job['id']}/", json={"coding_language": given})
        assert r.status_code == 200 and r.json()["coding_language"] == stored, r.text
    assert c.get(f"/v1/jobs/{job['id']}").json()["title"] == "Backend Engineer"
    for bad in ("COBOL", "", 3, None):
        r = c.post("/v1/jobs/", json={"title": "X", "coding_language": bad})
        assert r.status_code == 422 and r.json()["code"] == "invalid_request", (bad, r.text)


def test_job_changes_deactivation_listing_and_refusals(clients: Clients) -> None:
    c = clients["admin"]
    ids = [
        c.post("/v1/jobs/", json={"title": title, "company": company}).json()["id"]
        for title, company in (("Zeta Dev", "Acme"), ("Alpha Dev", "Beta"), ("Mid Dev", "Acme"))
    ]
    renamed = c.patch(f"/v1/jobs/{ids[0]}/", json={"title": "Yankee Dev", "domain": "Retail"})
    assert renamed.status_code == 200
    assert (renamed.json()["title"], renamed.json()["company"]) == ("Yankee Dev", "Acme")
    off = c.delete(f"/v1/jobs/{ids[1]}/")
    assert off.status_code == 200 and off.json()["is_active"] is False
    listed = c.get("/v1/jobs/").json()
    assert [j["title"] for j in listed["results"]] == ["Mid Dev", "Yankee Dev", "Alpha Dev"]
    assert c.get("/v1/jobs/", params={"is_active": "false"}).json()["count"] == 1
    assert c.get("/v1/jobs/", params={"q": "acme"}).json()["count"] == 2
    back = c.patch(f"/v1/jobs/{ids[1]}/", json={"is_active": True})
    assert back.json()["is_active"] is True
    paged = c.get("/v1/jobs/", params={"page_size": 2, "page": 2}).json()
    assert paged["count"] == 3 and len(paged["results"]) == 1 and paged["next"] is None

    for method, path in (("GET", "/v1/jobs/424242/"), ("PATCH", "/v1/jobs/424242/")):
        r = c.request(method, path, json={"title": "X"} if method == "PATCH" else None)
        assert r.status_code == 404 and r.json()["code"] == "job_not_found"
    assert c.delete("/v1/jobs/424242/").json()["code"] == "job_not_found"
    refusals = [
        ({"title": ""}, 422),
        ({"title": "   "}, 400),
        ({"is_active": "no"}, 422),
        ({"required_skills": ["x"] * 51}, 422),
        ({"description": "d" * 50_001}, 422),
        ({"salary": 1}, 422),
    ]
    for body, status in refusals:
        r = c.patch(f"/v1/jobs/{ids[2]}/", json=body)
        assert r.status_code == status, (body, r.text)
    assert c.get(f"/v1/jobs/{ids[2]}/").json()["title"] == "Mid Dev"
