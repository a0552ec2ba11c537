"""Greenhouse's ``send_test``: order one of our tests for a candidate (see ``greenhouse``).

One transaction: the candidate (found by email, else created), the interview built from the
template, an on-demand invitation (the link works until the deadline; its email is queued in the
outbox for the mail worker) and a ``GreenhouseOrder`` holding the random ``partner_interview_id``
we answer with and the callback URL to PATCH once the test is complete.

Retries: Greenhouse may send the same ``send_test`` again when our answer was lost. The same
candidate email, test and callback URL within ``RETRY_WINDOW`` of an earlier order is taken for
a retry and answered with that order's ``partner_interview_id`` (no second interview, no second
email). After the window, the same request orders a new test.
"""

from __future__ import annotations

import logging
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.config import Settings
from core.db.models import Candidate, GreenhouseOrder, Interview, InterviewTemplate
from core.db.uow import Tx, UnitOfWork, writing
from core.errors import Conflict, IntervistaError, NotFound
from core.integrations.greenhouse import ACTOR_LABEL, require_partner
from core.recruiting.candidate_rows import CandidateError, normalise_email, validate_candidate
from core.recruiting.candidates import CandidateInput
from core.recruiting.templates import InterviewOptions, create_interview_from_template
from core.scheduling.invitations import invite_on_demand
from core.staff.audit import record_audit
from core.staff.permissions import Principal

logger = logging.getLogger(__name__)

#: A ``send_test`` repeating an order this recent is a retry (see the module).
RETRY_WINDOW = timedelta(minutes=15)
MAX_URL_CHARS = 2000
_ID_DIGITS = re.compile(r"^[0-9]{1,18}$")


class GreenhouseError(IntervistaError, ValueError):
    """A ``send_test`` Greenhouse must change before sending again: 422 with a stable code."""

    code = "greenhouse_invalid"
    status = 422


class UnknownTest(NotFound):
    """No test of ours has this ``partner_test_id`` (or it is not offered to Greenhouse)."""

    code = "unknown_partner_test_id"


@dataclass(frozen=True)
class GreenhouseCandidate:
    """The candidate as Greenhouse sends them (empty strings for its nulls)."""

    first_name: str
    last_name: str
    email: str
    phone_number: str = ""
    resume_url: str = ""
    greenhouse_profile_url: str = ""


@dataclass(frozen=True)
class SentTest:
    partner_interview_id: str
    interview_id: int
    candidate_id: int
    created: bool  # False: a retry answered with the earlier order


def _template_id(partner_test_id: str) -> int:
    if not _ID_DIGITS.match(partner_test_id.strip()):
        raise UnknownTest(f"There is no test {partner_test_id!r}; call list_tests for ours.")
    return int(partner_test_id.strip())


def _callback_url(url: str) -> str:
    url = url.strip()
    try:
        parts = urlsplit(url) if len(url) <= MAX_URL_CHARS and url.isprintable() else None
    except ValueError:  # e.g. a broken IPv6 host
        parts = None
    if (
        parts is None
        or parts.scheme not in ("http", "https")
        or not parts.hostname
        or any(ch.isspace() for ch in url)
    ):
        raise GreenhouseError(
            f"url must be an http(s) URL of at most {MAX_URL_CHARS} characters.",
            code="invalid_callback_url",
        )
    return url


def _clean_candidate(c: GreenhouseCandidate) -> CandidateInput:
    """Name, email and phone as our candidate records keep them; a phone number we cannot read
    is left out rather than refusing the test."""
    try:
        email = normalise_email(c.email)
    except CandidateError as exc:
        raise GreenhouseError(str(exc), code="invalid_email") from exc
    name = " ".join(f"{c.first_name} {c.last_name}".split())[:200] or email.split("@")[0]
    try:
        return validate_candidate(CandidateInput(name, email, c.phone_number))
    except CandidateError:
        return validate_candidate(CandidateInput(name, email))


