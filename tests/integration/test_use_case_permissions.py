"""Every staff use case that changes scheduling, recruiting or the outbox asks core's permission
table itself, so pages, the command line and the HTTP API get one answer.

Table-driven: for each use case, a hiring manager (and a candidate holding a link) is refused
with ``PermissionDenied`` and nothing is written — every table and every file under the data
directory is as it was — while a recruiter succeeds. The trusted operator (no principal) is
covered by the subject tests, which pass none. Runs on a private SQLite file; no Streamlit.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from core.config import Settings
from core.db.base import Base
from core.db.engine import Database
from core.db.models import Booking, Candidate, EmailOutbox, Interview, InterviewTemplate, Job, Slot
from core.domain import BookingStatus, Difficulty, InterviewType, Role
from core.errors import PermissionDenied
from core.mail import outbox
from core.mail.queue import DEFAULT_POLICY, claim_next, mark_sent
from core.recruiting import candidates, jobs, template_admin
from core.recruiting.candidates import CandidateInput
from core.recruiting.jobs import JobInput
from core.recruiting.template_admin import TemplateQuestion, TemplateSpec
from core.recruiting.templates import InterviewOptions
from core.scheduling import booking, link_resend, slots
from core.staff.permissions import (
    ROLE_ACTIONS,
    Action,
    CandidatePrincipal,
    Principal,
    StaffPrincipal,
    staff_principal,
)
from tests.support.factories import (
    make_candidate,
    make_interview,
    make_job,
    make_template,
    make_user,
)

NOW = datetime(2026, 1, 5, 6, 0, tzinfo=UTC)
START = NOW + timedelta(days=1)
LATER = NOW + timedelta(minutes=5)

Ids = dict[str, int]


@dataclass(frozen=True)
class Env:
    db: Database
    settings: Settings
    ids: Ids
    actor_id: int | None


@dataclass(frozen=True)
class Case:
    name: str
    setup: Callable[[Database, Settings], Ids]
    act: Callable[[Env, Principal], object]
    done: Callable[[Env], bool]  # what the recruiter's call must have changed


# Setups (they run as the operator: no principal) -------------------------------------------
def _nothing(db: Database, settings: Settings) -> Ids:
    return {}


def _slot(db: Database, start: datetime = START) -> int:
    made = slots.create_slots(db, [(start, start + timedelta(minutes=45))], capacity=2, now=NOW)
    return made[0].id


def _a_slot(db: Database, settings: Settings) -> Ids:
    return {"slot": _slot(db)}


def _a_slot_and_an_interview(db: Database, settings: Settings) -> Ids:
    return {"slot": _slot(db), "interview": make_interview(db)}


def _booked(db: Database, settings: Settings) -> Ids:
    ids = _a_slot_and_an_interview(db, settings)
    done = booking.book(db, settings, interview_id=ids["interview"], slot_id=ids["slot"], now=NOW)
    other = _slot(db, START + timedelta(hours=2))
    return {**ids, "booking": done.booking_id, "outbox": done.outbox_id, "other_slot": other}


def _booked_and_delivered(db: Database, settings: Settings) -> Ids:
    """A booking whose invitation went out: the outbox no longer keeps its link, so sending it
    again issues a new one (``link_resend``)."""
    ids = _booked(db, settings)
    claimed = claim_next(db, NOW, DEFAULT_POLICY)
    assert claimed is not None and claimed.id == ids["outbox"]
    assert mark_sent(db, claimed, NOW)
    return ids


def _a_candidate(db: Database, settings: Settings) -> Ids:
    return {"candidate": make_candidate(db)}


def _a_job(db: Database, settings: Settings) -> Ids:
    return {"job": make_job(db)}


def _a_template(db: Database, settings: Settings) -> Ids:
    return {"template": make_template(db)}


def _a_template_and_a_candidate(db: Database, settings: Settings) -> Ids:
    return {"template": make_template(db), "candidate": make_candidate(db)}


# Inputs and checks ---------------------------------------------------------------------------
SPEC = TemplateSpec(
    title="Permissions screen",
    interview_type=InterviewType.TECHNICAL,
    difficulty=Difficulty.MEDIUM,
    questions=[TemplateQuestion(question_text="What does a permission table hold?")],
)
TEMPLATE_FILE = json.dumps(
    {
        "format": template_admin.EXPORT_FORMAT,
        "version": template_admin.EXPORT_VERSION,
        "template": SPEC.model_dump(mode="json"),
    }
).encode()
PERSON = CandidateInput(full_name="Nadia Permission", email="nadia@example.com")


def _count(env: Env, model: type[Base]) -> int:
    with env.db.read() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def _get(env: Env, model: type[Any], key: str) -> Any:
    with env.db.read() as s:
        return s.get(model, env.ids[key])


def _booking(env: Env) -> Booking:
    found = _get(env, Booking, "booking")
    assert found is not None
    return found


def _resend_with_new_link(env: Env, p: Principal) -> int:
    with env.db.write() as session:
        return link_resend.resend_with_new_link(
            session,
            env.settings,
            interview_id=env.ids["interview"],
            kind="invitation",
            now=LATER,
            actor_id=env.actor_id,
            principal=p,
        )


CASES = [
    # core/scheduling → MANAGE_SCHEDULE
    Case(
        "slots.create_slots",
        _nothing,
        lambda e, p: slots.create_slots(
            e.db,
            [(START, START + timedelta(minutes=30))],
            capacity=1,
            now=NOW,
            actor_id=e.actor_id,
            principal=p,
        ),
        lambda e: _count(e, Slot) == 1,
    ),
    Case(
        "slots.delete_slot",
        _a_slot,
        lambda e, p: slots.delete_slot(e.db, e.ids["slot"], actor_id=e.actor_id, principal=p),
        lambda e: _get(e, Slot, "slot") is None,
    ),
    Case(
        "booking.book",
        _a_slot_and_an_interview,
        lambda e, p: booking.book(
            e.db,
            e.settings,
            interview_id=e.ids["interview"],
            slot_id=e.ids["slot"],
            now=NOW,
            actor_id=e.actor_id,
            principal=p,
        ),
        lambda e: _count(e, Booking) == 1,
    ),
    Case(
        "booking.reschedule",
        _booked,
        lambda e, p: booking.reschedule(
            e.db,
            e.settings,
            booking_id=e.ids["booking"],
            new_slot_id=e.ids["other_slot"],
            now=NOW,
            actor_id=e.actor_id,
            principal=p,
        ),
        lambda e: _booking(e).slot_id == e.ids["other_slot"],
    ),
    Case(
        "booking.cancel",
        _booked,
        lambda e, p: booking.cancel(
            e.db,
            e.settings,
            booking_id=e.ids["booking"],
            now=NOW,
            actor_id=e.actor_id,
            cancel_interview=True,
            principal=p,
        ),
        lambda e: _booking(e).status is BookingStatus.CANCELLED,
    ),
    # the outbox's "send again" → MANAGE_OUTBOX (link_resend is its step that issues a link)
    Case(
        "link_resend.resend_with_new_link",
        _booked_and_delivered,
        _resend_with_new_link,
        lambda e: _count(e, EmailOutbox) == 2,
    ),
    Case(
        "outbox.resend",
        _booked_and_delivered,
        lambda e, p: outbox.resend(
            e.db, e.ids["outbox"], LATER, settings=e.settings, actor_id=e.actor_id, principal=p
        ),
        lambda e: _count(e, EmailOutbox) == 2,
    ),
    # core/recruiting/candidates → MANAGE_CANDIDATES
    Case(
        "candidates.create_candidate",
        _nothing,
        lambda e, p: candidates.create_candidate(e.db, PERSON, actor_id=e.actor_id, principal=p),
        lambda e: _count(e, Candidate) == 1,
    ),
    Case(
        "candidates.update_candidate",
        _a_candidate,
        lambda e, p: candidates.update_candidate(
            e.db, e.ids["candidate"], PERSON, actor_id=e.actor_id, principal=p
        ),
        lambda e: _get(e, Candidate, "candidate").email == PERSON.email,
    ),
    Case(
        "candidates.delete_candidate",
        _a_candidate,
        lambda e, p: candidates.delete_candidate(
            e.db, e.settings, e.ids["candidate"], actor_id=e.actor_id, principal=p
        ),
        lambda e: _get(e, Candidate, "candidate") is None,
    ),
    Case(
        "candidates.attach_resume",
        _a_candidate,
        lambda e, p: candidates.attach_resume(
            e.db,
            e.settings,
            e.ids["candidate"],
            "cv.txt",
            b"Ten years of permission tables.",
            actor_id=e.actor_id,
            principal=p,
        ),
        lambda e: bool(_get(e, Candidate, "candidate").resume_path),
    ),
    Case(
        "candidates.import_candidates_csv",
        _nothing,
        lambda e, p: candidates.import_candidates_csv(
            e.db, b"full_name,email\nAna Import,ana@example.com\n", actor_id=e.actor_id, principal=p
        ),
        lambda e: _count(e, Candidate) == 1,
    ),
    # core/recruiting/jobs → MANAGE_JOBS
    Case(
        "jobs.create_job",
        _nothing,
        lambda e, p: jobs.create_job(
            e.db, JobInput(title="Auditor"), actor_id=e.actor_id, principal=p
        ),
        lambda e: _count(e, Job) == 1,
    ),
    Case(
        "jobs.update_job",
        _a_job,
        lambda e, p: jobs.update_job(
            e.db, e.ids["job"], JobInput(title="Auditor"), actor_id=e.actor_id, principal=p
        ),
        lambda e: _get(e, Job, "job").title == "Auditor",
    ),
    Case(
        "jobs.set_job_active",
        _a_job,
        lambda e, p: jobs.set_job_active(
            e.db, e.ids["job"], False, actor_id=e.actor_id, principal=p
        ),
        lambda e: not _get(e, Job, "job").is_active,
    ),
    # core/recruiting/template_admin → MANAGE_TEMPLATES (use_template too: the Templates page)
    Case(
        "template_admin.create_template",
        _nothing,
        lambda e, p: template_admin.create_template(e.db, SPEC, actor_id=e.actor_id, principal=p),
        lambda e: _count(e, InterviewTemplate) == 1,
    ),
    Case(
        "template_admin.update_template",
        _a_template,
        lambda e, p: template_admin.update_template(
            e.db, e.ids["template"], SPEC, actor_id=e.actor_id, principal=p
        ),
        lambda e: _get(e, InterviewTemplate, "template").title == SPEC.title,
    ),
    Case(
        "template_admin.set_template_active",
        _a_template,
        lambda e, p: template_admin.set_template_active(
            e.db, e.ids["template"], False, actor_id=e.actor_id, principal=p
        ),
        lambda e: not _get(e, InterviewTemplate, "template").is_active,
    ),
    Case(
        "template_admin.duplicate_template",
        _a_template,
        lambda e, p: template_admin.duplicate_template(
            e.db, e.ids["template"], actor_id=e.actor_id, principal=p
        ),
        lambda e: _count(e, InterviewTemplate) == 2,
    ),
    Case(
        "template_admin.import_template_json",
        _nothing,
        lambda e, p: template_admin.import_template_json(
            e.db, TEMPLATE_FILE, actor_id=e.actor_id, principal=p
        ),
        lambda e: _count(e, InterviewTemplate) == 1,
    ),
    Case(
        "template_admin.use_template",
        _a_template_and_a_candidate,
        lambda e, p: template_admin.use_template(
            e.db,
            e.ids["template"],
            e.ids["candidate"],
            None,
            InterviewOptions(created_by_id=e.actor_id),
            principal=p,
        ),
        lambda e: _count(e, Interview) == 1,
    ),
]


def _state(db: Database, data_dir: Path) -> tuple[dict[str, list[str]], list[str]]:
    """Every row of every table, and every file under the data directory but the database's."""
    with db.read() as s:
        tables = {
            table.name: sorted(repr(tuple(row)) for row in s.execute(select(table)))
            for table in Base.metadata.sorted_tables
        }
    files = sorted(
        str(path.relative_to(data_dir))
        for path in data_dir.rglob("*")
        if path.is_file() and not path.name.startswith("app.db")
    )
    return tables, files


