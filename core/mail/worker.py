"""The mail worker: delivers due outbox rows, retries with back-off, never loses a message.

``process_due`` is one pass (CLI ``--once``, tests); ``start_mail_worker`` runs passes on a
daemon thread, one per process and database. See ``core.mail.queue`` for the claim protocol.
"""

from __future__ import annotations

import logging
import os
import threading
from datetime import datetime

from core.clock import Clock, SystemClock
from core.config import Settings, get_settings
from core.db.engine import Database
from core.mail.mime import build_mime
from core.mail.queue import (
    DEFAULT_POLICY,
    OutboxError,
    RetryPolicy,
    claim_next,
    enqueue,
    fail_exhausted_leases,
    has_work,
    mark_not_sent,
    mark_sent,
)
from core.mail.secret_link import needs_link
from core.mail.transport import MailTransport, build_transport, describe_error, is_permanent

logger = logging.getLogger(__name__)
LINK_GONE = "the candidate's link is no longer kept; Send again issues a new link"

__all__ = [
    "MailTransport",
    "MailWorker",
    "OutboxError",
    "RetryPolicy",
    "build_transport",
    "enqueue",
    "policy_for",
    "process_due",
    "start_mail_worker",
]


def policy_for(settings: Settings) -> RetryPolicy:
    """The default policy with a lease long enough for a slow SMTP exchange."""
    lease = max(DEFAULT_POLICY.lease_seconds, 10 * settings.smtp_timeout_seconds)
    return RetryPolicy(lease_seconds=lease)


def process_due(
    db: Database,
    transport: MailTransport,
    now: datetime,
    *,
    batch: int = 20,
    settings: Settings | None = None,
    policy: RetryPolicy | None = None,
    clock: Clock | None = None,
) -> int:
    """Send up to ``batch`` due messages, one claim at a time; return how many were sent.

    Runs on the calling thread (the worker thread or the CLI). Transport errors are recorded on
    the row (attempts, last_error, next_attempt_at) and never raised; database errors are raised
    (a row left 'sending' is retried once its lease expires). ``settings`` gives ``mail_from``
    (defaults to the process settings). With a ``clock``, each message is claimed and recorded
    at the clock's current time (long batches keep fresh leases); otherwise at ``now``.
    """
    settings = settings or get_settings()
    policy = policy or policy_for(settings)

    def current() -> datetime:
        return clock.now() if clock else now

    if not has_work(db, current(), policy):
        return 0
    exhausted = fail_exhausted_leases(db, current(), policy)
    if exhausted:
        logger.error("%d message(s) failed: their worker died while sending", exhausted)
    sent = 0
    for _ in range(max(0, batch)):
        message = claim_next(db, current(), policy)
        if message is None:
            break
        if needs_link(message.body_text, message.ics_content):  # its link is gone: never send
            mark_not_sent(db, message, current(), LINK_GONE, permanent=True, policy=policy)
            logger.error("outbox #%d not sent: %s", message.id, LINK_GONE)
            continue
        try:
            transport.send(build_mime(message, settings.mail_from))
        except Exception as exc:
            error = describe_error(exc)
            permanent = is_permanent(exc)
            status = mark_not_sent(
                db, message, current(), error, permanent=permanent, policy=policy
            )
            logger.warning(
                "outbox #%d %s not sent (attempt %d): %s -> %s",
                message.id,
                message.message_id,
                message.attempts,
                error,
                status.value if status else "taken over by another worker",
            )
            continue
        if not mark_sent(db, message, current()):
            logger.warning("outbox #%d was already marked sent by another worker", message.id)
        logger.info("outbox #%d (%s) sent, attempt %d", message.id, message.kind, message.attempts)
        sent += 1
    return sent


class MailWorker:
    """A daemon thread calling ``process_due`` every ``interval_seconds`` (or when woken)."""

    def __init__(
        self,
        db: Database,
        transport: MailTransport,
        settings: Settings,
        *,
        interval_seconds: float = 5.0,
        clock: Clock | None = None,
        policy: RetryPolicy | None = None,
    ) -> None:
        self.db = db
        self.transport = transport
        self.settings = settings
        self.interval_seconds = interval_seconds
        self.clock = clock or SystemClock()
        self.policy = policy or policy_for(settings)
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._run, name="mail-worker", daemon=True)
        self.passes = 0
        self.last_error = ""

    def start(self) -> MailWorker:
        self._thread.start()
        return self

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def wake(self) -> None:
        """Process now instead of at the next tick (call after committing new mail)."""
        self._wake.set()

    def stop(self, timeout: float = 30.0) -> None:
        """Ask the thread to finish its current message and exit; wait up to ``timeout``."""
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout)
        _forget(self)

    def run_once(self) -> int:
        """One pass; errors are logged and kept in ``last_error``, never raised."""
        try:
            sent = process_due(
                self.db,
                self.transport,
                self.clock.now(),
                settings=self.settings,
                policy=self.policy,
                clock=self.clock,
            )
            self.last_error = ""
            return sent
        except Exception as exc:
            self.last_error = describe_error(exc)
            logger.exception("mail worker pass failed; retrying in %ss", self.interval_seconds)
            return 0
        finally:
            self.passes += 1

    def run_forever(self) -> None:
        """Loop on the current thread until ``stop()`` (used by the thread and the CLI)."""
        while not self._stop.is_set():
            self.run_once()
            self._wake.wait(self.interval_seconds)
            self._wake.clear()

    def _run(self) -> None:
        """The daemon thread's body: never exits silently."""
        logger.info("mail worker started for %s", self.db.engine.url.render_as_string(True))
        try:
            self.run_forever()
        except BaseException:
            logger.critical("mail worker thread died; mail is NOT being sent", exc_info=True)
            raise
        finally:
            logger.info("mail worker stopped")


_registry_lock = threading.Lock()
_workers: dict[tuple[int, str], MailWorker] = {}


def _forget(worker: MailWorker) -> None:
    with _registry_lock:
        for key, known in list(_workers.items()):
            if known is worker:
                del _workers[key]


def start_mail_worker(
    db: Database,
    settings: Settings,
    *,
    interval_seconds: float = 5.0,
    transport: MailTransport | None = None,
    clock: Clock | None = None,
) -> MailWorker | None:
    """The process's worker for this database, started on first call (idempotent).

    Returns None, and sends nothing, when no SMTP host is configured: mail then stays in the
    outbox, readable by recruiters. A worker whose thread has died is replaced (and logged).
    """
    transport = transport or build_transport(settings)
    if transport is None:
        logger.info("no SMTP host configured (INTERVISTA_SMTP_HOST): mail stays in the outbox")
        return None
    key = (os.getpid(), db.url)
    with _registry_lock:
        existing = _workers.get(key)
        if existing is not None and existing.alive:
            return existing
        if existing is not None:
            logger.error("the mail worker thread had stopped; starting a new one")
        worker = MailWorker(
            db, transport, settings, interval_seconds=interval_seconds, clock=clock
        ).start()
        _workers[key] = worker
        return worker
