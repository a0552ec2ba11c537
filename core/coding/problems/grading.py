"""Grade a submission against a problem's tests: the service the interview page calls.

``grade_submission`` blocks the calling thread for the run (up to the problem's limits plus
compilation); call it from a worker thread, never from a UI event loop.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any, TypedDict

from core.coding.problems.harness import HarnessFiles, build_harness
from core.coding.problems.harness.outcomes import example_outcome, hidden_outcome
from core.coding.problems.harness.runs import (
    HarnessRun,
    compiled_files,
    first_run,
    rerun,
    run_in_turn,
)
from core.coding.problems.loader import LoadedProblem, default_bank
from core.coding.problems.model import FunctionProblem, FunctionTest, SqlProblem
from core.coding.problems.output import (
    clean_compiler_output,
    compile_messages,
    head,
    stdout_by_test,
    strip_tagged,
    tail,
)
from core.coding.problems.results import CompileMessage, GradeResult, TestOutcome
from core.coding.problems.sql_grading import grade_sql, overall_verdict
from core.coding.sandbox.drivers import get_driver
from core.coding.sandbox.factory import Sandbox
from core.coding.sandbox.models import Limits, Verdict
from core.coding.sandbox.program import ProgramResult, compile_library
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


def harness_limits(spec: FunctionProblem) -> Limits:
    """The problem's limits for one run of the harness (the examples', or one hidden test's)."""
    cpu = spec.limits.cpu_seconds
    return Limits(cpu_seconds=cpu, wall_seconds=cpu * 2 + 5, memory_mb=spec.limits.memory_mb)


def _library(sandbox: Sandbox, lang: CodingLanguage, harness: HarnessFiles) -> dict[str, bytes]:
    if not harness.library_sources:
        return {}
    return compile_library(sandbox, lang, harness.library_sources)


def run_harnessed(
    spec: FunctionProblem,
    lang: CodingLanguage,
    code: str,
    arg_lists: list[list[Any]],
    *,
    sandbox: Sandbox,
) -> tuple[HarnessFiles, str, ProgramResult]:
    """Compile and run the candidate's function once per argument list, in ONE run, under
    the problem's limits (Run with my input). Returns the harness, the run's nonce and the
    program's result. Blocks."""
    harness = build_harness(spec.function, lang, code)
    run = first_run(
        sandbox,
        lang,
        harness,
        arg_lists,
        limits=harness_limits(spec),
        library=_library(sandbox, lang, harness) or None,
    )
    return harness, run.nonce, run.program


def _runs(
    spec: FunctionProblem,
    lang: CodingLanguage,
    harness: HarnessFiles,
    hidden: list[FunctionTest],
    sandbox: Sandbox,
) -> tuple[HarnessRun, list[HarnessRun | None]]:
    """The examples' run and one run per hidden test (None: not started after a time-out).

    A compiled language compiles with the examples' run; the hidden runs reuse its output.
    Interpreted languages start every run at once (``PARALLEL_RUNS`` at a time)."""
    limits = harness_limits(spec)
    library = _library(sandbox, lang, harness) or None
    examples = [list(t.args) for t in spec.examples]

    def timed_out(run: HarnessRun) -> bool:
        return run.timed_out

    if get_driver(lang).compiled:
        first = first_run(sandbox, lang, harness, examples, limits=limits, library=library)
        if first.program.verdict is Verdict.COMPILE_ERROR or first.timed_out:
            return first, [None] * len(hidden)
        compiled = compiled_files(first, library)
        jobs = [
            partial(rerun, sandbox, lang, harness, [list(t.args)], limits=limits, compiled=compiled)
            for t in hidden
        ]
        return first, run_in_turn(jobs, stop=timed_out)
    all_jobs: list[Callable[[], HarnessRun]] = [
        partial(first_run, sandbox, lang, harness, examples, limits=limits, library=library)
    ]
    all_jobs += [
        partial(rerun, sandbox, lang, harness, [list(t.args)], limits=limits, compiled=None)
        for t in hidden
    ]
    done = run_in_turn(all_jobs, stop=timed_out)
    assert done[0] is not None  # the first job always starts
    return done[0], done[1:]


