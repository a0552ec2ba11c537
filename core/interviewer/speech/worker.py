"""A bounded worker for transcriptions: one thread, a few waiting jobs, nothing unbounded.

Whisper keeps a core busy for seconds per clip, so recordings are transcribed one at a time on
the worker's thread (never the page's script thread). At most ``capacity`` jobs wait; beyond
that ``submit`` refuses (returns None) unless the caller chooses to wait for a slot. A job
already queued under the same key is not queued twice: the caller gets the same future.
(Later, the job queue replaces this for several processes.)
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Hashable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

logger = logging.getLogger(__name__)


class BoundedWorker:
    """Runs submitted callables on one daemon thread, at most ``capacity`` queued or running."""

    def __init__(self, capacity: int = 16, *, name: str = "transcriber") -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self._slots = threading.BoundedSemaphore(capacity)
        self._lock = threading.Lock()
        self._by_key: dict[Hashable, Future[Any]] = {}
        self._name = name

    def submit(
        self, key: Hashable, job: Callable[[], Any], *, wait_for_slot: float = 0.0
    ) -> Future[Any] | None:
        """Queue ``job`` under ``key`` (any thread). None when full after ``wait_for_slot`` s."""
        with self._lock:
            running = self._by_key.get(key)
            if running is not None and not running.done():
                return running
        acquired = (
            self._slots.acquire(timeout=wait_for_slot)
            if wait_for_slot > 0
            else self._slots.acquire(blocking=False)
        )
        if not acquired:
            logger.warning("%s queue full: %s not queued", self._name, key)
            return None
        with self._lock:
            running = self._by_key.get(key)
            if running is not None and not running.done():  # queued meanwhile by another thread
                self._slots.release()
                return running
            future = self._pool.submit(_logged, key, job)
            self._by_key[key] = future
        future.add_done_callback(lambda _f: self._finished(key, _f))
        return future

    def _finished(self, key: Hashable, future: Future[Any]) -> None:
        self._slots.release()
        with self._lock:
            if self._by_key.get(key) is future:
                del self._by_key[key]

    def pending(self, key: Hashable) -> bool:
        with self._lock:
            running = self._by_key.get(key)
            return running is not None and not running.done()

    @property
    def busy(self) -> bool:
        """Anything queued or running."""
        with self._lock:
            return any(not f.done() for f in self._by_key.values())

    def stop(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def _logged(key: Hashable, job: Callable[[], Any]) -> Any:
    """Runs on the worker thread; an exception is logged and kept in the future."""
    try:
        return job()
    except Exception:
        logger.exception("transcription job %s failed", key)
        raise
