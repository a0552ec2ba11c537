"""Keyword lists and repetition are spotted; real answers (prose, terse prose, code) are not."""

from __future__ import annotations

import pytest

from core.interviewer.ai.stuffing import stuffing_reasons

CASES = [
    # (what, text, flagged)
    ("prose", "Synchronous code runs first; then the microtask queue is drained fully.", False),
    (
        "terse technical prose",
        "Measure with the React Profiler; look for parents re-rendering all rows, unstable keys, "
        "new object props each render. Fix with stable keys and React.memo on rows.",
        False,
    ),
    ("a short keyword answer is just short", "microtask macrotask setTimeout", False),
    (
        "keywords of the expected answer",
        "synchronous microtask queue promise reactions queueMicrotask drained macrotask "
        "setTimeout microtasks promise callbacks timeouts",
        True,
    ),
    (
        "keywords with commas and bullets",
        "- profiler\n- stable keys\n- React.memo\n- useMemo, useCallback\n- virtualisation",
        False,  # 7 words: under the length at which a list is judged
    ),
    (
        "a longer bullet list of terms",
        "- profiler\n- stable keys\n- React.memo rows\n- useMemo useCallback\n"
        "- virtualisation windowing\n- colocated state",
        True,
    ),
    (
        "one sentence over and over",
        " ".join(["The microtask queue drains before timers."] * 6),
        True,
    ),
    (
        "code is left alone",
        "def fib(n):\n    a, b = 0, 1\n    for _ in range(n):\n        a, b = b, a + b\n"
        "    return a",
        False,
    ),
    ("empty", "", False),
]


@pytest.mark.parametrize(("what", "text", "flagged"), CASES, ids=[c[0] for c in CASES])
def test_stuffing_reasons(what: str, text: str, flagged: bool) -> None:
    assert bool(stuffing_reasons(text)) is flagged, stuffing_reasons(text)
