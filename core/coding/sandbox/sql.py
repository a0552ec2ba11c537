"""Run one SQL query against a schema+data script, in SQLite, inside the sandbox."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.coding.sandbox.factory import Sandbox
from core.coding.sandbox.models import Limits, RunRequest, RunResult, Verdict
from core.coding.sandbox.program import classify

_RUNNER = (Path(__file__).parent / "sql_runner.py").read_text(encoding="utf-8")
SQL_LIMITS = Limits(cpu_seconds=5, wall_seconds=10, memory_mb=512, processes=16)


@dataclass(frozen=True)
class SqlResult:
    """Columns and rows of a query, or the error that stopped it."""

    verdict: Verdict
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[Any, ...], ...] = ()
    error: str = ""
    error_stage: str = ""  # "schema" (the problem's data) or "query" (the candidate's SQL)
    run: RunResult | None = field(default=None, compare=False)


def run_sql(
    sandbox: Sandbox, schema_sql: str, query: str, limits: Limits = SQL_LIMITS
) -> SqlResult:
    """Run ``query`` against a fresh in-memory database built from ``schema_sql``. Blocks."""
    nonce = secrets.token_hex(16)
    request = RunRequest(
        argv=(
            "/usr/bin/python3",
            "-I",
            "-S",
            "src/sql_runner.py",
            "src/schema.sql",
            "src/query.sql",
        ),
        files={
            "sql_runner.py": _RUNNER.encode(),
            "schema.sql": schema_sql.encode(),
            "query.sql": query.encode(),
        },
        stdin=f"{nonce}\n".encode(),
        limits=limits,
    )
    run = sandbox.run(request)
    verdict = classify(run, ("MemoryError", "out of memory"), limits.memory_mb)
    if verdict is not Verdict.ACCEPTED:
        return SqlResult(verdict=verdict, error=run.stderr_text()[-2000:], run=run)
    for line in run.stdout_text().splitlines():
        if line.startswith(nonce + " "):
            payload = json.loads(line[len(nonce) + 1 :])
            if "error" in payload:
                return SqlResult(
                    verdict=Verdict.RUNTIME_ERROR,
                    error=str(payload["error"]),
                    error_stage=str(payload.get("stage", "query")),
                    run=run,
                )
            return SqlResult(
                verdict=Verdict.ACCEPTED,
                columns=tuple(payload["columns"]),
                rows=tuple(tuple(row) for row in payload["rows"]),
                run=run,
            )
    return SqlResult(
        verdict=Verdict.RUNTIME_ERROR, error="the SQL runner produced no result", run=run
    )
