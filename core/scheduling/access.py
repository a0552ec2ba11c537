"""Candidates' secret links: issuing keys (stored only as hashes) and checking them on arrival.

A key opens its interview from ``join_window_before_seconds`` before to
``join_window_after_seconds`` after the scheduled start (practice interviews: any time; an
interview already in progress may always be resumed). Unknown, malformed, wrong and revoked keys
all get the same answer.

The key is looked up first: a real key is answered on its own merits whatever its address did
before (behind a proxy, or on loopback, many candidates share one address; one guesser there must
not lock the others out). Only keys that open nothing count against their address, and only they
are slowed: after ``MAX_KEY_FAILURES_PER_ADDRESS`` free failures in ``KEY_FAILURE_WINDOW`` each
further failure makes that address wait longer (2 s, doubling, at most the window) before its next
unknown key is even answered; attempts turned away are not recorded. What keeps a link secret is
its 256 random bits; the delays keep a guesser's rate (and the attempts table) small.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from core.db.models import AccessKey, AuthAttempt, Interview
from core.db.uow import Tx, reading, writing
from core.domain import AccessKeyState, InterviewStatus
from core.staff.throttle import Backoff, FailureRecord, wait_seconds

logger = logging.getLogger(__name__)

KEY_BYTES = 32  # 256 random bits
_KEY_SHAPE = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
MAX_KEY_FAILURES_PER_ADDRESS = 20  # free failures per address in the window
KEY_FAILURE_WINDOW = timedelta(minutes=15)  # failures older than this are forgotten
KEY_BACKOFF = Backoff(
    free=MAX_KEY_FAILURES_PER_ADDRESS,
    base_seconds=2.0,
    cap_seconds=KEY_FAILURE_WINDOW.total_seconds(),
)
USE_RECORD_INTERVAL = timedelta(minutes=1)


class AccessStatus(StrEnum):
    OPEN = "open"
    EARLY = "early"
    LATE = "late"
    INVALID = "invalid"  # unknown, malformed, wrong or revoked: one answer for all
    # an invalid key from an address that must wait first (a real key is never throttled)
    CANCELLED = "cancelled"
    COMPLETED = "completed"
    EXPIRED = "expired"
    THROTTLED = "throttled"


@dataclass(frozen=True)
class AccessDecision:
    status: AccessStatus
    interview_id: int | None = None
    scheduled_at: datetime | None = None
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    retry_after_seconds: int = 0  # THROTTLED: how long the address must wait

    @property
    def allowed(self) -> bool:
        return self.status is AccessStatus.OPEN


@dataclass(frozen=True)
class JoinWindow:
    before_seconds: int
    after_seconds: int


def hash_key(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode("utf-8")).hexdigest()


def new_raw_key() -> str:
    return secrets.token_urlsafe(KEY_BYTES)


def issue_key(session: Session, interview_id: int, expires_at: datetime) -> str:
    """Revoke the interview's previous keys and create a new one; return the raw key once."""
    session.execute(
        update(AccessKey)
        .where(AccessKey.interview_id == interview_id, AccessKey.state == AccessKeyState.ACTIVE)
        .values(state=AccessKeyState.REVOKED)
    )
    raw = new_raw_key()
    session.add(AccessKey(interview_id=interview_id, key_hash=hash_key(raw), expires_at=expires_at))
    return raw


def revoke_keys(session: Session, interview_id: int, state: AccessKeyState) -> None:
    session.execute(
        update(AccessKey)
        .where(AccessKey.interview_id == interview_id, AccessKey.state == AccessKeyState.ACTIVE)
        .values(state=state)
    )


def interview_link(public_base_url: str, raw_key: str) -> str:
    return f"{public_base_url.rstrip('/')}/interview?key={raw_key}"


