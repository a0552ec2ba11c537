"""Run the candidate's code on an input they typed themselves: no grading, nothing compared.

For a function problem the input is the function's arguments, one JSON value per line in the
order of the parameters (``[2, 7, 11, 15]`` then ``9``); the answer is the value the function
returned, with what the program printed. For a SQL problem the input is INSERT statements that
fill the problem's tables; the answer is the rows the query returns.

The input is checked here, before anything runs: its size (``MAX_INPUT_BYTES``), the number of
values, their JSON and their types. Nothing from the hidden tests is used or shown.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from core.coding.problems.grading import MAX_CODE_BYTES, run_harnessed
from core.coding.problems.harness import HarnessFiles
from core.coding.problems.loader import LoadedProblem, default_bank
from core.coding.problems.model import FunctionProblem, SqlProblem, value_matches
from core.coding.problems.output import (
    clean_compiler_output,
    compile_messages,
    head,
    strip_tagged,
    tagged_lines,
    tail,
)
from core.coding.problems.results import CompileMessage
from core.coding.sandbox.factory import Sandbox
from core.coding.sandbox.models import Verdict
from core.coding.sandbox.program import ProgramResult
from core.coding.sandbox.sql import run_sql
from core.domain import CodingLanguage
from core.errors import IntervistaError

MAX_INPUT_BYTES = 64 * 1024
OUTPUT_CHARS = 8000
VALUE_CHARS = 8000
MAX_ROWS = 200


class CustomInputError(IntervistaError, ValueError):
    """The typed input cannot be run; the message says what to change."""

    code = "custom_input_invalid"


@dataclass(frozen=True)
class CustomRunResult:
    """What one run on the candidate's own input produced. ``status`` is ``ok``,
    ``compile_error``, ``error`` (an exception or a crash), ``time_limit``, ``memory_limit`` or
    ``output_limit``."""

    language: str
    status: str
    value: str = ""  # the returned value as JSON (function problems)
    columns: tuple[str, ...] = ()  # SQL problems
    rows: tuple[tuple[Any, ...], ...] = ()  # the first MAX_ROWS
    row_count: int = 0
    error: str = ""
    stdout: str = ""
    stderr: str = ""
    exit_code: int | None = None
    signal: int | None = None
    wall_seconds: float = 0.0
    cpu_seconds: float = 0.0
    peak_memory_kb: int = 0
    compile_errors: tuple[CompileMessage, ...] = ()
    compile_output: str = ""
    sandboxed: bool = True


def input_template(problem_id: str) -> str:
    """A ready-to-edit input: the first example's arguments (or its INSERT statements)."""
    spec = _problem(problem_id).spec
    if isinstance(spec, SqlProblem):
        return spec.examples[0].data.strip() + "\n"
    return "".join(json.dumps(arg) + "\n" for arg in spec.examples[0].args)


def input_help(problem_id: str) -> str:
    spec = _problem(problem_id).spec
    if isinstance(spec, SqlProblem):
        return "INSERT statements for the problem's tables; your query then runs on them."
    names = ", ".join(f"{p.name} ({p.type})" for p in spec.function.params)
    return f"One JSON value per line, in this order: {names}."


def parse_arguments(spec: FunctionProblem, text: str) -> list[Any]:
    """The function's arguments from the typed text; CustomInputError says what is wrong."""
    check_size(text)
    params = spec.function.params
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) != len(params):
        names = ", ".join(p.name for p in params)
        raise CustomInputError(
            f"Type {len(params)} line(s), one JSON value per parameter ({names}); "
            f"found {len(lines)}."
        )
    values = []
    for number, (param, line) in enumerate(zip(params, lines, strict=True), start=1):
        try:
            value = json.loads(line, parse_constant=_no_constant, parse_float=_finite)
        except (ValueError, RecursionError) as exc:
            raise CustomInputError(
                f"Line {number} ({param.name}) is not valid JSON: {_short(exc)}"
            ) from None
        if not value_matches(value, param.type):
            raise CustomInputError(
                f"Line {number}: {param.name} must be of type {param.type}"
                + (" (32-bit integers)" if param.type.startswith("int") else "")
                + "."
            )
        values.append(value)
    return values


def check_size(text: str) -> None:
    size = len(text.encode("utf-8", errors="replace"))
    if size > MAX_INPUT_BYTES:
        raise CustomInputError(
            f"Your input is {size / 1024:,.0f} KB; the limit is {MAX_INPUT_BYTES // 1024} KB. "
            "Try a smaller input.",
            code="custom_input_too_large",
        )
    if "\x00" in text:
        raise CustomInputError("The input contains a NUL character; remove it.")