REFUSED: dict[str, Callable[[Database, Ids], Principal]] = {
    "hiring_manager": lambda db, ids: staff_principal(make_user(db, Role.HIRING_MANAGER)),
    # a candidate whose link opens the very interview concerned, where there is one
    "candidate": lambda db, ids: CandidatePrincipal(interview_id=ids.get("interview", 1)),
}


@pytest.mark.parametrize("who", list(REFUSED))
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_refused_and_nothing_is_written(
    db: Database, settings: Settings, case: Case, who: str
) -> None:
    ids = case.setup(db, settings)
    principal = REFUSED[who](db, ids)
    actor_id = principal.user_id if isinstance(principal, StaffPrincipal) else None
    before = _state(db, settings.data_dir)
    with pytest.raises(PermissionDenied) as refused:
        case.act(Env(db, settings, ids, actor_id), principal)
    assert refused.value.code == "permission_denied"
    if who == "hiring_manager":
        assert "Hiring manager" in str(refused.value)
    assert _state(db, settings.data_dir) == before


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_recruiter_may(db: Database, settings: Settings, case: Case) -> None:
    ids = case.setup(db, settings)
    recruiter = staff_principal(make_user(db, Role.RECRUITER))
    env = Env(db, settings, ids, recruiter.user_id)
    before = _state(db, settings.data_dir)
    case.act(env, recruiter)
    assert case.done(env), case.name
    assert _state(db, settings.data_dir) != before


def test_deleting_a_candidate_needs_the_right_to_erase_interviews_too(
    db: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Candidates page's delete goes through ``delete_candidate``, which hands the principal
    to the erasure: a role allowed candidates but not erasure is refused there, and nothing
    goes."""
    monkeypatch.setitem(ROLE_ACTIONS, Role.HIRING_MANAGER, frozenset({Action.MANAGE_CANDIDATES}))
    cid = make_candidate(db)
    iid = make_interview(db, candidate_id=cid)
    manager = staff_principal(make_user(db, Role.HIRING_MANAGER))
    candidates.create_candidate(db, PERSON, actor_id=manager.user_id, principal=manager)  # allowed
    with pytest.raises(PermissionDenied):
        candidates.delete_candidate(db, settings, cid, actor_id=manager.user_id, principal=manager)
    with db.read() as s:
        assert s.get(Candidate, cid) is not None and s.get(Interview, iid) is not None
