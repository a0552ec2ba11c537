"""Recruiter workspace pages driven through their forms, asserting on what the page shows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from core.config import get_settings
from core.db.engine import Database
from core.db.models import AuditLog, Booking, Candidate, EmailOutbox, Job
from core.domain import Role
from core.mail.outbox import list_outbox
from core.mail.queue import DEFAULT_POLICY, claim_next, mark_sent
from core.scheduling.booking import book, cancel
from core.scheduling.slots import create_slots
from tests.support.apptest import REPO, sign_in_as, texts
from tests.support.factories import make_interview, make_user


def _page(db: Database, page: str) -> AppTest:
    at = AppTest.from_file(str(REPO / page), default_timeout=30)
    sign_in_as(at, make_user(db, Role.RECRUITER).id)
    return at.run()


def _button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def test_create_candidate_from_the_form(
    open_app: Callable[..., AppTest], app_env: Database
) -> None:
    at = _page(app_env, "pages/candidates.py")
    inputs = {t.label: t for t in at.text_input}
    inputs["Full name"].input("Priya Natarajan")
    inputs["Email"].input("priya.n@example.com")
    _button(at, "Add candidate").click().run()
    assert any("Added Priya Natarajan." in s.value for s in at.success), texts(at)
    with app_env.read() as s:
        assert s.scalars(select(Candidate).where(Candidate.email == "priya.n@example.com")).one()


def test_bad_candidate_email_is_refused(
    open_app: Callable[..., AppTest], app_env: Database
) -> None:
    at = _page(app_env, "pages/candidates.py")
    inputs = {t.label: t for t in at.text_input}
    inputs["Full name"].input("No Email")
    inputs["Email"].input("not an email")
    _button(at, "Add candidate").click().run()
    assert at.error and "email" in at.error[0].value.lower()


def test_create_job_from_the_form(open_app: Callable[..., AppTest], app_env: Database) -> None:
    at = _page(app_env, "pages/jobs.py")
    inputs = {}
    for t in at.text_input:  # the "New job" form comes first; the edit form repeats labels
        inputs.setdefault(t.label, t)
    inputs["Title"].input("Ruby Developer")
    inputs["Company"].input("Gemworks")
    at.selectbox[0].select_index(4)  # RUBY
    _button(at, "Create job").click().run()
    assert any("Created Ruby Developer." in s.value for s in at.success), texts(at)
    with app_env.read() as s:
        job = s.scalars(select(Job).where(Job.title == "Ruby Developer")).one()
    assert job.coding_language == "RUBY"


def test_book_a_slot_and_see_the_outbox(
    open_app: Callable[..., AppTest], app_env: Database
) -> None:
    start = datetime.now(UTC) + timedelta(days=2)
    create_slots(
        app_env, [(start, start + timedelta(minutes=45))], capacity=2, now=datetime.now(UTC)
    )
    interview = make_interview(app_env)
    at = _page(app_env, "pages/schedule.py")
    interview_box = next(s for s in at.selectbox if s.label == "Interview")
    interview_box.select(next(o for o in interview_box.options if o.startswith(f"#{interview} ")))
    _button(at, "Book and send invitation").click().run()
    assert any("Booked." in s.value for s in at.success), texts(at)
    assert any("/interview?key=" in c.value for c in at.code)
    with app_env.read() as s:
        assert s.scalars(select(Booking).where(Booking.interview_id == interview)).one()
    outbox = _page(app_env, "pages/outbox.py")
    content = texts(outbox) + outbox.dataframe[0].value.to_string()
    assert "No SMTP server is configured" in content
    assert "invitation" in content.lower() and "Queued" in content


def test_full_slot_is_refused_with_its_cause(
    open_app: Callable[..., AppTest], app_env: Database
) -> None:
    start = datetime.now(UTC) + timedelta(days=2)
    slot = create_slots(
        app_env, [(start, start + timedelta(minutes=45))], capacity=1, now=datetime.now(UTC)
    )[0]
    book(
        app_env,
        get_settings(),
        interview_id=make_interview(app_env),
        slot_id=slot.id,
        now=datetime.now(UTC),
    )
    at = _page(app_env, "pages/schedule.py")
    assert "an upcoming slot with a free place" in texts(at)


def test_template_list_and_duplicate(open_app: Callable[..., AppTest], app_env: Database) -> None:
    at = _page(app_env, "pages/templates.py")
    assert "Python Backend Engineer" in at.dataframe[0].value.to_string()
    _button(at, "Duplicate").click().run()
    assert any("Copy of" in s.value for s in at.success)


def test_outbox_lists_seeded_invitation(
    open_app: Callable[..., AppTest], app_env: Database
) -> None:
    with app_env.read() as s:
        subjects = list(s.scalars(select(EmailOutbox.subject)))
    assert len(subjects) == 1  # the demo booking went through the real booking service
    at = _page(app_env, "pages/outbox.py")
    assert subjects[0] in at.dataframe[0].value.to_string()
    assert "No messages." not in texts(at)


def _delivered_invitation(db: Database) -> tuple[str, int, int]:
    """A booking whose invitation went out (claimed and marked sent, as the worker does)."""
    now = datetime.now(UTC)
    start = now + timedelta(days=2)
    slot = create_slots(db, [(start, start + timedelta(minutes=45))], capacity=2, now=now)[0]
    result = book(db, get_settings(), interview_id=make_interview(db), slot_id=slot.id, now=now)
    while (message := claim_next(db, now, DEFAULT_POLICY)) is not None:
        mark_sent(db, message, now)
    assert result.link
    [sent] = [m for m in list_outbox(db) if m.interview_id == result.interview_id]
    assert sent.status == "sent"
    return result.link, result.booking_id, sent.id


def _option(options: list[str], outbox_id: int) -> int:
    return next(i for i, o in enumerate(options) if o.startswith(f"#{outbox_id} "))


def _send_again(db: Database, subject_id: int) -> AppTest:
    at = _page(db, "pages/outbox.py")
    box = next(s for s in at.selectbox if s.label == "Message")
    box.select_index(_option(box.options, subject_id)).run()
    return _button(at, "Send again").click().run()


def test_a_delivered_invitation_shows_no_link_and_sending_it_again_issues_one(
    open_app: Callable[..., AppTest], app_env: Database
) -> None:
    link, _, sent_id = _delivered_invitation(app_env)
    at = _page(app_env, "pages/outbox.py")
    box = next(s for s in at.selectbox if s.label == "Message")
    at = box.select_index(_option(box.options, sent_id)).run()
    shown = texts(at)
    assert link.split("key=")[1] not in shown and "delivered, not kept" in shown
    at = _send_again(app_env, sent_id)
    assert any("Queued again as #" in s.value for s in at.success), texts(at)
    with app_env.read() as s:  # the new link is audited with the recruiter who asked for it
        entry = s.scalars(select(AuditLog).where(AuditLog.action == "booking.link_reissued")).one()
    assert entry.actor_id == at.session_state["user_id"]


def test_sending_again_after_a_cancellation_says_why_not(
    open_app: Callable[..., AppTest], app_env: Database
) -> None:
    _, booking_id, sent_id = _delivered_invitation(app_env)
    cancel(app_env, get_settings(), booking_id=booking_id, now=datetime.now(UTC))
    at = _send_again(app_env, sent_id)
    assert any("no active booking" in e.value for e in at.error), texts(at)
    assert not at.success
