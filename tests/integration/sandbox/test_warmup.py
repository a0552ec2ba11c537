"""The harness library of Java is compiled in the background before the first Run, once per
process; a Run that comes meanwhile waits for that compile instead of starting a second."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from core.coding import warmup
from core.coding.problems.harness.builder import library_sources
from core.coding.sandbox import program
from core.domain import CodingLanguage


def test_java_is_warmed_once_and_a_concurrent_run_waits_for_it(
    sandbox: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(warmup, "_started", set())
    monkeypatch.setattr(program, "_LIBRARIES", {})
    monkeypatch.setattr(program, "_BUILDING", {})
    compiles = 0
    real_run = sandbox.run

    class Counting:
        sandboxed = True

        def run(self, request: Any) -> Any:
            nonlocal compiles
            compiles += 1
            return real_run(request)

    counting = Counting()
    assert not warmup.warm_up_in_background(counting, CodingLanguage.PYTHON)  # nothing to do
    assert warmup.warm_up_in_background(counting, CodingLanguage.JAVA)
    assert not warmup.warm_up_in_background(counting, CodingLanguage.JAVA)  # once
    started = time.monotonic()
    library = program.compile_library(
        counting, CodingLanguage.JAVA, library_sources(CodingLanguage.JAVA)
    )
    assert any(name.endswith(".class") for name in library)
    for thread in threading.enumerate():
        if thread.name == "warm-JAVA":
            thread.join(timeout=60)
    assert compiles == 1, "the Run compiled the library a second time"
    assert time.monotonic() - started < 60
