"""The permissions table, checked pair by pair against an explicit expectation. No Streamlit."""

from __future__ import annotations

import pytest

from core.domain import Role
from core.errors import IntervistaError, PermissionDenied, error_payload
from core.staff.permissions import (
    API_KEY_SCOPES,
    ROLE_LABELS,
    Action,
    ApiKeyPrincipal,
    CandidatePrincipal,
    StaffPrincipal,
    can,
    require,
    require_given,
    roles_allowed,
    staff_principal,
)

A = Action
# Written out by hand on purpose: a change to the table must change this test too.
EXPECTED: dict[Action, set[Role]] = {
    A.VIEW_INTERVIEWS: {Role.ADMIN, Role.RECRUITER},
    A.MANAGE_CANDIDATES: {Role.ADMIN, Role.RECRUITER},
    A.MANAGE_JOBS: {Role.ADMIN, Role.RECRUITER},
    A.MANAGE_TEMPLATES: {Role.ADMIN, Role.RECRUITER},
    A.MANAGE_SCHEDULE: {Role.ADMIN, Role.RECRUITER},
    A.MANAGE_OUTBOX: {Role.ADMIN, Role.RECRUITER},
    A.REVIEW_INTERVIEW: {Role.ADMIN, Role.RECRUITER, Role.HIRING_MANAGER},
    A.ERASE_INTERVIEW: {Role.ADMIN, Role.RECRUITER},
    A.VIEW_ANALYTICS: {Role.ADMIN, Role.RECRUITER, Role.HIRING_MANAGER},
    A.MANAGE_USERS: {Role.ADMIN},
    A.VIEW_SYSTEM_STATUS: {Role.ADMIN, Role.RECRUITER, Role.HIRING_MANAGER},
    A.MANAGE_OWN_ACCOUNT: {Role.ADMIN, Role.RECRUITER, Role.HIRING_MANAGER},
    A.TAKE_INTERVIEW: set(),  # candidates only, never staff
    A.PRACTICE: {Role.ADMIN, Role.RECRUITER, Role.HIRING_MANAGER},
    A.MANAGE_INTEGRATIONS: {Role.ADMIN},
    A.GREENHOUSE_PARTNER: set(),  # an API key's scope only
}
PAIRS = [(role, action) for role in Role for action in Action]


def test_the_expectation_covers_every_action() -> None:
    assert set(EXPECTED) == set(Action)


@pytest.mark.parametrize(("role", "action"), PAIRS, ids=[f"{r}-{a}" for r, a in PAIRS])
def test_staff_role_and_action(role: Role, action: Action) -> None:
    principal = StaffPrincipal(user_id=7, role=role)
    allowed = role in EXPECTED[action]
    assert can(principal, action) is allowed
    assert can(principal, action, interview_id=3) is allowed  # staff: not per interview
    assert (role in roles_allowed(action)) is allowed
    if allowed:
        require(principal, action)
    else:
        with pytest.raises(PermissionDenied) as refused:
            require(principal, action)
        assert refused.value.code == "permission_denied"
        assert refused.value.status == 403
        assert str(refused.value) == (
            f"Your role ({ROLE_LABELS[role]}) does not allow this. "
            "Ask an administrator if you need it."
        )


@pytest.mark.parametrize("action", list(Action))
def test_candidate_may_only_take_their_own_interview(action: Action) -> None:
    candidate = CandidatePrincipal(interview_id=5)
    assert can(candidate, action, interview_id=5) is (action is Action.TAKE_INTERVIEW)
    assert not can(candidate, action, interview_id=6)  # someone else's interview
    assert not can(candidate, action)  # no interview named: refused
    with pytest.raises(PermissionDenied) as refused:
        require(candidate, action, interview_id=6)
    assert refused.value.code == "permission_denied"
    assert str(refused.value) == "This link does not open that."


def test_candidate_require_passes_on_their_own_interview() -> None:
    require(CandidatePrincipal(interview_id=5), Action.TAKE_INTERVIEW, interview_id=5)


@pytest.mark.parametrize("action", list(Action))
def test_nobody_is_refused_everything(action: Action) -> None:
    assert not can(None, action)
    assert not can(None, action, interview_id=1)
    with pytest.raises(PermissionDenied) as refused:
        require(None, action)
    assert refused.value.code == "not_signed_in"
    assert str(refused.value) == "Please sign in to do this."
    assert error_payload(refused.value) == {
        "code": "not_signed_in",
        "message": "Please sign in to do this.",
    }


def test_permission_denied_belongs_to_the_one_hierarchy() -> None:
    assert issubclass(PermissionDenied, IntervistaError)


def test_require_given_checks_only_a_given_principal() -> None:
    require_given(None, Action.MANAGE_USERS)  # trusted callers (command line) pass none
    require_given(StaffPrincipal(1, Role.ADMIN), Action.MANAGE_USERS)
    with pytest.raises(PermissionDenied):
        require_given(StaffPrincipal(1, Role.HIRING_MANAGER), Action.MANAGE_USERS)
    with pytest.raises(PermissionDenied):
        require_given(CandidatePrincipal(2), Action.REVIEW_INTERVIEW, interview_id=2)


def test_staff_principal_of_a_user() -> None:
    class User:
        id = 4
        role = Role.RECRUITER

    assert staff_principal(User()) == StaffPrincipal(user_id=4, role=Role.RECRUITER)


def test_every_role_has_a_label() -> None:
    assert ROLE_LABELS == {
        Role.ADMIN: "Administrator",
        Role.RECRUITER: "Recruiter",
        Role.HIRING_MANAGER: "Hiring manager",
    }


# What each API key scope allows, written out by hand like EXPECTED.
SCOPE_EXPECTED: dict[str, set[Action]] = {
    "read": {A.VIEW_INTERVIEWS},
    "recruiting": {A.VIEW_INTERVIEWS, A.MANAGE_CANDIDATES, A.MANAGE_JOBS, A.MANAGE_TEMPLATES},
    "scheduling": {A.VIEW_INTERVIEWS, A.MANAGE_SCHEDULE},
    "review": {A.VIEW_INTERVIEWS, A.REVIEW_INTERVIEW},
    "greenhouse": {A.GREENHOUSE_PARTNER},
}
SCOPE_PAIRS = [(scope, action) for scope in SCOPE_EXPECTED for action in Action]


def test_the_scope_expectation_covers_every_scope() -> None:
    assert set(SCOPE_EXPECTED) == set(API_KEY_SCOPES)


@pytest.mark.parametrize(("scope", "action"), SCOPE_PAIRS, ids=[f"{s}-{a}" for s, a in SCOPE_PAIRS])
def test_api_key_scope_and_action(scope: str, action: Action) -> None:
    key = ApiKeyPrincipal(key_id=1, scopes=(scope,))
    allowed = action in SCOPE_EXPECTED[scope]
    assert can(key, action, interview_id=4) is allowed
    if not allowed:
        with pytest.raises(PermissionDenied) as refused:
            require(key, action)
        assert refused.value.code == "scope_denied"
        assert scope in str(refused.value)


def test_an_api_key_never_manages_users_or_integrations_whatever_its_scopes() -> None:
    key = ApiKeyPrincipal(key_id=1, scopes=(*API_KEY_SCOPES, "made-up"))
    for action in (A.MANAGE_USERS, A.MANAGE_INTEGRATIONS, A.TAKE_INTERVIEW, A.ERASE_INTERVIEW):
        assert not can(key, action, interview_id=1)
