"""Run slots: at most N at once, waiters served in arrival order and told their position."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from core.coding.sandbox.run_slots import QueueState, RunSlots, queue_listener


def _wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.01)


def test_free_slot_is_taken_at_once(tmp_path: Path) -> None:
    slots = RunSlots(2, tmp_path)
    with slots.hold() as first, slots.hold() as second:
        assert first < 0.05 and second < 0.05
        assert slots.waiting() == 0


def test_waiters_queue_in_order_and_hear_their_position(tmp_path: Path) -> None:
    slots = RunSlots(1, tmp_path)
    order: list[str] = []
    states: dict[str, list[QueueState]] = {"b": [], "c": []}
    release = threading.Event()

    def holder() -> None:
        with slots.hold():
            order.append("a")
            release.wait(10)

    def waiter(name: str) -> None:
        with queue_listener(states[name].append), slots.hold() as waited:
            order.append(name)
            assert waited > 0.05

    a = threading.Thread(target=holder)
    a.start()
    _wait_until(lambda: order == ["a"])
    b = threading.Thread(target=waiter, args=("b",))
    b.start()
    _wait_until(lambda: slots.waiting() == 1)
    c = threading.Thread(target=waiter, args=("c",))
    c.start()
    _wait_until(lambda: slots.waiting() == 2)
    time.sleep(0.1)
    release.set()
    for thread in (a, b, c):
        thread.join(10)
    assert order == ["a", "b", "c"]
    assert states["b"][0].position == 1 and states["b"][-1].position == 0
    assert states["c"][0].position == 2
    assert [s.position for s in states["c"]][-2:] == [1, 0]
    assert all(s.slots == 1 for s in states["b"] + states["c"])


def test_a_slot_held_by_another_process_counts(tmp_path: Path) -> None:
    script = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from core.coding.sandbox.run_slots import RunSlots\n"
        f"with RunSlots(1, Path({str(tmp_path)!r})).hold():\n"
        "    print('held', flush=True)\n"
        "    time.sleep(0.5)\n"
    )
    other = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        cwd=Path(__file__).resolve().parents[3],
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[3])},
    )
    assert other.stdout is not None and other.stdout.readline().strip() == b"held"
    with RunSlots(1, tmp_path).hold() as waited:
        assert waited >= 0.2
    other.wait(10)


def test_a_dead_waiters_ticket_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "wait-00000000000000000001-999999-0").write_text("")  # nobody holds it
    slots = RunSlots(1, tmp_path)
    with slots.hold() as waited:
        assert waited < 0.05
    assert not (tmp_path / "wait-00000000000000000001-999999-0").exists()
