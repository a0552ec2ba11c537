"""Grade a submission against a problem's tests: the service the interview page calls.

``grade_submission`` blocks the calling thread for the run (up to the problem's limits plus
compilation); call it from a worker thread, never from a UI event loop.
"""

from __future__ import annotations

import json
import logging
import secrets
from typing import Any, TypedDict

from core.coding.problems.compare import result_matches
from core.coding.problems.harness import HarnessFiles, build_harness
from core.coding.problems.loader import LoadedProblem, default_bank
from core.coding.problems.model import FunctionProblem, FunctionTest, SqlProblem
from core.coding.problems.output import (
    clean_compiler_output,
    compile_messages,
    head,
    stdout_by_test,
    strip_tagged,
    tagged_lines,
    tail,
)
from core.coding.problems.results import CompileMessage, GradeResult, TestOutcome
from core.coding.problems.sql_grading import STATUS_VERDICT, grade_sql
from core.coding.sandbox.factory import Sandbox
from core.coding.sandbox.models import Limits, Verdict
from core.coding.sandbox.program import ProgramResult, compile_library, run_program
from core.domain import CodingLanguage

logger = logging.getLogger(__name__)
MAX_CODE_BYTES = 256 * 1024


class UnknownProblem(KeyError):
    pass


class _RunFields(TypedDict):
    """The GradeResult fields that come from the run rather than from the tests."""

    problem_id: str
    language: str
    sandboxed: bool
    visible_only: bool
    compile_output: str


def _problem(problem_id: str) -> LoadedProblem:
    try:
        return default_bank()[problem_id]
    except KeyError:
        raise UnknownProblem(f"no problem with id {problem_id!r}") from None


def grade_submission(
    problem_id: str,
    language: CodingLanguage | str,
    code: str,
    *,
    visible_only: bool,
    sandbox: Sandbox,
) -> GradeResult:
    """Run ``code`` on the problem's visible examples (and hidden tests unless
    ``visible_only``). Blocks the calling thread for the run: call it from a worker thread.

    Raises UnknownProblem; ValueError for a language the problem lacks or code over
    MAX_CODE_BYTES."""
    return grade_loaded(
        _problem(problem_id), language, code, visible_only=visible_only, sandbox=sandbox
    )


def grade_loaded(
    problem: LoadedProblem,
    language: CodingLanguage | str,
    code: str,
    *,
    visible_only: bool,
    sandbox: Sandbox,
) -> GradeResult:
    lang = CodingLanguage(language)
    spec = problem.spec
    size = len(code.encode("utf-8", errors="replace"))
    if size > MAX_CODE_BYTES:
        raise ValueError(f"submission is {size} bytes; the limit is {MAX_CODE_BYTES}")
    if isinstance(spec, SqlProblem):
        if lang is not CodingLanguage.SQL:
            raise ValueError(f"{spec.id} is a SQL problem; {lang.label} cannot be graded")
        return grade_sql(spec, code, visible_only=visible_only, sandbox=sandbox)
    if lang is CodingLanguage.SQL:
        raise ValueError(f"{spec.id} is not a SQL problem")
    return _grade_function(spec, lang, code, visible_only=visible_only, sandbox=sandbox)


def _selected(spec: FunctionProblem | SqlProblem, visible_only: bool) -> list[tuple[bool, Any]]:
    tests: list[tuple[bool, Any]] = [(True, t) for t in spec.examples]
    if not visible_only:
        tests += [(False, t) for t in spec.tests]
    return tests


def run_harnessed(
    spec: FunctionProblem,
    lang: CodingLanguage,
    code: str,
    arg_lists: list[list[Any]],
    *,
    sandbox: Sandbox,
) -> tuple[HarnessFiles, str, ProgramResult]:
    """Compile and run the candidate's function once per argument list, under the problem's
    limits. Returns the harness, the run's nonce and the program's result. Blocks."""
    harness = build_harness(spec.function, lang, code)
    nonce = secrets.token_hex(16)
    stdin = "\n".join([nonce, *(json.dumps(args) for args in arg_lists)]) + "\n"
    cpu = spec.limits.cpu_seconds
    limits = Limits(cpu_seconds=cpu, wall_seconds=cpu * 2 + 5, memory_mb=spec.limits.memory_mb)
    library = (
        compile_library(sandbox, lang, harness.library_sources) if harness.library_sources else None
    )
    program = run_program(
        sandbox,
        lang,
        harness.sources,
        harness.main_file,
        stdin=stdin.encode(),
        limits=limits,
        classpath=library,
    )
    return harness, nonce, program


