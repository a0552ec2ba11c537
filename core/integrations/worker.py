"""The delivery worker: sends due deliveries (``core.integrations.deliveries``) over HTTP.

A webhook is a ``POST`` of the event's JSON, signed (``core.integrations.signing``) with its
endpoint's secret. Greenhouse's completion is a ``PATCH`` with no body, HTTP Basic with the
partner key Greenhouse gave us (``greenhouse_patch_key``) as the username and an empty password.
Any 2xx answer is delivered; anything else (an error status, a refused connection, a timeout)
is retried with back-off until ``webhook_max_attempts``, then ``failed`` (replayable).

``process_due`` is one pass on the calling thread; ``start_delivery_worker`` runs passes on a
daemon thread, one per process and database, as the mail worker does.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from datetime import datetime

import httpx

from core.clock import Clock, SystemClock
from core.config import Settings
from core.db.engine import Database
from core.integrations import deliveries as q
from core.integrations.signing import (
    DELIVERY_HEADER,
    EVENT_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    sign,
)

logger = logging.getLogger(__name__)
USER_AGENT = "Intervista-Webhooks/1"
ANSWER_CHARS = 300  # of a refusing receiver's body, kept in last_error


def encode_body(payload: dict[str, object]) -> bytes:
    """The exact bytes sent (and signed): compact JSON, keys sorted, UTF-8."""
    return json.dumps(payload, separators=(",", ":"), sort_keys=True, default=str).encode()


def build_request(
    delivery: q.ClaimedDelivery, settings: Settings, now: datetime
) -> tuple[dict[str, str], bytes, httpx.BasicAuth | None]:
    """Headers, body and auth of one attempt (pure; the timestamp is ``now``)."""
    headers = {"User-Agent": USER_AGENT, DELIVERY_HEADER: str(delivery.id)}
    if delivery.event == q.GREENHOUSE_EVENT:
        key = settings.greenhouse_patch_key.get_secret_value()
        return headers, b"", httpx.BasicAuth(key, "") if key else None
    body = encode_body(delivery.payload)
    timestamp = int(now.timestamp())
    headers |= {
        "Content-Type": "application/json",
        EVENT_HEADER: delivery.event,
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: sign(delivery.secret, timestamp, body),
    }
    return headers, body, None


def _attempt(
    client: httpx.Client, delivery: q.ClaimedDelivery, settings: Settings, now: datetime
) -> tuple[int | None, str]:
    """Send once: (status code or None, error text, empty when delivered)."""
    headers, body, auth = build_request(delivery, settings, now)
    try:
        response = client.request(
            delivery.method, delivery.url, content=body, headers=headers, auth=auth
        )
    except httpx.HTTPError as exc:
        return None, f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    if 200 <= response.status_code < 300:
        return response.status_code, ""
    answer = response.text[:ANSWER_CHARS].strip()
    return response.status_code, f"HTTP {response.status_code}" + (f": {answer}" if answer else "")


def process_due(
    db: Database,
    settings: Settings,
    client: httpx.Client,
    clock: Clock,
    *,
    batch: int = 20,
    policy: q.DeliveryPolicy | None = None,
) -> int:
    """Send up to ``batch`` due deliveries, one claim at a time; how many arrived.

    Runs on the calling thread (the worker's or a test's). Receiver failures are recorded on the
    row, never raised; database errors are raised (a claimed row is retried once its lease
    expires)."""
    policy = policy or q.DeliveryPolicy.from_settings(settings)
    if not q.has_work(db, clock.now(), policy):
        return 0
    exhausted = q.fail_exhausted_leases(db, clock.now(), policy)
    if exhausted:
        logger.error("%d delivery(ies) failed: their worker died while sending", exhausted)
    delivered = 0
    for _ in range(max(0, batch)):
        delivery = q.claim_next(db, clock.now(), policy)
        if delivery is None:
            break
        status_code, error = _attempt(client, delivery, settings, clock.now())
        if not error:
            q.mark_delivered(db, delivery, status_code or 0, clock.now())
            logger.info(
                "delivery #%d (%s) to %s arrived, attempt %d",
                delivery.id,
                delivery.event,
                delivery.url,
                delivery.attempts,
            )
            delivered += 1
            continue
        outcome = q.mark_not_delivered(
            db, delivery, clock.now(), status_code=status_code, error=error, policy=policy
        )
        logger.warning(
            "delivery #%d (%s) to %s failed (attempt %d): %s -> %s",
            delivery.id,
            delivery.event,
            delivery.url,
            delivery.attempts,
            error,
            outcome.value if outcome else "taken over by another worker",
        )
    return delivered


class DeliveryWorker:
    """A daemon thread calling ``process_due`` every ``interval_seconds`` (or when woken)."""

    def __init__(
        self,
        db: Database,
        settings: Settings,
        *,
        interval_seconds: float,
        clock: Clock | None = None,
    ) -> None:
        self.db = db
        self.settings = settings
        self.interval_seconds = interval_seconds
        self.clock = clock or SystemClock()
        self.policy = q.DeliveryPolicy.from_settings(settings)
        self._client = httpx.Client(
            timeout=settings.webhook_timeout_seconds, follow_redirects=False, trust_env=False
        )
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._run, name="delivery-worker", daemon=True)
        self.passes = 0
        self.last_error = ""

    def start(self) -> DeliveryWorker:
        self._thread.start()
        return self

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def wake(self) -> None:
        """Send now instead of at the next tick (after committing new deliveries)."""
        self._wake.set()

    def stop(self, timeout: float = 30.0) -> None:
        """Finish the current delivery and exit; wait up to ``timeout`` seconds."""
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout)
        self._client.close()
        _forget(self)

    def run_once(self) -> int:
        """One pass on the calling thread; errors are logged and kept, never raised."""
        try:
            sent = process_due(self.db, self.settings, self._client, self.clock, policy=self.policy)
            self.last_error = ""
            return sent
        except Exception as exc:
            self.last_error = f"{type(exc).__name__}: {exc}"
            logger.exception("delivery pass failed; retrying in %ss", self.interval_seconds)
            return 0
        finally:
            self.passes += 1

    def _run(self) -> None:
        """The daemon thread's body."""
        logger.info("delivery worker started")
        try:
            while not self._stop.is_set():
                self.run_once()
                self._wake.wait(self.interval_seconds)
                self._wake.clear()
        except BaseException:
            logger.critical("delivery worker died; webhooks are NOT being sent", exc_info=True)
            raise
        finally:
            logger.info("delivery worker stopped")


_registry_lock = threading.Lock()
_workers: dict[tuple[int, str], DeliveryWorker] = {}


def _forget(worker: DeliveryWorker) -> None:
    with _registry_lock:
        for key, known in list(_workers.items()):
            if known is worker:
                del _workers[key]


def start_delivery_worker(
    db: Database,
    settings: Settings,
    *,
    interval_seconds: float | None = None,
    clock: Clock | None = None,
) -> DeliveryWorker | None:
    """The process's worker for this database, started on first call (idempotent); None when
    ``webhook_interval_seconds`` is 0 (this process sends nothing; another one does)."""
    interval = settings.webhook_interval_seconds if interval_seconds is None else interval_seconds
    if interval <= 0:
        logger.info("webhook_interval_seconds is 0: this process sends no webhooks")
        return None
    key = (os.getpid(), db.url)
    with _registry_lock:
        existing = _workers.get(key)
        if existing is not None and existing.alive:
            return existing
        if existing is not None:
            logger.error("the delivery worker had died; starting a new one")
        worker = DeliveryWorker(db, settings, interval_seconds=interval, clock=clock)
        _workers[key] = worker
        return worker.start()
