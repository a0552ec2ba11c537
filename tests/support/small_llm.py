"""The small real LLM tests run against (Qwen2.5-Coder-0.5B-Instruct, GGUF), put in place by
``../shared/tools/fetch-test-llm`` (``.ci/run`` calls it and sets INTERVISTA_TEST_LLM_PATH)."""

from __future__ import annotations

import os
from pathlib import Path

from tests.support.shared import require_or_skip

DEFAULT = Path.home() / ".cache/intervista-test-models/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf"


def small_llm_path() -> Path:
    """The model file, or skip (fail in CI) with how to get it."""
    path = Path(os.environ.get("INTERVISTA_TEST_LLM_PATH", "") or DEFAULT)
    require_or_skip(
        path.is_file(),
        f"no test LLM at {path}: run ../shared/tools/fetch-test-llm "
        "(and set INTERVISTA_TEST_LLM_PATH to the path it prints)",
    )
    return path
