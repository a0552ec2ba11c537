"""The seeds' interview endpoints over real HTTP: listing (filters, pages), the practice flow a
signed-in staff member runs for themselves (create → start → questions → submit → complete →
results → my_interviews), the detail each caller may see, and every refusal."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from core.app import Application
from core.config import Settings, load_settings
from core.db.engine import Database
from core.db.models import Candidate, Interview, InterviewQuestion
from core.domain import Difficulty, InterviewStatus, InterviewType, Role
from tests.support.api_callers import ANSWER, PRACTICE, Staff, create_practice
from tests.support.api_server import ApiServer, serve_api
from tests.support.evaluation import GOOD_GRADE
from tests.support.factories import PASSWORD, make_interview, make_user
from tests.support.fake_openai_server import Reply, Stall, fake_openai

# Listing --------------------------------------------------------------------------------------
LIST_ROLES = [
    ("admin", 200),
    ("recruiter", 200),
    ("key_read", 200),
    ("key_recruiting", 200),
    ("key_scheduling", 200),
    ("key_review", 200),
    ("manager", 403),
    ("key_greenhouse", 403),
    ("anonymous", 401),
]


@pytest.mark.parametrize(("who", "status"), LIST_ROLES)
def test_who_may_list_interviews(
    clients: dict[str, httpx.Client], api: ApiServer, who: str, status: int
) -> None:
    made = make_interview(api.application.db)
    r = clients[who].get("/v1/interviews/")
    assert r.status_code == status, r.text
    if status == 200:
        body = r.json()
        assert body["count"] == 1 and body["next"] is None and body["previous"] is None
        assert [i["id"] for i in body["results"]] == [made]
        assert body["results"][0]["candidate"]["email"].endswith("@example.com")
    else:
        assert set(r.json()) >= {"code", "message"}


def _set(db: Database, interview_id: int, **values: Any) -> None:
    with db.write() as s:
        row = s.get(Interview, interview_id)
        assert row is not None
        for name, value in values.items():
            setattr(row, name, value)


def test_list_filters_and_pages(clients: dict[str, httpx.Client], api: ApiServer) -> None:
    db = api.application.db
    ids = [make_interview(db) for _ in range(5)]
    _set(db, ids[0], status=InterviewStatus.COMPLETED, interview_type=InterviewType.BEHAVIORAL)
    _set(db, ids[1], status=InterviewStatus.CANCELLED, difficulty=Difficulty.HARD)
    c = clients["recruiter"]

    def ids_of(**params: Any) -> list[int]:
        r = c.get("/v1/interviews/", params=params)
        assert r.status_code == 200, r.text
        assert r.json()["count"] == len(r.json()["results"])
        return sorted(i["id"] for i in r.json()["results"])

    assert ids_of(status="completed") == [ids[0]]
    assert ids_of(type="behavioral") == [ids[0]]
    assert ids_of(difficulty="hard") == [ids[1]]
    assert ids_of(status="scheduled") == sorted(ids[2:])
    assert ids_of(status="scheduled", difficulty="hard") == []
    for bad in ({"status": "done"}, {"type": "quiz"}, {"difficulty": "extreme"}, {"page": 0}):
        r = c.get("/v1/interviews/", params=bad)
        assert r.status_code == 422, (bad, r.text)
        assert r.json()["code"] == "invalid_request"
    assert c.get("/v1/interviews/", params={"page_size": 101}).status_code == 422

    first = c.get("/v1/interviews/", params={"page_size": 2}).json()
    assert first["count"] == 5 and len(first["results"]) == 2 and first["previous"] is None
    second = httpx.get(first["next"], headers=c.headers).json()
    assert second["count"] == 5 and len(second["results"]) == 2
    assert "page=1" in second["previous"] and "page=3" in second["next"]
    third = httpx.get(second["next"], headers=c.headers).json()
    assert len(third["results"]) == 1 and third["next"] is None
    seen = [i["id"] for p in (first, second, third) for i in p["results"]]
    assert sorted(seen) == sorted(ids)  # every interview once, none twice
    beyond = c.get("/v1/interviews/", params={"page": 9, "page_size": 2}).json()
    assert beyond["results"] == [] and beyond["next"] is None and "page=3" in beyond["previous"]
    # without the trailing slash too
    assert c.get("/v1/interviews", params={"status": "completed"}).json()["count"] == 1


# Creating a practice interview -----------------------------------------------------------------
@pytest.mark.parametrize("who", ["admin", "recruiter", "manager"])
def test_any_staff_member_creates_a_practice_interview_for_themselves(
    clients: dict[str, httpx.Client], api: ApiServer, staff: Staff, who: str
) -> None:
    made = create_practice(clients[who])
    email = {"admin": staff.admin, "recruiter": staff.recruiter, "manager": staff.manager}[who]
    assert made["is_practice"] is True and made["status"] == "scheduled"
    assert made["candidate"]["email"] == email
    assert made["title"] == PRACTICE["title"] and made["job_role"] == PRACTICE["job_role"]
    assert (
        made["company_name"] == "TechCorp"
        and made["required_skills"] == PRACTICE["required_skills"]
    )
    assert made["duration_minutes"] == 45 and made["enable_audio"] is True
    assert made["total_questions"] == 3 and len(made["questions"]) == 3
    assert all(q["question_text"] and q["expected_answer"] for q in made["questions"])
    assert [q["order"] for q in made["questions"]] == [1, 2, 3]
    db = api.application.db
    with db.read() as s:
        row = s.get(Interview, made["id"])
        assert row is not None and row.created_by_id is not None
        # offline (no model configured): the bank's questions, never a model's
        assert not any(
            s.scalars(
                select(InterviewQuestion.is_ai_generated).where(
                    InterviewQuestion.interview_id == made["id"]
                )
            )
        )
    again = create_practice(clients[who], title="Second round", interview_type="behavioral")
    assert again["candidate"]["id"] == made["candidate"]["id"]  # one candidate row per person
    assert again["interview_type"] == "behavioral"
    asked = {q["question_text"] for q in made["questions"]}
    assert len(again["questions"]) == 3 and asked.isdisjoint(
        q["question_text"] for q in again["questions"]
    )
    with db.read() as s:
        assert (
            s.scalar(select(func.count()).select_from(Candidate).where(Candidate.email == email))
            == 1
        )


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [
        ("key_recruiting", 403, "staff_only"),
        ("key_read", 403, "staff_only"),
        ("anonymous", 401, "not_authenticated"),
    ],
)
def test_only_a_person_creates_a_practice_interview(
    clients: dict[str, httpx.Client], api: ApiServer, who: str, status: int, code: str
) -> None:
    r = clients[who].post("/v1/interviews/", json=PRACTICE)
    assert r.status_code == status, r.text
    assert r.json()["code"] == code
    with api.application.db.read() as s:
        assert s.scalar(select(func.count()).select_from(Interview)) == 0


BAD_CREATE = [
    {"title": ""},
    {"title": "x" * 201},
    {"title": None},
    {"description": "x" * 20_001},
    {"interview_type": "quiz"},
    {"difficulty": "extreme"},
    {"required_skills": [f"skill {n}" for n in range(31)]},
    {"required_skills": ["x" * 101]},
    {"required_skills": "React"},
    {"required_skills": [""]},
    {"duration_minutes": 4},
    {"duration_minutes": 241},
    {"duration_minutes": "long"},
    {"total_questions": 0},
    {"total_questions": 21},
    {"total_questions": 2.5},
    {"use_ai": "perhaps"},
    {"use_ai": 1},  # a boolean is true or false, not a number
    {"enable_video": "yes"},
    {"duration_minutes": "30"},  # a number, not a numeral
    {"job_role": "x" * 201},
    {"company_name": ["TechCorp"]},
    {"coding_language": "COBOL"},
    {"status": "completed"},  # not a field: refused, not ignored
]


@pytest.mark.parametrize("change", BAD_CREATE)
def test_create_refuses_bad_input(
    clients: dict[str, httpx.Client], api: ApiServer, change: dict[str, Any]
) -> None:
    r = clients["recruiter"].post("/v1/interviews/", json={**PRACTICE, **change})
    assert r.status_code == 422, (change, r.text)
    assert r.json()["code"] == "invalid_request"
    with api.application.db.read() as s:
        assert s.scalar(select(func.count()).select_from(Interview)) == 0


def test_create_refuses_malformed_and_huge_bodies(clients: dict[str, httpx.Client]) -> None:
    c = clients["recruiter"]
    assert (
        c.post(
            "/v1/interviews/", content=b"{not json", headers={"Content-Type": "application/json"}
        ).status_code
        == 422
    )
    assert c.post("/v1/interviews/", json=["a", "list"]).status_code == 422
    assert c.post("/v1/interviews/", json={}).status_code == 422  # no title
    huge = c.post("/v1/interviews/", json={**PRACTICE, "description": "x" * 2_000_000})
    assert huge.status_code == 413 and huge.json()["code"] == "request_too_large"


def test_the_minimal_body_takes_the_seeds_defaults(clients: dict[str, httpx.Client]) -> None:
    r = clients["manager"].post("/v1/interviews/", json={"title": "Warm-up"})
    assert r.status_code == 201, r.text
    made = r.json()["interview"]
    picked = ("interview_type", "difficulty", "duration_minutes", "total_questions", "use_ai")
    assert {k: made[k] for k in picked} == {
        "interview_type": "technical",
        "difficulty": "medium",
        "duration_minutes": 30,
        "total_questions": 5,
        "use_ai": True,
    }
    assert len(made["questions"]) == 5 and made["enable_video"] is False


# The practice flow, end to end (SQLite and PostgreSQL) -----------------------------------------
def test_a_whole_practice_interview_over_the_api(anywhere: tuple[ApiServer, Staff]) -> None:
    api, staff = anywhere
    me = api.bearer(staff.recruiter, staff.password)
    made = create_practice(me)
    iid = made["id"]
    base = f"/v1/interviews/{iid}"
    assert me.get(f"{base}/").json()["view"] == "full"

    not_started = me.get(f"{base}/questions/")
    assert not_started.status_code == 409 and "start" in not_started.json()["message"]

    started = me.post(f"{base}/start/")
    assert started.status_code == 200, started.text
    assert started.json()["message"] == "Interview started successfully"
    state = started.json()["interview"]
    assert state["view"] == "candidate" and state["status"] == "in_progress"
    assert state["scores_shown"] is True  # the owner sees their own scores
    assert 45 * 60 - 30 <= state["seconds_left"] <= 45 * 60
    assert state["current_question_order"] == 1 and len(state["questions"]) == 3
    resumed = me.post(f"{base}/start")  # without the slash too
    assert resumed.json()["message"] == "Interview resumed in this client"
    assert resumed.json()["interview"]["started_at"] == state["started_at"]  # the clock ran on

    listed = me.get(f"{base}/questions/")
    assert listed.status_code == 200
    questions = listed.json()
    assert [q["order"] for q in questions] == [1, 2, 3]
    assert all("expected_answer" not in q for q in questions)
    assert questions[0]["question_text"] == made["questions"][0]["question_text"]

    for q in questions:
        r = me.post(
            f"{base}/submit_response/",
            json={"question_id": q["id"], "text_response": ANSWER, "time_taken_seconds": 60},
        )
        assert r.status_code == 201, r.text
        assert r.json()["message"] == "Response submitted successfully"
        stored = r.json()["response"]
        assert stored["question_id"] == q["id"] and stored["text_response"] == ANSWER
        assert stored["status"] == "submitted" and stored["is_evaluated"] is True
        assert isinstance(stored["score"], float) and 0 <= stored["score"] <= 10
        assert stored["ai_feedback"] and stored["evaluation_metrics"]
        assert stored["provisional"] is False  # offline grading: final at once
        assert stored["time_taken_seconds"] is not None and stored["time_taken_seconds"] < 60

    first = questions[0]["id"]
    twice = me.post(
        f"{base}/submit_response/", json={"question_id": first, "text_response": "changed"}
    )
    assert twice.status_code == 200, twice.text
    assert twice.json()["response"]["text_response"] == ANSWER  # the first answer stands
    assert "before" in twice.json()["message"]

    done = me.post(f"{base}/complete/")
    assert done.status_code == 200, done.text
    assert done.json()["message"] == "Interview completed successfully"
    finished = done.json()["interview"]
    assert finished["status"] == "completed" and finished["evaluated"] is True
    assert finished["completed_at"] and 0 < finished["percentage"] <= 100
    assert finished["total_score"] > 0 and finished["overall_feedback"]
    assert isinstance(finished["strengths"], list) and isinstance(finished["recommendations"], list)

    for method, path, body in (
        ("POST", "complete/", None),
        ("POST", "start/", None),
        ("POST", "submit_response/", {"question_id": first, "text_response": "late"}),
    ):
        late = me.request(method, f"{base}/{path}", json=body)
        assert late.status_code == 409, (path, late.text)

    results = me.get(f"{base}/results/")
    assert results.status_code == 200, results.text
    outcome = results.json()
    assert outcome["percentage"] == finished["percentage"] and outcome["scores_shown"] is True
    assert all(q["expected_answer"] for q in outcome["questions"])  # the owner's: everything
    assert all(q["evaluation_criteria"] is not None for q in outcome["questions"])
    assert [a["question_id"] for a in outcome["responses"]] == [q["id"] for q in questions]
    assert all(a["score"] is not None and a["ai_feedback"] for a in outcome["responses"])
    assert outcome["proctoring"] == {"warnings": 0, "by_kind": []}

    mine = me.get("/v1/interviews/my_interviews/").json()
    assert mine["count"] == 1 and mine["results"][0]["id"] == iid
    assert mine["results"][0]["status"] == "completed"
    assert mine["results"][0]["percentage"] == finished["percentage"]
    other = api.bearer(staff.admin, staff.password)
    assert other.get("/v1/interviews/my_interviews").json()["count"] == 0
    detail = other.get(f"{base}/").json()  # staff read it in full
    assert (
        detail["status"] == "completed" and detail["questions"][0]["response"]["score"] is not None
    )


# Whose interview is it ------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["start/", "questions/", "complete/", "submit_response/"])
def test_only_its_owner_takes_a_practice_interview(
    clients: dict[str, httpx.Client], path: str
) -> None:
    iid = create_practice(clients["recruiter"])["id"]
    method = "GET" if path == "questions/" else "POST"
    body = {"question_id": 1, "text_response": "x"} if path == "submit_response/" else None
    expected = {
        "admin": (404, "practice_not_found"),  # even an administrator: it is not theirs
        "manager": (404, "practice_not_found"),
        "key_recruiting": (403, "staff_only"),
        "anonymous": (401, "not_authenticated"),
    }
    for who, (status, code) in expected.items():
        r = clients[who].request(method, f"/v1/interviews/{iid}/{path}", json=body)
        assert (r.status_code, r.json()["code"]) == (status, code), (who, r.text)
    unknown = clients["recruiter"].request(method, "/v1/interviews/999999/" + path, json=body)
    assert unknown.status_code == 404


DETAIL_ROLES = [
    ("admin", 200),
    ("recruiter", 200),
    ("manager", 200),  # reviews interviews
    ("key_read", 200),
    ("key_review", 200),
    ("key_scheduling", 200),
    ("key_greenhouse", 403),
    ("anonymous", 401),
]


@pytest.mark.parametrize(("who", "status"), DETAIL_ROLES)
def test_who_reads_an_interview_in_full(
    clients: dict[str, httpx.Client], api: ApiServer, who: str, status: int
) -> None:
    iid = make_interview(api.application.db)
    r = clients[who].get(f"/v1/interviews/{iid}/")
    assert r.status_code == status, r.text
    if status == 200:
        body = r.json()
        assert body["view"] == "full" and body["id"] == iid
        assert [q["expected_answer"] for q in body["questions"]] == [
            "Answer 1",
            "Answer 2",
            "Answer 3",
        ]
    missing = clients[who].get("/v1/interviews/424242/")
    assert missing.status_code == (404 if status == 200 else status)


def test_odd_interview_ids_are_not_found(clients: dict[str, httpx.Client]) -> None:
    c = clients["admin"]
    for path in ("abc/", "-1/", "1.5/", "99999999999999999999999/", "1/unknown/"):
        r = c.get(f"/v1/interviews/{path}")
        assert r.status_code in (404, 422), (path, r.text)
        assert set(r.json()) >= {"code", "message"}


@pytest.mark.parametrize(("who", "status"), [("key_read", 403), ("anonymous", 401)])
def test_my_interviews_is_for_people(
    clients: dict[str, httpx.Client], who: str, status: int
) -> None:
    assert clients[who].get("/v1/interviews/my_interviews/").status_code == status


def test_my_interviews_lists_only_the_callers_practice(
    clients: dict[str, httpx.Client], api: ApiServer
) -> None:
    make_interview(api.application.db)  # a candidate's: nobody's practice
    mine = [create_practice(clients["manager"], title=f"Round {n}")["id"] for n in range(3)]
    create_practice(clients["recruiter"])
    page = clients["manager"].get("/v1/interviews/my_interviews/", params={"page_size": 2}).json()
    assert page["count"] == 3 and [i["id"] for i in page["results"]] == mine[::-1][:2]
    assert page["next"] and page["previous"] is None
    assert all(i["is_practice"] for i in page["results"])
    everything = clients["admin"].get("/v1/interviews/").json()
    assert everything["count"] == 5  # staff lists see practice interviews too, marked
    assert sum(i["is_practice"] for i in everything["results"]) == 4


# With an AI model configured ------------------------------------------------------------------
WRITTEN: dict[str, list[dict[str, Any]]] = {
    "questions": [
        {
            "question": "Explain how React reconciles the virtual DOM with the real one.",
            "expected_answer": "It diffs element trees by type and key and patches the DOM.",
            "criteria": ["diffing by element type", "keys identify list items"],
            "duration_minutes": 5,
        },
        {
            "question": "When would you reach for useReducer instead of useState in React?",
            "expected_answer": "For state with several sub-values or dependent transitions.",
            "criteria": ["complex state transitions", "dispatching actions"],
            "duration_minutes": 5,
        },
    ]
}


def test_with_a_model_it_writes_the_questions_and_its_grade_follows(
    settings: Settings, db: Database
) -> None:
    """``use_ai``: the model writes the questions; an answer is scored offline at once
    (``provisional``) and the model's grade replaces it; ``use_ai`` off never asks it."""
    with fake_openai([Reply(WRITTEN), Stall(2.0, then=Reply(GOOD_GRADE))]) as model:
        with_model = load_settings(
            data_dir=settings.data_dir,
            database_url=settings.database_url,
            evaluator="llm",
            openai_base_url=model.base_url,
            openai_api_key="test-key",
            openai_max_retries=0,
        )
        make_user(db, Role.RECRUITER, "rita@example.com")
        application = Application(with_model, db)
        try:
            with serve_api(application) as api, api.bearer("rita@example.com", PASSWORD) as me:
                made = create_practice(me, total_questions=2)
                texts = [q["question_text"] for q in made["questions"]]
                assert texts == [q["question"] for q in WRITTEN["questions"]]
                with db.read() as s:
                    assert all(
                        s.scalars(
                            select(InterviewQuestion.is_ai_generated).where(
                                InterviewQuestion.interview_id == made["id"]
                            )
                        )
                    )
                asked = len(model.requests)
                offline = create_practice(me, use_ai=False, total_questions=2)
                assert len(model.requests) == asked  # use_ai off: the model is never asked
                assert not set(texts) & {q["question_text"] for q in offline["questions"]}

                base = f"/v1/interviews/{made['id']}"
                assert me.post(f"{base}/start/").status_code == 200
                for q, written in zip(made["questions"], WRITTEN["questions"], strict=True):
                    # an answer that covers every point: no follow-up to ask the model for
                    full = f"{written['expected_answer']} {'; '.join(written['criteria'])}."
                    r = me.post(
                        f"{base}/submit_response/",
                        json={"question_id": q["id"], "text_response": full},
                    )
                    assert r.status_code == 201, r.text
                    stored = r.json()["response"]
                    assert stored["provisional"] is True and stored["score"] is not None
                assert application.grading.wait_idle(60)
                graded = me.get(f"{base}/questions/").json()
                assert [q["score"] for q in graded] == [8.5, 8.5]  # the model's grades
                done = me.post(f"{base}/complete/").json()["interview"]
                assert done["evaluated"] is True and done["note"] == ""
                outcome = me.get(f"{base}/results/").json()
                assert [a["score"] for a in outcome["responses"]] == [8.5, 8.5]
                assert not any(a["provisional"] for a in outcome["responses"])
        finally:
            application.close()
