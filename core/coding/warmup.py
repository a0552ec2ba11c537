"""Prepare a language before the candidate's first Run: compile the fixed harness library
(Java: about 3 s the first time in a process) in a background thread, once per process and
language, while the candidate reads the problem. A failure is logged; the first Run then
compiles it itself, as it would without the warm-up."""

from __future__ import annotations

import logging
import threading

from core.coding.problems.harness.builder import library_sources
from core.coding.sandbox.factory import Sandbox
from core.coding.sandbox.program import compile_library
from core.domain import CodingLanguage

logger = logging.getLogger(__name__)
_started: set[CodingLanguage] = set()
_lock = threading.Lock()


def warm_up_in_background(sandbox: Sandbox, language: CodingLanguage) -> bool:
    """Start compiling ``language``'s harness library unless it was started already in this
    process; returns whether a thread was started. Never blocks."""
    sources = library_sources(language)
    if not sources:
        return False
    with _lock:
        if language in _started:
            return False
        _started.add(language)
    thread = threading.Thread(
        target=_compile, args=(sandbox, language, sources), name=f"warm-{language.value}"
    )
    thread.daemon = True
    thread.start()
    return True


def _compile(sandbox: Sandbox, language: CodingLanguage, sources: dict[str, str]) -> None:
    try:
        compile_library(sandbox, language, sources)
    except Exception:  # the first Run compiles it again and reports any problem
        logger.exception("warming up the %s harness library failed", language.value)
        with _lock:
            _started.discard(language)
