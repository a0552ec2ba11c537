"""``python -m core sandbox-run``: run one whole program in the sandbox, print one JSON object."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from core.cli import Command
from core.coding.sandbox import SandboxUnavailable, build_sandbox
from core.coding.sandbox.drivers import get_driver
from core.coding.sandbox.program import run_program
from core.coding.sandbox.sql import run_sql
from core.config import get_settings
from core.domain import CodingLanguage

_LANGUAGES = {lang.value.lower(): lang for lang in CodingLanguage}
_LANGUAGES.update(
    {
        "js": CodingLanguage.JAVASCRIPT,
        "cs": CodingLanguage.CSHARP,
        "c#": CodingLanguage.CSHARP,
        "py": CodingLanguage.PYTHON,
        "rb": CodingLanguage.RUBY,
    }
)


def _language(value: str) -> CodingLanguage:
    try:
        return _LANGUAGES[value.lower()]
    except KeyError:
        choices = ", ".join(sorted(lang.value.lower() for lang in CodingLanguage))
        raise argparse.ArgumentTypeError(
            f"unknown language {value!r} (choose from {choices})"
        ) from None


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--language",
        "-l",
        required=True,
        type=_language,
        help="python, javascript, java, php, ruby, csharp or sql",
    )
    parser.add_argument("file", type=Path, help="the program (for SQL: a file with one query)")
    parser.add_argument(
        "--stdin", type=Path, default=None, help="file fed to the program's standard input"
    )
    parser.add_argument(
        "--db", type=Path, default=None, help="SQL only: schema and data script (SQLite)"
    )


def _read(path: Path, what: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"cannot read {what} {path}: {exc}") from exc


def _run(args: argparse.Namespace) -> int:
    language: CodingLanguage = args.language
    try:
        code = _read(args.file, "program")
        if language is CodingLanguage.SQL and args.db is None:
            raise ValueError("--db SCHEMA_AND_DATA.sql is required for SQL")
        if language is not CodingLanguage.SQL and args.db is not None:
            raise ValueError("--db only applies to SQL")
        stdin = _read(args.stdin, "stdin file").encode() if args.stdin else b""
        schema = _read(args.db, "database script") if args.db else ""
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        sandbox = build_sandbox(get_settings())
    except SandboxUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if language is CodingLanguage.SQL:
        result = run_sql(sandbox, schema, code)
        run = result.run
        payload: dict[str, object] = {
            "verdict": result.verdict.value,
            "exit_code": run.exit_code if run else None,
            "columns": list(result.columns),
            "rows": [list(r) for r in result.rows],
            "error": result.error,
            "stdout": "",
            "stderr": result.error,
            "time": round(run.wall_seconds, 4) if run else 0.0,
            "memory_kb": run.peak_memory_kb if run else 0,
            "sandboxed": run.sandboxed if run else sandbox.sandboxed,
        }
    else:
        main_file = get_driver(language).main_file(code)
        program = run_program(sandbox, language, {main_file: code}, main_file, stdin=stdin)
        run = program.run
        payload = {
            "verdict": program.verdict.value,
            "exit_code": run.exit_code if run else None,
            "stdout": program.stdout,
            "stderr": program.stderr,
            "compile_errors": [
                {"file": d.file, "line": d.line, "column": d.column, "message": d.message}
                for d in program.diagnostics
            ],
            "time": round(run.wall_seconds, 4) if run else 0.0,
            "cpu_time": round(run.cpu_seconds, 4) if run else 0.0,
            "memory_kb": run.peak_memory_kb if run else 0,
            "compile_time": round(program.compile.wall_seconds, 4) if program.compile else None,
            "sandboxed": program.sandboxed,
        }
    sys.stdout.write(json.dumps(payload) + "\n")
    return 0


COMMANDS = [
    Command(
        name="sandbox-run",
        help="run one program in the code sandbox and print a JSON result",
        configure=_configure,
        run=_run,
        needs_database=False,
    )
]