def send_test(
    db: Tx,
    settings: Settings,
    *,
    partner_test_id: str,
    candidate: GreenhouseCandidate,
    callback_url: str,
    now: datetime,
    principal: Principal | None,
) -> SentTest:
    """Order the test for the candidate (see the module): one transaction, or a retry's answer."""
    key_id = require_partner(principal)
    template_id = _template_id(partner_test_id)
    url = _callback_url(callback_url)
    person = _clean_candidate(candidate)
    profile = candidate.greenhouse_profile_url.strip()[:MAX_URL_CHARS]
    profile = profile if profile.startswith(("https://", "http://")) else ""
    order = _Order(template_id, person, url, profile, key_id, now)
    try:
        with writing(db) as session:
            return _send(db, settings, session, order)
    except IntegrityError as exc:  # a concurrent send_test created the same candidate first
        if isinstance(db, UnitOfWork):
            raise Conflict("Another request changed this candidate; send again.") from exc
    with writing(db) as session:
        return _send(db, settings, session, order)


@dataclass(frozen=True)
class _Order:
    template_id: int
    person: CandidateInput
    callback_url: str
    profile_url: str
    key_id: int | None
    now: datetime


def _send(db: Tx, settings: Settings, session: Session, order: _Order) -> SentTest:
    template = session.scalars(
        select(InterviewTemplate).where(InterviewTemplate.id == order.template_id).with_for_update()
    ).first()
    if template is None or not template.greenhouse_test:
        raise UnknownTest(f"There is no test {str(order.template_id)!r}; call list_tests.")
    if not template.is_active:
        raise GreenhouseError(
            f"The test {template.title!r} is no longer offered; call list_tests.",
            code="test_inactive",
        )
    person = order.person
    found = session.scalars(
        select(Candidate).where(func.lower(Candidate.email) == person.email).with_for_update()
    ).first()
    if found is not None:
        earlier = _retried(session, found.id, order)
        if earlier is not None:
            logger.info("Greenhouse send_test retried: answering %s again", earlier[0])
            return SentTest(earlier[0], earlier[1], found.id, created=False)
        if not found.phone and person.phone:
            found.phone = person.phone
        candidate = found
    else:
        candidate = Candidate(
            full_name=person.full_name, email=person.email, phone=person.phone, resume_text=""
        )
        session.add(candidate)
        session.flush()
        record_audit(
            session,
            None,
            "candidate.create",
            "candidate",
            candidate.id,
            {"source": "greenhouse"},
            actor_label=ACTOR_LABEL,
        )
    interview = create_interview_from_template(
        session,
        template_id=template.id,
        candidate_id=candidate.id,
        job_id=None,
        options=InterviewOptions(),
    )
    session.flush()
    # principal None: the trusted operator, after GREENHOUSE_PARTNER was checked above.
    invite_on_demand(db, settings, interview_id=interview.id, now=order.now, session=session)
    row = GreenhouseOrder(
        partner_interview_id=secrets.token_urlsafe(18),
        interview_id=interview.id,
        template_id=template.id,
        api_key_id=order.key_id,
        callback_url=order.callback_url,
        greenhouse_profile_url=order.profile_url,
        created_at=order.now,
    )
    session.add(row)
    session.flush()
    details = {"template_id": template.id, "api_key_id": order.key_id, "order_id": row.id}
    record_audit(
        session,
        None,
        "greenhouse.send_test",
        "interview",
        interview.id,
        details,
        actor_label=ACTOR_LABEL,
    )
    logger.info("Greenhouse ordered test %s: interview %s", template.id, interview.id)
    return SentTest(row.partner_interview_id, interview.id, candidate.id, created=True)


def _retried(session: Session, candidate_id: int, order: _Order) -> tuple[str, int] | None:
    o = GreenhouseOrder
    stmt = (
        select(o.partner_interview_id, o.interview_id)
        .join(Interview, Interview.id == o.interview_id)
        .where(
            Interview.candidate_id == candidate_id,
            o.template_id == order.template_id,
            o.callback_url == order.callback_url,
            o.created_at >= order.now - RETRY_WINDOW,
        )
        .order_by(o.id.desc())
        .limit(1)
    )
    found = session.execute(stmt).first()
    return (found[0], found[1]) if found is not None else None