def _grade_function(
    spec: FunctionProblem, lang: CodingLanguage, code: str, *, visible_only: bool, sandbox: Sandbox
) -> GradeResult:
    harness = build_harness(spec.function, lang, code)
    hidden = [] if visible_only else list(spec.tests)
    first, hidden_runs = _runs(spec, lang, harness, hidden, sandbox)
    program = first.program
    tests: list[tuple[bool, FunctionTest]] = [(True, t) for t in spec.examples]
    tests += [(False, t) for t in hidden]
    base: _RunFields = {
        "problem_id": spec.id,
        "language": lang.value,
        "sandboxed": program.sandboxed
        and all(r.program.sandboxed for r in hidden_runs if r is not None),
        "visible_only": visible_only,
        "compile_output": (
            head(clean_compiler_output(program.compile_output)) if program.run is None else ""
        ),
    }
    if program.verdict is Verdict.COMPILE_ERROR or "compile" in first.lines:
        return _compile_failure(tests, harness, first, base)
    load_error = first.lines.get("load", {}).get("error")
    # What the program printed per example: after Run only (kept so since Submit never showed
    # prints; the examples' run holds no hidden input either way).
    printed = stdout_by_test(program.stdout, first.nonce) if visible_only else {}
    outcomes = [
        example_outcome(
            i, t, first.lines.get(str(i)), spec, lang, program, load_error, printed.get(str(i))
        )
        for i, t in enumerate(spec.examples)
    ]
    offset = len(outcomes)
    outcomes += [
        hidden_outcome(offset + i, t, run, spec, lang)
        for i, (t, run) in enumerate(zip(hidden, hidden_runs, strict=True))
    ]
    return _summarise(outcomes, program, visible_only, base, load_error)


def _compile_failure(
    tests: list[tuple[bool, FunctionTest]],
    harness: HarnessFiles,
    first: HarnessRun,
    base: _RunFields,
) -> GradeResult:
    """Nothing ran: the compiler's messages (or the harness's syntax check, from the examples'
    run only: a hidden test's run could forge one)."""
    program = first.program
    output = base["compile_output"]
    if program.verdict is Verdict.COMPILE_ERROR:
        messages = compile_messages(program.diagnostics, harness.candidate_file)
    else:
        info = first.lines["compile"]
        messages = (CompileMessage(info.get("line"), None, str(info.get("message", ""))),)
        output = messages[0].message
    fields: _RunFields = {**base, "compile_output": output}
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
        **fields,
    )


def _summarise(
    outcomes: list[TestOutcome],
    program: ProgramResult,
    visible_only: bool,
    base: _RunFields,
    load_error: str | None,
) -> GradeResult:
    total_weight = sum(o.weight for o in outcomes) or 1.0
    passed = [o for o in outcomes if o.status == "passed"]
    verdict = overall_verdict(outcomes)
    run = program.run
    notes = (f"could not load the solution: {load_error}",) if load_error else ()
    return GradeResult(
        verdict=verdict,
        score=round(sum(o.weight for o in passed) / total_weight, 4),
        passed=len(passed),
        total=len(outcomes),
        tests=tuple(outcomes),
        # The examples' run's output, after Run only (as before the runs were kept apart).
        stdout_excerpt=tail(strip_tagged(program.stdout)) if visible_only else "",
        stderr_excerpt=tail(program.stderr) if visible_only else "",
        exit_code=run.exit_code if run else None,
        wall_seconds=run.wall_seconds if run else 0.0,
        cpu_seconds=run.cpu_seconds if run else 0.0,
        peak_memory_kb=run.peak_memory_kb if run else 0,
        notes=notes,
        **base,
    )