def run_custom(
    problem_id: str, language: CodingLanguage, code: str, text: str, *, sandbox: Sandbox
) -> CustomRunResult:
    """Run ``code`` once on the typed input. Blocks the calling thread for the run.

    Raises CustomInputError for an input that cannot be run, KeyError for an unknown problem,
    ValueError for a language the problem lacks or code that is too long."""
    spec = _problem(problem_id).spec
    if len(code.encode("utf-8", errors="replace")) > MAX_CODE_BYTES:
        raise ValueError(f"the code is longer than {MAX_CODE_BYTES // 1024} KB")
    if isinstance(spec, SqlProblem):
        if language is not CodingLanguage.SQL:
            raise ValueError(f"{spec.id} is a SQL problem")
        check_size(text)
        return _run_sql(spec, code, text, sandbox)
    if language is CodingLanguage.SQL:
        raise ValueError(f"{spec.id} is not a SQL problem")
    args = parse_arguments(spec, text)
    harness, nonce, program = run_harnessed(spec, language, code, [args], sandbox=sandbox)
    return _function_result(language, harness, nonce, program)


def _function_result(
    language: CodingLanguage, harness: HarnessFiles, nonce: str, program: ProgramResult
) -> CustomRunResult:
    run = program.run
    measured: dict[str, Any] = {
        "language": language.value,
        "sandboxed": program.sandboxed,
        "stdout": tail(strip_tagged(program.stdout), OUTPUT_CHARS),
        "stderr": tail(program.stderr if run else "", OUTPUT_CHARS),
        "exit_code": run.exit_code if run else None,
        "signal": run.signal if run else None,
        "wall_seconds": run.wall_seconds if run else 0.0,
        "cpu_seconds": run.cpu_seconds if run else 0.0,
        "peak_memory_kb": run.peak_memory_kb if run else 0,
    }
    if program.verdict is Verdict.COMPILE_ERROR:
        return CustomRunResult(
            status="compile_error",
            compile_errors=compile_messages(program.diagnostics, harness.candidate_file),
            compile_output=head(clean_compiler_output(program.compile_output)),
            **measured,
        )
    lines = tagged_lines(program.stdout, nonce)
    if "compile" in lines:
        info = lines["compile"]
        message = CompileMessage(info.get("line"), None, str(info.get("message", "")))
        return CustomRunResult(
            status="compile_error",
            compile_errors=(message,),
            compile_output=message.message,
            **measured,
        )
    if "load" in lines:
        return CustomRunResult(status="error", error=str(lines["load"].get("error")), **measured)
    result = lines.get("0")
    if result is None:
        status = {
            Verdict.TIME_LIMIT: "time_limit",
            Verdict.MEMORY_LIMIT: "memory_limit",
            Verdict.OUTPUT_LIMIT: "output_limit",
        }.get(program.verdict, "error")
        return CustomRunResult(
            status=status, error="The program stopped before it returned a value.", **measured
        )
    if not result.get("ok"):
        return CustomRunResult(status="error", error=str(result.get("error", "")), **measured)
    value = json.dumps(result.get("value"), ensure_ascii=False)
    return CustomRunResult(status="ok", value=head(value, VALUE_CHARS), **measured)


def _run_sql(spec: SqlProblem, query: str, data: str, sandbox: Sandbox) -> CustomRunResult:
    result = run_sql(sandbox, spec.sql.schema_sql + "\n" + data, query)
    run = result.run
    measured: dict[str, Any] = {
        "language": CodingLanguage.SQL.value,
        "sandboxed": run.sandboxed if run else sandbox.sandboxed,
        "exit_code": run.exit_code if run else None,
        "signal": run.signal if run else None,
        "wall_seconds": run.wall_seconds if run else 0.0,
        "cpu_seconds": run.cpu_seconds if run else 0.0,
        "peak_memory_kb": run.peak_memory_kb if run else 0,
    }
    if result.verdict is not Verdict.ACCEPTED:
        status = {
            Verdict.TIME_LIMIT: "time_limit",
            Verdict.MEMORY_LIMIT: "memory_limit",
            Verdict.OUTPUT_LIMIT: "output_limit",
        }.get(result.verdict, "error")
        where = "Your input (INSERT statements) failed: " if result.error_stage == "schema" else ""
        return CustomRunResult(status=status, error=where + tail(result.error, 2000), **measured)
    return CustomRunResult(
        status="ok",
        columns=result.columns,
        rows=result.rows[:MAX_ROWS],
        row_count=len(result.rows),
        **measured,
    )


def _problem(problem_id: str) -> LoadedProblem:
    return default_bank()[problem_id]


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is too large")
    return value


def _short(exc: BaseException) -> str:
    return "nested too deeply" if isinstance(exc, RecursionError) else str(exc)[:200]
