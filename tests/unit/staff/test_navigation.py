"""The staff menu follows the permissions table, and each page asks for the action it is listed
under. Reads the page files as text: no Streamlit run."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.domain import Role
from core.staff.permissions import Action, CandidatePrincipal, StaffPrincipal, can
from core.ui.navigation import STAFF_PAGES, StaffPage, pages_for, sections_for

REPO = Path(__file__).resolve().parents[3]
REQUIRE = re.compile(r"^\w+ = require\(Action\.(\w+)\)|^require\(Action\.(\w+)\)", re.MULTILINE)


def _required(path: Path) -> list[Action]:
    return [Action[a or b] for a, b in REQUIRE.findall(path.read_text(encoding="utf-8"))]


@pytest.mark.parametrize("page", STAFF_PAGES, ids=[p.path for p in STAFF_PAGES])
def test_each_page_requires_the_action_it_is_listed_under(page: StaffPage) -> None:
    assert _required(REPO / page.path) == [page.action]


def test_every_staff_page_is_in_the_menu() -> None:
    staff_files = {
        f"pages/{p.name}"
        for p in (REPO / "pages").glob("*.py")
        if p.name not in {"interview.py", "login.py"}  # candidates' page, sign-in
    }
    assert staff_files == {p.path for p in STAFF_PAGES}


def test_no_page_checks_roles_itself() -> None:
    for path in (REPO / "pages").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "require_role" not in text and "Role.ADMIN" not in text, path


@pytest.mark.parametrize("role", list(Role))
def test_menu_lists_a_page_iff_the_role_may(role: Role) -> None:
    principal = StaffPrincipal(user_id=1, role=role)
    listed = {p.path for p in pages_for(principal)}
    assert listed == {p.path for p in STAFF_PAGES if can(principal, p.action)}


def test_menus_by_role() -> None:
    def titles(role: Role) -> list[str]:
        return [p.title for p in pages_for(StaffPrincipal(user_id=1, role=role))]

    recruiter = [
        "Interviews", "Candidates", "Jobs", "Templates", "Schedule", "Email outbox",
        "Review", "Analytics", "My account",
    ]  # fmt: skip
    assert titles(Role.RECRUITER) == recruiter
    assert titles(Role.HIRING_MANAGER) == ["Review", "Analytics", "My account"]
    assert titles(Role.ADMIN) == [*recruiter[:-1], "Users & audit", "Integrations", "My account"]
    manager = sections_for(StaffPrincipal(user_id=1, role=Role.HIRING_MANAGER))
    assert list(manager) == ["Review", "Insights", "Account"]


def test_no_menu_for_nobody_or_a_candidate() -> None:
    assert pages_for(None) == []
    assert pages_for(CandidatePrincipal(interview_id=1)) == []
