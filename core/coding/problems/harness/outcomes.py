"""Outcomes of a function problem's tests, from the harness's result lines: a visible
example in full; a hidden test as its status and a standard error class only."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core.coding.problems.compare import result_matches
from core.coding.problems.harness.errors import error_class
from core.coding.problems.harness.runs import NOT_RUN_AFTER_TIMEOUT, HarnessRun
from core.coding.problems.model import FunctionProblem, FunctionTest
from core.coding.problems.results import TestOutcome
from core.coding.sandbox.models import Verdict
from core.coding.sandbox.program import ProgramResult
from core.domain import CodingLanguage


def example_outcome(
    index: int,
    test: FunctionTest,
    line: Mapping[str, Any] | None,
    spec: FunctionProblem,
    lang: CodingLanguage,
    program: ProgramResult,
    load_error: str | None,
    printed: str | None = None,
) -> TestOutcome:
    """A visible example: everything about it is shown."""
    shown: dict[str, Any] = {"args": list(test.args), "expected": test.expected}
    if printed:
        shown["stdout"] = printed
    if line is None:
        status = "error" if load_error else _missing_status(program)
        error = load_error or _stopped(status, spec, program)
        return TestOutcome(index, True, status, test.weight, error=error, **shown)
    ms = _number(line.get("ms"))
    if not line.get("ok"):
        error = str(line.get("error", ""))
        status = "memory_limit" if _is_memory(error) else "error"
        kind = error_class(lang, error)
        return TestOutcome(
            index, True, status, test.weight, ms, error=error, error_class=kind, **shown
        )
    actual = line.get("value")
    ok = result_matches(
        actual, test.expected, mode=spec.compare.mode, tolerance=spec.compare.tolerance
    )
    status = "passed" if ok else "failed"
    return TestOutcome(index, True, status, test.weight, ms, actual=actual, **shown)


def hidden_outcome(
    index: int,
    test: FunctionTest,
    run: HarnessRun | None,
    spec: FunctionProblem,
    lang: CodingLanguage,
) -> TestOutcome:
    """A hidden test, from its own run: its status, and for an error the standard class only
    (the run's text, prints and forged tagged lines are dropped)."""
    if run is None:
        return TestOutcome(index, False, "not_run", test.weight, note=NOT_RUN_AFTER_TIMEOUT)
    line = run.lines.get("0")
    if line is None:
        load_error = run.lines.get("load", {}).get("error")
        status = "error" if load_error else _missing_status(run.program)
        kind = error_class(lang, str(load_error)) if load_error else None
        return TestOutcome(index, False, status, test.weight, error_class=kind)
    ms = _number(line.get("ms"))
    if not line.get("ok"):
        error = str(line.get("error", ""))
        status = "memory_limit" if _is_memory(error) else "error"
        return TestOutcome(
            index, False, status, test.weight, ms, error_class=error_class(lang, error)
        )
    ok = result_matches(
        line.get("value"), test.expected, mode=spec.compare.mode, tolerance=spec.compare.tolerance
    )
    return TestOutcome(index, False, "passed" if ok else "failed", test.weight, ms)


def _number(value: Any) -> float | None:
    """A time a program reported, if it is a plain number (anything else is dropped)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


def _is_memory(error: str) -> bool:
    return any(
        m in error for m in ("MemoryError", "OutOfMemory", "NoMemoryError", "heap out of memory")
    )


def _stopped(status: str, spec: FunctionProblem, program: ProgramResult) -> str:
    """Why a test has no result: the whole program was stopped before it finished."""
    if status == "time_limit":
        return (
            f"Time limit exceeded: the run was stopped (limit {spec.limits.cpu_seconds:g} s of "
            "CPU time for all the examples together)."
        )
    if status == "memory_limit":
        return f"Memory limit exceeded (limit {spec.limits.memory_mb} MB)."
    if status == "output_limit":
        return "Output limit exceeded: the program printed too much."
    if program.verdict is Verdict.SANDBOX_ERROR:
        return (
            "The run's own report was tampered with or garbled, so its results cannot be "
            "trusted and this test did not pass."
        )
    run = program.run
    code = (
        ""
        if run is None
        else f" (exit status {run.exit_code})"
        if run.signal is None
        else (f" (killed by signal {run.signal})")
    )
    return f"The program stopped before this test finished{code}."


def _missing_status(program: ProgramResult) -> str:
    return {
        Verdict.TIME_LIMIT: "time_limit",
        Verdict.MEMORY_LIMIT: "memory_limit",
        Verdict.OUTPUT_LIMIT: "output_limit",
    }.get(program.verdict, "error")
