"""The transcription worker: one thread, bounded, one job per key (pure threading, no model)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from core.interviewer.speech.worker import BoundedWorker


@pytest.fixture
def worker() -> Iterator[BoundedWorker]:
    w = BoundedWorker(capacity=2)
    yield w
    w.stop()


def test_full_queue_refuses_and_frees_a_slot_when_a_job_ends(worker: BoundedWorker) -> None:
    gate = threading.Event()
    first = worker.submit("a", gate.wait)
    second = worker.submit("b", lambda: "b")
    assert first is not None and second is not None
    assert worker.submit("c", lambda: "c") is None  # two running or waiting: full
    gate.set()
    assert second.result(timeout=5) == "b"
    third = worker.submit("c", lambda: "c", wait_for_slot=5)
    assert third is not None and third.result(timeout=5) == "c"


def test_a_key_already_queued_gets_the_same_job(worker: BoundedWorker) -> None:
    gate = threading.Event()
    calls: list[int] = []

    def job() -> int:
        gate.wait()
        calls.append(1)
        return len(calls)

    first = worker.submit("q1", job)
    again = worker.submit("q1", job)
    assert first is again and worker.pending("q1")
    gate.set()
    assert first is not None and first.result(timeout=5) == 1
    assert calls == [1]


def test_a_failing_job_keeps_its_error_and_the_worker_goes_on(worker: BoundedWorker) -> None:
    def boom() -> None:
        raise RuntimeError("decoder crashed")

    failed = worker.submit("x", boom)
    assert failed is not None
    with pytest.raises(RuntimeError, match="decoder crashed"):
        failed.result(timeout=5)
    after = worker.submit("y", lambda: "fine")
    assert after is not None and after.result(timeout=5) == "fine"


def test_jobs_run_on_one_thread_that_is_not_the_caller(worker: BoundedWorker) -> None:
    names = [worker.submit(i, lambda: threading.current_thread().name) for i in range(2)]
    seen = {f.result(timeout=5) for f in names if f is not None}
    assert len(seen) == 1 and threading.current_thread().name not in seen
