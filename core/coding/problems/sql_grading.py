"""Grading of SQL problems: the candidate's query runs once per test data set, each in a
sandbox run of its own (so it never sees another test's rows), in SQLite; rows are compared
outside, in order or as a multiset. After a time-out the tests not yet started are not run."""

from __future__ import annotations

from functools import partial
from typing import Any

from core.coding.problems.compare import rows_match
from core.coding.problems.harness.errors import sql_error_class
from core.coding.problems.harness.runs import NOT_RUN_AFTER_TIMEOUT, run_in_turn
from core.coding.problems.model import SqlProblem, SqlTest
from core.coding.problems.results import GradeResult, TestOutcome
from core.coding.sandbox.factory import Sandbox
from core.coding.sandbox.models import Verdict
from core.coding.sandbox.sql import SqlResult, run_sql
from core.domain import CodingLanguage

# SQL runs at a time: a run is cheap (~40 ms), and a looping query spins a core until its limit.
SQL_RUNS = 2
STATUS_VERDICT = {
    "failed": Verdict.WRONG_ANSWER,
    "error": Verdict.RUNTIME_ERROR,
    "time_limit": Verdict.TIME_LIMIT,
    "memory_limit": Verdict.MEMORY_LIMIT,
    "output_limit": Verdict.OUTPUT_LIMIT,
}


def grade_sql(spec: SqlProblem, query: str, *, visible_only: bool, sandbox: Sandbox) -> GradeResult:
    """Blocks the calling thread for one sandboxed run per selected test (``SQL_RUNS`` at a
    time); once a run times out the tests not yet started are not run."""
    tests: list[tuple[bool, SqlTest]] = [(True, t) for t in spec.examples]
    if not visible_only:
        tests += [(False, t) for t in spec.tests]
    jobs = [partial(run_sql, sandbox, spec.sql.schema_sql + "\n" + t.data, query) for _, t in tests]
    results = run_in_turn(jobs, stop=lambda r: r.verdict is Verdict.TIME_LIMIT, workers=SQL_RUNS)
    outcomes = [
        _outcome(index, visible, test, result, spec)
        for index, ((visible, test), result) in enumerate(zip(tests, results, strict=True))
    ]
    # Measures of the examples' runs only (a hidden run's time or memory could encode its data).
    shown = [
        r.run for (visible, _), r in zip(tests, results, strict=True) if visible and r and r.run
    ]
    total_weight = sum(o.weight for o in outcomes) or 1.0
    passed = [o for o in outcomes if o.status == "passed"]
    verdict = overall_verdict(outcomes)
    return GradeResult(
        problem_id=spec.id,
        language=CodingLanguage.SQL.value,
        verdict=verdict,
        score=round(sum(o.weight for o in passed) / total_weight, 4),
        passed=len(passed),
        total=len(outcomes),
        tests=tuple(outcomes),
        wall_seconds=sum(r.wall_seconds for r in shown),
        cpu_seconds=sum(r.cpu_seconds for r in shown),
        peak_memory_kb=max((r.peak_memory_kb for r in shown), default=0),
        sandboxed=all(r.run.sandboxed for r in results if r is not None and r.run is not None),
        visible_only=visible_only,
    )


def _outcome(
    index: int, visible: bool, test: SqlTest, result: SqlResult | None, spec: SqlProblem
) -> TestOutcome:
    """A visible example in full; a hidden test's status and a fixed error description only."""
    expected = [list(r) for r in test.expected_rows]
    shown: dict[str, Any] = {"args": None, "expected": expected} if visible else {}
    if result is None:
        told = NOT_RUN_AFTER_TIMEOUT[:1].upper() + NOT_RUN_AFTER_TIMEOUT[1:] + "."
        return TestOutcome(
            index,
            visible,
            "not_run",
            test.weight,
            error=told if visible else None,
            note=NOT_RUN_AFTER_TIMEOUT,
            **shown,
        )
    if result.verdict is not Verdict.ACCEPTED:
        status = _missing_status_for(result.verdict)
        kind = sql_error_class(result.error) if status == "error" else None
        error = result.error if visible else None
        return TestOutcome(
            index, visible, status, test.weight, error=error, error_class=kind, **shown
        )
    actual = [list(r) for r in result.rows]
    ok = rows_match(
        actual, expected, ordered=spec.compare.ordered, tolerance=spec.compare.tolerance
    )
    if visible:
        shown["actual"] = actual
    ms = (result.run.wall_seconds * 1000) if result.run else None
    return TestOutcome(index, visible, "passed" if ok else "failed", test.weight, ms, **shown)


def overall_verdict(outcomes: list[TestOutcome]) -> Verdict:
    """That of the first test that did not pass (tests not run count only when nothing else
    failed)."""
    failed = [o for o in outcomes if o.status not in ("passed", "not_run")]
    if failed:
        return STATUS_VERDICT.get(failed[0].status, Verdict.RUNTIME_ERROR)
    return (
        Verdict.RUNTIME_ERROR if any(o.status == "not_run" for o in outcomes) else Verdict.ACCEPTED
    )


def _missing_status_for(verdict: Verdict) -> str:
    return {
        Verdict.TIME_LIMIT: "time_limit",
        Verdict.MEMORY_LIMIT: "memory_limit",
        Verdict.OUTPUT_LIMIT: "output_limit",
    }.get(verdict, "error")