def _grade_function(
    spec: FunctionProblem, lang: CodingLanguage, code: str, *, visible_only: bool, sandbox: Sandbox
) -> GradeResult:
    tests = _selected(spec, visible_only)
    harness, nonce, program = run_harnessed(
        spec, lang, code, [list(t.args) for _, t in tests], sandbox=sandbox
    )
    base: _RunFields = {
        "problem_id": spec.id,
        "language": lang.value,
        "sandboxed": program.sandboxed,
        "visible_only": visible_only,
        "compile_output": (
            head(clean_compiler_output(program.compile_output)) if program.run is None else ""
        ),
    }
    if program.verdict is Verdict.COMPILE_ERROR:
        messages = compile_messages(program.diagnostics, harness.candidate_file)
        outcomes = tuple(
            TestOutcome(i, visible, "not_run", t.weight) for i, (visible, t) in enumerate(tests)
        )
        return GradeResult(
            verdict=Verdict.COMPILE_ERROR,
            score=0.0,
            passed=0,
            total=len(tests),
            tests=outcomes,
            compile_errors=messages,
            **base,
        )
    lines = tagged_lines(program.stdout, nonce)
    if "compile" in lines:
        info = lines["compile"]
        message = CompileMessage(info.get("line"), None, str(info.get("message", "")))
        outcomes = tuple(
            TestOutcome(i, visible, "not_run", t.weight) for i, (visible, t) in enumerate(tests)
        )
        fields: _RunFields = {**base, "compile_output": message.message}
        return GradeResult(
            verdict=Verdict.COMPILE_ERROR,
            score=0.0,
            passed=0,
            total=len(tests),
            tests=outcomes,
            compile_errors=(message,),
            **fields,
        )
    load_error = lines.get("load", {}).get("error")
    # What the program printed per test: only when every test is visible (a Submit's prints
    # could echo hidden inputs).
    printed = stdout_by_test(program.stdout, nonce) if visible_only else {}
    outcomes_list = [
        _outcome(i, visible, t, lines.get(str(i)), spec, program, load_error, printed.get(str(i)))
        for i, (visible, t) in enumerate(tests)
    ]
    return _summarise(outcomes_list, program, visible_only, base, load_error)


def _outcome(
    index: int,
    visible: bool,
    test: FunctionTest,
    line: dict[str, Any] | None,
    spec: FunctionProblem,
    program: ProgramResult,
    load_error: str | None,
    printed: str | None = None,
) -> TestOutcome:
    shown: dict[str, Any] = {"args": list(test.args), "expected": test.expected} if visible else {}
    if visible and printed:
        shown["stdout"] = printed
    if line is None:
        status = "error" if load_error else _missing_status(program)
        error = (load_error or _stopped(status, spec, program)) if visible else None
        return TestOutcome(index, visible, status, test.weight, error=error, **shown)
    ms = float(line.get("ms", 0.0))
    if not line.get("ok"):
        error = str(line.get("error", ""))
        status = "memory_limit" if _is_memory(error) else "error"
        return TestOutcome(
            index, visible, status, test.weight, ms, error=error if visible else None, **shown
        )
    actual = line.get("value")
    ok = result_matches(
        actual, test.expected, mode=spec.compare.mode, tolerance=spec.compare.tolerance
    )
    if visible:
        shown["actual"] = actual
    return TestOutcome(index, visible, "passed" if ok else "failed", test.weight, ms, **shown)


def _is_memory(error: str) -> bool:
    return any(
        m in error for m in ("MemoryError", "OutOfMemory", "NoMemoryError", "heap out of memory")
    )


def _stopped(status: str, spec: FunctionProblem, program: ProgramResult) -> str:
    """Why a test has no result: the whole program was stopped before it finished."""
    if status == "time_limit":
        return (
            f"Time limit exceeded: the run was stopped (limit {spec.limits.cpu_seconds:g} s of "
            "CPU time for all the tests together)."
        )
    if status == "memory_limit":
        return f"Memory limit exceeded (limit {spec.limits.memory_mb} MB)."
    if status == "output_limit":
        return "Output limit exceeded: the program printed too much."
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


def _summarise(
    outcomes: list[TestOutcome],
    program: ProgramResult,
    visible_only: bool,
    base: _RunFields,
    load_error: str | None,
) -> GradeResult:
    total_weight = sum(o.weight for o in outcomes) or 1.0
    passed = [o for o in outcomes if o.status == "passed"]
    verdict = Verdict.ACCEPTED
    for outcome in outcomes:
        if outcome.status != "passed":
            verdict = STATUS_VERDICT.get(outcome.status, Verdict.RUNTIME_ERROR)
            break
    run = program.run
    notes = (f"could not load the solution: {load_error}",) if load_error else ()
    return GradeResult(
        verdict=verdict,
        score=round(sum(o.weight for o in passed) / total_weight, 4),
        passed=len(passed),
        total=len(outcomes),
        tests=tuple(outcomes),
        # Output may echo hidden inputs: shown only when the run had visible tests alone.
        stdout_excerpt=tail(strip_tagged(program.stdout)) if visible_only else "",
        stderr_excerpt=tail(program.stderr) if visible_only else "",
        exit_code=run.exit_code if run else None,
        wall_seconds=run.wall_seconds if run else 0.0,
        cpu_seconds=run.cpu_seconds if run else 0.0,
        peak_memory_kb=run.peak_memory_kb if run else 0,
        notes=notes,
        **base,
    )
