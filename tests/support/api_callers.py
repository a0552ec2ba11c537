"""Callers of the API in tests: the staff of each role, API keys by scope, the seeds' practice
body, and small helpers for scheduling over HTTP (shared by the API tests)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from core.db.engine import Database
from core.scheduling.access import AccessStatus, JoinWindow, check_key
from core.staff.api_access import create_api_key
from tests.support.factories import PASSWORD


@dataclass
class Staff:
    admin: str = "admin@example.com"
    recruiter: str = "recruiter@example.com"
    manager: str = "manager@example.com"
    password: str = PASSWORD


PRACTICE = {
    "title": "Frontend Developer Interview",
    "description": "Interview for React position",
    "interview_type": "technical",
    "difficulty": "medium",
    "job_role": "Senior Frontend Developer",
    "company_name": "TechCorp",
    "required_skills": ["React", "TypeScript", "Redux"],
    "duration_minutes": 45,
    "total_questions": 3,
    "use_ai": True,
    "enable_video": False,
    "enable_audio": True,
}
ANSWER = (
    "React hooks are functions that let components use state and lifecycle features: "
    "useState keeps state, useEffect runs side effects after render with a dependency array, "
    "and custom hooks share logic between components without classes."
)


def api_key(db: Database, *scopes: str) -> str:
    return create_api_key(db, name="integration", scopes=scopes, now=datetime.now(UTC)).key


def create_practice(client: httpx.Client, **changes: Any) -> dict[str, Any]:
    r = client.post("/v1/interviews/", json={**PRACTICE, **changes})
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    assert body["message"] == "Interview created successfully"
    return dict(body["interview"])


Clients = dict[str, httpx.Client]
WINDOW = JoinWindow(30, 600)
SCHEDULERS = [
    ("admin", True),
    ("recruiter", True),
    ("key_scheduling", True),
    ("manager", 403),
    ("key_read", 403),
    ("key_recruiting", 403),
    ("key_review", 403),
    ("key_greenhouse", 403),
    ("anonymous", 401),
    ("candidate", 401),
]


def hour(days: float = 1, hours: float = 0) -> datetime:
    """A whole hour in the future (slots must start after now)."""
    at = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    return at + timedelta(days=days, hours=hours)


def make_slot(client: httpx.Client, start: datetime, minutes: int = 45, capacity: int = 1) -> int:
    body = {
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(minutes=minutes)).isoformat(),
        "capacity": capacity,
    }
    r = client.post("/v1/interviews/slots/", json=body)
    assert r.status_code == 201, r.text
    return int(r.json()["results"][0]["id"])


def book(client: httpx.Client, slot_id: int, interview_id: int, **extra: Any) -> httpx.Response:
    body = {"interview_id": interview_id, **extra}
    return client.post(f"/v1/interviews/slots/{slot_id}/book_slot/", json=body)


def key_status(db: Database, key: str, at: datetime) -> AccessStatus:
    return check_key(db, key, now=at, address="192.0.2.9", window=WINDOW).status


def refused(r: httpx.Response, status: int, code: str | None = None) -> None:
    assert r.status_code == status, r.text
    if code is not None:
        assert r.json()["code"] == code, r.text
