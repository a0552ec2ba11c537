"""The API on loopback around a real SQLite database (or PostgreSQL), with staff of each role,
and one client per kind of caller (``clients``; ``callers`` adds a candidate's link key)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from core.app import Application
from core.config import Settings
from core.db.engine import Database
from core.domain import Role
from tests.support.api_callers import Clients, Staff, api_key
from tests.support.api_server import ApiServer, serve_api
from tests.support.factories import issue_key, make_interview, make_user


@pytest.fixture
def application(settings: Settings, db: Database) -> Iterator[Application]:
    app = Application(settings, db)
    yield app
    app.close()


@pytest.fixture
def staff(db: Database) -> Staff:
    people = Staff()
    make_user(db, Role.ADMIN, people.admin)
    make_user(db, Role.RECRUITER, people.recruiter)
    make_user(db, Role.HIRING_MANAGER, people.manager)
    return people


@pytest.fixture
def api(application: Application, staff: Staff) -> Iterator[ApiServer]:
    with serve_api(application) as server:
        yield server


@pytest.fixture
def clients(api: ApiServer, staff: Staff) -> Iterator[dict[str, httpx.Client]]:
    """One client per kind of caller: staff by role, API keys by scope, nobody."""
    db = api.application.db
    made = {
        "admin": api.bearer(staff.admin, staff.password),
        "recruiter": api.bearer(staff.recruiter, staff.password),
        "manager": api.bearer(staff.manager, staff.password),
        "anonymous": api.client(),
        **{
            f"key_{scope}": api.client(**{"X-Api-Key": api_key(db, scope)})
            for scope in ("read", "recruiting", "scheduling", "review", "greenhouse")
        },
    }
    yield made
    for client in made.values():
        client.close()


@pytest.fixture
def callers(clients: Clients, api: ApiServer) -> Iterator[Clients]:
    """``clients`` plus a candidate holding a valid link key (it opens only their interview)."""
    db = api.application.db
    interview = make_interview(db, scheduled_at=datetime.now(UTC) + timedelta(minutes=1))
    candidate = api.client(**{"X-Interview-Key": issue_key(db, interview)})
    yield {**clients, "candidate": candidate}
    candidate.close()


@pytest.fixture(params=["sqlite", "postgres"])
def anywhere(
    request: pytest.FixtureRequest, settings: Settings
) -> Iterator[tuple[ApiServer, Staff]]:
    """The API around a real SQLite file, then a real PostgreSQL schema, with staff."""
    db: Database = request.getfixturevalue("db" if request.param == "sqlite" else "pg_db")
    people = Staff()
    for role, email in (
        (Role.ADMIN, people.admin),
        (Role.RECRUITER, people.recruiter),
        (Role.HIRING_MANAGER, people.manager),
    ):
        make_user(db, role, email)
    application = Application(settings, db)
    try:
        with serve_api(application) as server:
            yield server, people
    finally:
        application.close()
