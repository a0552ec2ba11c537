"""Grading of SQL problems: the candidate's query runs once per test data set, in SQLite
inside the sandbox; rows are compared in order or as a multiset."""

from __future__ import annotations

from typing import Any

from core.coding.problems.compare import rows_match
from core.coding.problems.model import SqlProblem, SqlTest
from core.coding.problems.results import GradeResult, TestOutcome
from core.coding.sandbox.factory import Sandbox
from core.coding.sandbox.models import Verdict
from core.coding.sandbox.sql import run_sql
from core.domain import CodingLanguage

STATUS_VERDICT = {
    "failed": Verdict.WRONG_ANSWER,
    "error": Verdict.RUNTIME_ERROR,
    "time_limit": Verdict.TIME_LIMIT,
    "memory_limit": Verdict.MEMORY_LIMIT,
    "output_limit": Verdict.OUTPUT_LIMIT,
}


def grade_sql(spec: SqlProblem, query: str, *, visible_only: bool, sandbox: Sandbox) -> GradeResult:
    """Blocks the calling thread for one sandboxed run per selected test."""
    tests: list[tuple[bool, Any]] = [(True, t) for t in spec.examples]
    if not visible_only:
        tests += [(False, t) for t in spec.tests]
    outcomes: list[TestOutcome] = []
    wall = cpu = 0.0
    peak = 0
    sandboxed = True
    for index, (visible, test) in enumerate(tests):
        assert isinstance(test, SqlTest)
        result = run_sql(sandbox, spec.sql.schema_sql + "\n" + test.data, query)
        if result.run is not None:
            wall += result.run.wall_seconds
            cpu += result.run.cpu_seconds
            peak = max(peak, result.run.peak_memory_kb)
            sandboxed = sandboxed and result.run.sandboxed
        shown: dict[str, Any] = (
            {"args": None, "expected": [list(r) for r in test.expected_rows]} if visible else {}
        )
        if result.verdict is not Verdict.ACCEPTED:
            status = _missing_status_for(result.verdict)
            error = result.error if visible else None
            outcomes.append(TestOutcome(index, visible, status, test.weight, error=error, **shown))
            continue
        actual = [list(r) for r in result.rows]
        ok = rows_match(
            actual,
            [list(r) for r in test.expected_rows],
            ordered=spec.compare.ordered,
            tolerance=spec.compare.tolerance,
        )
        if visible:
            shown["actual"] = actual
        outcomes.append(
            TestOutcome(
                index,
                visible,
                "passed" if ok else "failed",
                test.weight,
                (result.run.wall_seconds * 1000) if result.run else None,
                **shown,
            )
        )
    total_weight = sum(o.weight for o in outcomes) or 1.0
    passed = [o for o in outcomes if o.status == "passed"]
    verdict = next(
        (
            STATUS_VERDICT.get(o.status, Verdict.RUNTIME_ERROR)
            for o in outcomes
            if o.status != "passed"
        ),
        Verdict.ACCEPTED,
    )
    return GradeResult(
        problem_id=spec.id,
        language=CodingLanguage.SQL.value,
        verdict=verdict,
        score=round(sum(o.weight for o in passed) / total_weight, 4),
        passed=len(passed),
        total=len(outcomes),
        tests=tuple(outcomes),
        wall_seconds=wall,
        cpu_seconds=cpu,
        peak_memory_kb=peak,
        sandboxed=sandboxed,
        visible_only=visible_only,
    )


def _missing_status_for(verdict: Verdict) -> str:
    return {
        Verdict.TIME_LIMIT: "time_limit",
        Verdict.MEMORY_LIMIT: "memory_limit",
        Verdict.OUTPUT_LIMIT: "output_limit",
    }.get(verdict, "error")
