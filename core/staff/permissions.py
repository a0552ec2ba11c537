"""Who may do what: one table, asked by every entry point (pages, CLI, HTTP API, workers).

A *principal* is whoever acts: a signed-in staff member (by role) or a candidate holding a
secret link (by the one interview it opens). Administrators may do everything staff may do;
a candidate may only take their own interview. Pure code: no Streamlit, no database.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from core.domain import Role
from core.errors import PermissionDenied


class Action(StrEnum):
    VIEW_INTERVIEWS = "view_interviews"
    MANAGE_CANDIDATES = "manage_candidates"
    MANAGE_JOBS = "manage_jobs"
    MANAGE_TEMPLATES = "manage_templates"
    MANAGE_SCHEDULE = "manage_schedule"  # slots, booking, reschedule, cancel
    MANAGE_OUTBOX = "manage_outbox"  # read the outbox, send again
    REVIEW_INTERVIEW = "review_interview"  # read the review, comment, override, decide
    ERASE_INTERVIEW = "erase_interview"
    VIEW_ANALYTICS = "view_analytics"
    MANAGE_USERS = "manage_users"  # users and the audit log
    VIEW_SYSTEM_STATUS = "view_system_status"  # what runs, what is degraded (paths: admins)
    MANAGE_OWN_ACCOUNT = "manage_own_account"
    TAKE_INTERVIEW = "take_interview"  # the candidate's side, one interview only
    PRACTICE = "practice"  # create practice interviews for oneself and take them (HTTP API)
    MANAGE_INTEGRATIONS = "manage_integrations"  # API keys and webhooks
    GREENHOUSE_PARTNER = "greenhouse_partner"  # Greenhouse's calls (an API key's scope only)


_RECRUITER = frozenset(
    {
        Action.VIEW_INTERVIEWS,
        Action.MANAGE_CANDIDATES,
        Action.MANAGE_JOBS,
        Action.MANAGE_TEMPLATES,
        Action.MANAGE_SCHEDULE,
        Action.MANAGE_OUTBOX,
        Action.REVIEW_INTERVIEW,
        Action.ERASE_INTERVIEW,
        Action.VIEW_ANALYTICS,
        Action.MANAGE_OWN_ACCOUNT,
        Action.VIEW_SYSTEM_STATUS,
        Action.PRACTICE,
    }
)
_HIRING_MANAGER = frozenset(
    {
        Action.REVIEW_INTERVIEW,
        Action.VIEW_ANALYTICS,
        Action.MANAGE_OWN_ACCOUNT,
        Action.VIEW_SYSTEM_STATUS,
        Action.PRACTICE,
    }
)
_STAFF_ACTIONS = frozenset(Action) - {Action.TAKE_INTERVIEW, Action.GREENHOUSE_PARTNER}

#: What an API key may be given, by scope name (``python -m core api-key create --scope``).
API_KEY_SCOPES: dict[str, frozenset[Action]] = {
    "read": frozenset({Action.VIEW_INTERVIEWS}),
    "recruiting": frozenset(
        {
            Action.VIEW_INTERVIEWS,
            Action.MANAGE_CANDIDATES,
            Action.MANAGE_JOBS,
            Action.MANAGE_TEMPLATES,
        }
    ),
    "scheduling": frozenset({Action.VIEW_INTERVIEWS, Action.MANAGE_SCHEDULE}),
    "review": frozenset({Action.VIEW_INTERVIEWS, Action.REVIEW_INTERVIEW}),
    "greenhouse": frozenset({Action.GREENHOUSE_PARTNER}),
}
#: A key made without ``--scope``: what a recruiting integration needs, nothing admin.
DEFAULT_API_KEY_SCOPES: tuple[str, ...] = ("recruiting", "scheduling")

#: The permissions table: what each staff role may do.
ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    Role.ADMIN: _STAFF_ACTIONS,
    Role.RECRUITER: _RECRUITER,
    Role.HIRING_MANAGER: _HIRING_MANAGER,
}

#: How each role is named to people (pages, messages).
ROLE_LABELS: dict[Role, str] = {
    Role.ADMIN: "Administrator",
    Role.RECRUITER: "Recruiter",
    Role.HIRING_MANAGER: "Hiring manager",
}

#: Roles from the least to the most privileged: choosers list them so, the first by default
#: (giving more is a deliberate choice).
ROLES_BY_PRIVILEGE: tuple[Role, ...] = (Role.HIRING_MANAGER, Role.RECRUITER, Role.ADMIN)


@dataclass(frozen=True)
class StaffPrincipal:
    user_id: int
    role: Role


@dataclass(frozen=True)
class CandidatePrincipal:
    """Whoever holds a valid secret link: it opens exactly one interview."""

    interview_id: int


@dataclass(frozen=True)
class ApiKeyPrincipal:
    """An integration holding an API key: what its scopes allow, nothing else."""

    key_id: int
    scopes: tuple[str, ...]

    @property
    def actions(self) -> frozenset[Action]:
        allowed: frozenset[Action] = frozenset()
        for scope in self.scopes:
            allowed |= API_KEY_SCOPES.get(scope, frozenset())
        return allowed


Principal = StaffPrincipal | CandidatePrincipal | ApiKeyPrincipal


class _StaffMember(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def role(self) -> Role: ...


def staff_principal(user: _StaffMember) -> StaffPrincipal:
    """The principal of a signed-in staff member (``core.staff.auth.StaffUser`` or alike)."""
    return StaffPrincipal(user_id=user.id, role=user.role)


def can(principal: Principal | None, action: Action, *, interview_id: int | None = None) -> bool:
    """Whether ``principal`` may do ``action`` (on ``interview_id``, where it matters)."""
    if principal is None:
        return False
    if isinstance(principal, CandidatePrincipal):
        return (
            action is Action.TAKE_INTERVIEW
            and interview_id is not None
            and interview_id == principal.interview_id
        )
    if isinstance(principal, ApiKeyPrincipal):
        return action in principal.actions
    return action in ROLE_ACTIONS.get(principal.role, frozenset())


def require(
    principal: Principal | None, action: Action, *, interview_id: int | None = None
) -> None:
    """Raise :class:`PermissionDenied` unless ``can(...)``; the message is safe to show."""
    if can(principal, action, interview_id=interview_id):
        return
    if principal is None:
        raise PermissionDenied("Please sign in to do this.", code="not_signed_in")
    if isinstance(principal, CandidatePrincipal):
        raise PermissionDenied("This link does not open that.")
    if isinstance(principal, ApiKeyPrincipal):
        raise PermissionDenied(
            f"This API key's scopes ({', '.join(principal.scopes) or 'none'}) do not allow this.",
            code="scope_denied",
        )
    raise PermissionDenied(
        f"Your role ({ROLE_LABELS[principal.role]}) does not allow this. "
        "Ask an administrator if you need it."
    )


def roles_allowed(action: Action) -> tuple[Role, ...]:
    """The staff roles that may do ``action`` (for menus and documentation)."""
    return tuple(role for role, actions in ROLE_ACTIONS.items() if action in actions)


def require_given(
    principal: Principal | None, action: Action, *, interview_id: int | None = None
) -> None:
    """:func:`require`, for use cases that also serve trusted callers passing no principal.

    Pages and the HTTP API always pass the principal; the command line, workers and fixtures
    act as the operator and pass ``None``, which is not checked here (``require`` refuses it).
    """
    if principal is not None:
        require(principal, action, interview_id=interview_id)
