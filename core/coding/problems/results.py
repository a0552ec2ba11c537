"""Frozen, JSON-serialisable results of grading one submission."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from core.coding.sandbox.models import Verdict


@dataclass(frozen=True)
class TestOutcome:
    """One test. ``args``/``expected``/``actual``/``error``/``stdout`` are filled for VISIBLE
    tests only; a hidden test has its status, ``error_class`` (a standard exception name from a
    fixed list, see ``harness/errors.py``) and ``note`` (our own words, e.g. why it did not run).
    """

    index: int
    visible: bool
    status: str  # passed | failed | error | time_limit | memory_limit | output_limit | not_run
    weight: float
    time_ms: float | None = None
    args: Any = None
    expected: Any = None
    actual: Any = None
    error: str | None = None
    stdout: str | None = None  # what the program printed during this test (Run only)
    error_class: str | None = None  # e.g. "IndexError"; never the program's own text
    note: str | None = None  # e.g. "not run: an earlier test timed out"


@dataclass(frozen=True)
class CompileMessage:
    line: int | None
    column: int | None
    message: str


@dataclass(frozen=True)
class GradeResult:
    """Everything the interview page shows after a run."""

    problem_id: str
    language: str
    verdict: Verdict
    score: float  # weighted share of passed tests, 0..1
    passed: int
    total: int
    tests: tuple[TestOutcome, ...]
    compile_errors: tuple[CompileMessage, ...] = ()
    compile_output: str = ""
    stdout_excerpt: str = ""
    stderr_excerpt: str = ""
    # Measures of the examples' run (the hidden tests' runs are not described: a program
    # could encode their inputs in its exit status, time or memory).
    wall_seconds: float = 0.0
    cpu_seconds: float = 0.0
    peak_memory_kb: int = 0
    exit_code: int | None = None  # of the examples' run (None: killed, or it never ran)
    sandboxed: bool = True
    visible_only: bool = False
    notes: tuple[str, ...] = field(default_factory=tuple)
    # The examples ran in a run of their own, apart from every hidden test, so what they
    # returned or raised holds no hidden input (False in results stored before that).
    examples_run_apart: bool = True

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["verdict"] = self.verdict.value
        return data
