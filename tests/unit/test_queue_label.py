"""The coding panel's status line while a run waits for a free sandbox slot."""

from __future__ import annotations

import pytest

from core.ui.coding_results import queue_label

RUNNING = "Running every test…"


@pytest.mark.parametrize(
    ("position", "expected"),
    [
        (0, RUNNING),  # got its slot
        (1, "Waiting for a free runner — you are next (the server is busy)…"),
        (2, "Waiting for a free runner — 1 ahead of you (the server is busy)…"),
        (5, "Waiting for a free runner — 4 ahead of you (the server is busy)…"),
    ],
)
def test_queue_label(position: int, expected: str) -> None:
    assert queue_label(position, RUNNING) == expected
