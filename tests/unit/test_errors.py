"""One error hierarchy: every use case's error is an IntervistaError with its own stable code."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from core.errors import Conflict, IntervistaError, NotFound, PermissionDenied, error_payload

# The modules whose errors the pages and the HTTP API report: every module of core that defines
# an error class (found by reading the source, so a new one is never left out).
_ERROR_CLASS = re.compile(
    r"^class \w+\([^)]*(Error|Unavailable|NotFound|PermissionDenied|Conflict)\b", re.M
)
CORE = Path(__file__).resolve().parents[2] / "core"
MODULES = sorted(
    ".".join(path.relative_to(CORE.parent).with_suffix("").parts)
    for path in CORE.rglob("*.py")
    if path.name != "errors.py" and _ERROR_CLASS.search(path.read_text(encoding="utf-8"))
)
EXPECTED = {
    "FlowError": "interview_flow",
    "BookingError": "booking_refused",
    "EvaluationError": "evaluation_failed",
    "SandboxUnavailable": "sandbox_unavailable",
    "DatabaseUnavailable": "database_unavailable",
    "AuthError": "auth_refused",
    "ResumeError": "resume_invalid",
    "InvitationError": "invitation_refused",
    "DeadlineError": "invitation_deadline_invalid",
}


def _all_subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_all_subclasses(sub)}
    return found


@pytest.fixture(scope="module")
def errors() -> dict[str, type[IntervistaError]]:
    for name in MODULES:
        importlib.import_module(name)
    return {c.__name__: c for c in _all_subclasses(IntervistaError)}


def test_every_use_case_error_has_its_own_stable_code(errors) -> None:
    assert set(EXPECTED) <= set(errors)
    for name, code in EXPECTED.items():
        assert errors[name].code == code
    codes = [c.code for c in errors.values()]
    assert all(code and code != "error" for code in codes)
    assert len(codes) == len(set(codes)), sorted(codes)


@pytest.mark.parametrize(
    ("error", "code", "status"),
    [
        (NotFound("No such interview."), "not_found", 404),
        (PermissionDenied("No."), "permission_denied", 403),
        (Conflict("Already booked."), "conflict", 409),
        (IntervistaError("Odd.", code="custom_code"), "custom_code", 400),
    ],
)
def test_the_payload_is_the_same_for_every_entry_point(error, code, status) -> None:
    assert error.code == code and error.status == status
    assert error_payload(error) == {"code": code, "message": str(error)}


def test_subject_errors_keep_their_older_base(errors) -> None:
    assert issubclass(errors["FlowError"], ValueError)
    assert issubclass(errors["SandboxUnavailable"], RuntimeError)
    assert issubclass(errors["ResumeError"], errors["CandidateError"])
    assert issubclass(errors["ResumeError"], errors["DocumentError"])


def test_the_module_list_is_found() -> None:
    assert "core.coding.custom_run" in MODULES and "core.scheduling.booking" in MODULES
    assert len(MODULES) >= 20
