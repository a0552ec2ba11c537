"""The use cases that change data for staff ask the same permission check as the pages.

A principal, when passed, is checked before anything is read or written; trusted callers
(command line, fixtures) pass none. Runs on a private SQLite file; no Streamlit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from core.config import Settings
from core.db.engine import Database
from core.db.models import Interview, ReviewComment, User
from core.domain import Decision, Role
from core.errors import PermissionDenied
from core.review import judgement
from core.review.erasure import erase_candidate, erase_interview
from core.staff import auth
from core.staff.permissions import CandidatePrincipal, Principal, StaffPrincipal, staff_principal
from tests.support.factories import PASSWORD, make_candidate, make_interview, make_user

NOW = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


def _principal(db: Database, role: Role) -> StaffPrincipal:
    return staff_principal(make_user(db, role))


def test_hiring_manager_cannot_erase_and_nothing_is_deleted(
    db: Database, settings: Settings
) -> None:
    iid = make_interview(db)
    manager = _principal(db, Role.HIRING_MANAGER)
    with pytest.raises(PermissionDenied) as refused:
        erase_interview(db, settings, iid, actor_id=manager.user_id, principal=manager)
    assert refused.value.code == "permission_denied"
    assert "Hiring manager" in str(refused.value)
    with db.read() as s:
        assert s.get(Interview, iid) is not None


@pytest.mark.parametrize("role", [Role.RECRUITER, Role.ADMIN])
def test_recruiter_and_admin_may_erase(db: Database, settings: Settings, role: Role) -> None:
    iid = make_interview(db)
    who = _principal(db, role)
    erase_interview(db, settings, iid, actor_id=who.user_id, principal=who)
    with db.read() as s:
        assert s.get(Interview, iid) is None


def test_erase_candidate_checks_the_principal(db: Database, settings: Settings) -> None:
    cid = make_candidate(db)
    for refused in (_principal(db, Role.HIRING_MANAGER), CandidatePrincipal(interview_id=1)):
        with pytest.raises(PermissionDenied):
            erase_candidate(db, settings, cid, actor_id=None, principal=refused)
    recruiter = _principal(db, Role.RECRUITER)
    erase_candidate(db, settings, cid, actor_id=recruiter.user_id, principal=recruiter)


def test_no_principal_is_the_trusted_operator(db: Database, settings: Settings) -> None:
    erase_interview(db, settings, make_interview(db), actor_id=None)  # the command line


JUDGEMENTS: list[tuple[str, Callable[[Database, int, Principal], None]]] = [
    ("view", lambda db, i, p: judgement.record_view(db, i, actor_id=1, principal=p)),
    ("flag", lambda db, i, p: judgement.set_needs_review(db, i, True, actor_id=1, principal=p)),
    ("comment", lambda db, i, p: judgement.add_comment(db, i, "Good", actor_id=1, principal=p)),
    (
        "decide",
        lambda db, i, p: judgement.set_decision(
            db, i, Decision.ADVANCE, actor_id=1, now=NOW, principal=p
        ),
    ),
    (
        "override",
        lambda db, i, p: judgement.override_score(
            db, response_id=1, score=5, reason="long enough", actor_id=1, now=NOW, principal=p
        ),
    ),
    (
        "clear",
        lambda db, i, p: judgement.clear_override(db, response_id=1, actor_id=1, principal=p),
    ),
]


@pytest.mark.parametrize(("name", "call"), JUDGEMENTS, ids=[n for n, _ in JUDGEMENTS])
def test_a_candidate_cannot_judge_even_their_own_interview(
    db: Database, name: str, call: Callable[[Database, int, Principal], None]
) -> None:
    iid = make_interview(db)
    with pytest.raises(PermissionDenied):
        call(db, iid, CandidatePrincipal(interview_id=iid))


@pytest.mark.parametrize("role", list(Role))
def test_every_staff_role_may_comment_and_decide(db: Database, role: Role) -> None:
    iid = make_interview(db)
    who = _principal(db, role)
    judgement.add_comment(db, iid, "Solid answers.", actor_id=who.user_id, principal=who)
    judgement.set_decision(db, iid, Decision.ADVANCE, actor_id=who.user_id, now=NOW, principal=who)
    with db.read() as s:
        assert s.scalars(select(ReviewComment.body)).all() == ["Solid answers."]
        assert s.get(Interview, iid).decision is Decision.ADVANCE  # type: ignore[union-attr]


@pytest.mark.parametrize("role", [Role.RECRUITER, Role.HIRING_MANAGER])
def test_only_admins_manage_users(db: Database, role: Role) -> None:
    who = _principal(db, role)
    target = make_user(db, Role.RECRUITER)
    with pytest.raises(PermissionDenied):
        auth.create_user(
            db,
            email="new@example.com",
            full_name="New",
            role=Role.ADMIN,
            password=PASSWORD,
            actor_id=who.user_id,
            principal=who,
        )
    with pytest.raises(PermissionDenied):
        auth.set_active(db, user_id=target.id, active=False, actor_id=who.user_id, principal=who)
    with pytest.raises(PermissionDenied):
        auth.set_password(
            db, email=target.email, password=PASSWORD, actor_id=who.user_id, principal=who
        )
    with pytest.raises(PermissionDenied):  # an unknown email reveals nothing either
        auth.set_password(
            db, email="nobody@example.com", password=PASSWORD, actor_id=None, principal=who
        )
    with db.read() as s:
        assert s.scalars(select(User).where(User.email == "new@example.com")).first() is None
        assert s.get(User, target.id).is_active  # type: ignore[union-attr]


def test_admin_manages_users_and_anyone_their_own_password(db: Database) -> None:
    admin = _principal(db, Role.ADMIN)
    created = auth.create_user(
        db,
        email="new@example.com",
        full_name="New",
        role=Role.HIRING_MANAGER,
        password=PASSWORD,
        actor_id=admin.user_id,
        principal=admin,
    )
    auth.set_password(
        db, email=created.email, password="another password", actor_id=None, principal=admin
    )
    manager = staff_principal(created)
    auth.set_password(
        db, email=created.email, password="my own password", actor_id=None, principal=manager
    )
    auth.set_active(db, user_id=created.id, active=False, actor_id=admin.user_id, principal=admin)
    with pytest.raises(PermissionDenied):
        auth.set_password(
            db,
            email=created.email,
            password=PASSWORD,
            actor_id=None,
            principal=CandidatePrincipal(interview_id=1),
        )
