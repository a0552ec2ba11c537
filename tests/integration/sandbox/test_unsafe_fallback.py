"""The explicit development fallback (no isolation): limits and a clean environment still
apply, and every result says it was not sandboxed."""

from __future__ import annotations

import pytest

from core.coding.problems.grading import grade_submission
from core.coding.problems.loader import default_bank
from core.coding.sandbox import build_sandbox
from core.coding.sandbox.models import Limits, Verdict
from core.coding.sandbox.program import run_program
from core.coding.sandbox.unsafe import UnsafeSubprocessSandbox
from core.config import load_settings
from core.domain import CodingLanguage


@pytest.fixture
def unsafe() -> UnsafeSubprocessSandbox:
    sandbox = build_sandbox(load_settings(sandbox="unsafe-dev", sandbox_allow_unsafe=True))
    assert isinstance(sandbox, UnsafeSubprocessSandbox)
    return sandbox


def test_results_are_flagged_unsandboxed(unsafe: UnsafeSubprocessSandbox) -> None:
    reference = default_bank()["run-length-encoding"].solutions[CodingLanguage.PYTHON]
    result = grade_submission(
        "run-length-encoding", CodingLanguage.PYTHON, reference, visible_only=False, sandbox=unsafe
    )
    assert result.verdict is Verdict.ACCEPTED
    assert result.sandboxed is False
    assert result.to_dict()["sandboxed"] is False


def test_limits_and_empty_environment_still_apply(
    unsafe: UnsafeSubprocessSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INTERVISTA_OPENAI_API_KEY", "sk-unsafe-secret")
    env = run_program(
        unsafe,
        CodingLanguage.PYTHON,
        {"main.py": "import os\nprint(dict(os.environ))\n"},
        "main.py",
    )
    assert env.verdict is Verdict.ACCEPTED and "sk-unsafe-secret" not in env.stdout
    assert env.sandboxed is False
    loop = run_program(
        unsafe,
        CodingLanguage.PYTHON,
        {"main.py": "while True:\n    pass\n"},
        "main.py",
        limits=Limits(cpu_seconds=1, wall_seconds=5),
    )
    assert loop.verdict is Verdict.TIME_LIMIT
    memory = run_program(
        unsafe, CodingLanguage.PYTHON, {"main.py": "b = bytearray(4 * 1024 ** 3)\n"}, "main.py"
    )
    assert memory.verdict is Verdict.MEMORY_LIMIT


def test_a_program_that_closes_its_output_and_hangs_is_still_stopped(
    unsafe: UnsafeSubprocessSandbox,
) -> None:
    code = "import os, time\nos.close(1)\nos.close(2)\ntime.sleep(30)\n"
    result = run_program(
        unsafe,
        CodingLanguage.PYTHON,
        {"main.py": code},
        "main.py",
        limits=Limits(cpu_seconds=1, wall_seconds=2),
    )
    assert result.verdict is Verdict.TIME_LIMIT
    assert result.run is not None and result.run.wall_seconds < 30