def _failures_from(session: Session, address: str, now: datetime) -> FailureRecord:
    """The address's recent failed keys: how many, and when the last one came."""
    stmt = select(func.count(AuthAttempt.id), func.max(AuthAttempt.at)).where(
        AuthAttempt.kind == "access_key",
        AuthAttempt.address == address,
        AuthAttempt.succeeded.is_(False),
        AuthAttempt.at >= now - KEY_FAILURE_WINDOW,
    )
    count, last = session.execute(stmt).one()
    return FailureRecord(int(count or 0), last)


def _decide(
    interview: Interview, key: AccessKey, now: datetime, window: JoinWindow
) -> AccessDecision:
    status = InterviewStatus(interview.status)

    def decision(
        outcome: AccessStatus, opens_at: datetime | None = None, closes_at: datetime | None = None
    ) -> AccessDecision:
        return AccessDecision(
            outcome,
            interview_id=interview.id,
            scheduled_at=interview.scheduled_at,
            opens_at=opens_at,
            closes_at=closes_at,
        )

    if status is InterviewStatus.CANCELLED:
        return decision(AccessStatus.CANCELLED)
    if status is InterviewStatus.COMPLETED or key.state == AccessKeyState.USED:
        return decision(AccessStatus.COMPLETED)
    if status is InterviewStatus.EXPIRED or key.expires_at <= now:
        return decision(AccessStatus.EXPIRED)
    if status is InterviewStatus.IN_PROGRESS or interview.is_practice:
        return decision(AccessStatus.OPEN)
    if interview.open_until is not None:  # an on-demand invitation: any time until then
        if now > interview.open_until:
            return decision(AccessStatus.EXPIRED)
        return decision(AccessStatus.OPEN, closes_at=interview.open_until)
    if interview.scheduled_at is None:
        return decision(AccessStatus.EXPIRED)
    opens = interview.scheduled_at - timedelta(seconds=window.before_seconds)
    closes = interview.scheduled_at + timedelta(seconds=window.after_seconds)
    if now < opens:
        return decision(AccessStatus.EARLY, opens, closes)
    if now > closes:
        return decision(AccessStatus.LATE, opens, closes)
    return decision(AccessStatus.OPEN, opens, closes)


def check_key(
    db: Tx, raw_key: str | None, *, now: datetime, address: str, window: JoinWindow
) -> AccessDecision:
    """Decide whether this key opens its interview now.

    Runs on every rerun of the candidate's page, so the common case only reads: a failed
    attempt is recorded (unless its address was told to wait), and a successful use at most
    once a minute.
    """
    address = (address or "unknown")[:64]
    with reading(db) as session:
        row = None
        if raw_key and _KEY_SHAPE.match(raw_key):
            row = session.execute(
                select(AccessKey, Interview)
                .join(Interview, Interview.id == AccessKey.interview_id)
                .where(AccessKey.key_hash == hash_key(raw_key))
            ).first()
        if row is None or row[0].state == AccessKeyState.REVOKED:
            wait = wait_seconds(KEY_BACKOFF, _failures_from(session, address, now), now)
            if wait > 0:  # neither answered nor recorded: waiting is the whole answer
                logger.warning("unknown access keys from %s delayed %ss", address, wait)
                return AccessDecision(AccessStatus.THROTTLED, retry_after_seconds=wait)
            decision, key_id, last_used = AccessDecision(AccessStatus.INVALID), None, None
        else:  # a real key: its address's failures do not matter
            decision = _decide(row[1], row[0], now, window)
            key_id, last_used = row[0].id, row[0].last_used_at
    if decision.status is AccessStatus.INVALID:
        with writing(db) as session:
            session.add(AuthAttempt(kind="access_key", address=address, succeeded=False, at=now))
    elif decision.allowed and (last_used is None or now - last_used >= USE_RECORD_INTERVAL):
        with writing(db) as session:
            session.execute(
                update(AccessKey)
                .where(AccessKey.id == key_id)
                .values(last_used_at=now, use_count=AccessKey.use_count + 1)
            )
    return decision
