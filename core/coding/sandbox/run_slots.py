"""At most N sandbox runs at once on this host, in arrival order; the rest wait in a queue.

Cross-process and cross-thread: a slot is an exclusive ``flock`` on ``slot-<i>.lock`` in a
host-wide folder (like ``uid_pool.py``), and a waiting run holds a ``flock`` on its own ticket
file ``wait-<time_ns>-<pid>-<n>``, so tickets of dead processes (unlocked) are ignored and
removed. Only the oldest live ticket may take a free slot: first come, first served. A run that
finds no waiter and a free slot takes it without a ticket.

How a caller learns that a run waits (for a "waiting, N ahead of you" display): either
``with queue_listener(callback): ...`` around any code that runs the sandbox on this thread
(``run_program``, ``grade_submission``, ...): ``callback(QueueState)`` is called when the run
starts to wait, whenever its position changes, and once with ``position=0`` when it gets its
slot; or ``RunResult.queued_seconds`` afterwards; or ``RunSlots.waiting()`` at any time.
"""

from __future__ import annotations

import contextlib
import contextvars
import fcntl
import itertools
import logging
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

POLL_SECONDS = 0.01
_tickets = itertools.count()


@dataclass(frozen=True)
class QueueState:
    """``position``: 1 = next to run, 0 = running now; ``waiting``: runs waiting on the host
    (this one included while it waits); ``slots``: concurrent runs allowed."""

    position: int
    waiting: int
    slots: int
    waited_seconds: float


QueueListener = Callable[[QueueState], None]
_listener: contextvars.ContextVar[QueueListener | None] = contextvars.ContextVar(
    "intervista_sandbox_queue_listener", default=None
)


@contextlib.contextmanager
def queue_listener(callback: QueueListener) -> Iterator[None]:
    """Sandbox runs started on this thread (or context) inside the block report their queue
    state to ``callback``. The callback runs on the waiting thread: keep it short."""
    token = _listener.set(callback)
    try:
        yield
    finally:
        _listener.reset(token)


class RunSlots:
    def __init__(self, slots: int | None = None, lock_dir: Path | None = None) -> None:
        self.slots = max(1, slots or os.cpu_count() or 1)
        # Shared by every process of this uid (root: the whole host's app processes).
        suffix = "" if os.getuid() == 0 else f"-{os.getuid()}"
        self._dir = lock_dir or Path(tempfile.gettempdir()) / f"intervista-sandbox-slots{suffix}"
        self._dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        self._mutex = threading.Lock()

    @contextlib.contextmanager
    def hold(self) -> Iterator[float]:
        """Wait for a slot (in turn) and hold it for the block; yields the seconds waited."""
        started = time.monotonic()
        handle = self._try_slot(only_if_no_queue=True)
        if handle is None:
            handle = self._wait(started, _listener.get())
        try:
            yield time.monotonic() - started
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
            os.close(handle)

    def waiting(self) -> int:
        """Runs waiting for a slot on this host right now."""
        return len(self._live_tickets())

    def _wait(self, started: float, listener: QueueListener | None) -> int:
        name = f"wait-{time.time_ns():020d}-{os.getpid()}-{next(_tickets)}"
        ticket_path = self._dir / name
        partial = self._dir / f"new-{name}"  # locked before it gets a name others look at
        ticket = os.open(partial, os.O_CREAT | os.O_RDWR, 0o600)
        fcntl.flock(ticket, fcntl.LOCK_EX)
        partial.rename(ticket_path)
        last: tuple[int, int] | None = None
        try:
            while True:
                queue = self._live_tickets()
                position = queue.index(name) + 1 if name in queue else 1
                if (position, len(queue)) != last:
                    last = (position, len(queue))
                    _notify(
                        listener,
                        QueueState(position, len(queue), self.slots, time.monotonic() - started),
                    )
                if position == 1:
                    handle = self._try_slot(only_if_no_queue=False)
                    if handle is not None:
                        break
                time.sleep(POLL_SECONDS)
        finally:
            ticket_path.unlink(missing_ok=True)
            os.close(ticket)
        _notify(
            listener, QueueState(0, max(0, len(queue) - 1), self.slots, time.monotonic() - started)
        )
        return handle

    def _live_tickets(self) -> list[str]:
        live = []
        for entry in sorted(path.name for path in self._dir.iterdir()):
            if not entry.startswith("wait-"):
                continue
            try:
                probe = os.open(self._dir / entry, os.O_RDWR)
            except FileNotFoundError:
                continue
            try:
                fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                live.append(entry)  # its owner holds it: a live waiter
            else:
                (self._dir / entry).unlink(missing_ok=True)  # owner died without cleaning up
            finally:
                os.close(probe)
        return live

    def _try_slot(self, *, only_if_no_queue: bool) -> int | None:
        if only_if_no_queue and self._live_tickets():
            return None
        with self._mutex:
            for index in range(self.slots):
                handle = os.open(self._dir / f"slot-{index}.lock", os.O_CREAT | os.O_RDWR, 0o600)
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    os.close(handle)
                    continue
                return handle
        return None


def _notify(listener: QueueListener | None, state: QueueState) -> None:
    if listener is None:
        return
    try:
        listener(state)
    except Exception:  # a display callback must never break a run
        logger.exception("sandbox queue listener failed")
