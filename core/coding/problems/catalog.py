"""Read-only views of the problem bank for the interview page (no hidden test data)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any, TypedDict

from core.coding.problems.loader import PROGRAMMING_LANGUAGES, LoadedProblem, default_bank
from core.coding.problems.model import FunctionProblem, SqlProblem
from core.coding.problems.naming import signature_line, starter_code
from core.domain import CodingLanguage


@dataclass(frozen=True)
class ExampleView:
    args: tuple[Any, ...] | None
    expected: Any
    explanation: str


@dataclass(frozen=True)
class TableView:
    name: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]


@dataclass(frozen=True)
class ProblemView:
    id: str
    title: str
    kind: str
    difficulty: str
    tags: tuple[str, ...]
    statement: str
    languages: tuple[str, ...]
    signatures: dict[str, str]
    starters: dict[str, str]
    examples: tuple[ExampleView, ...]
    cpu_seconds: float
    memory_mb: int
    sql_schema: str = ""
    sample_tables: tuple[TableView, ...] = ()


class _CommonFields(TypedDict):
    """The ProblemView fields shared by function and SQL problems."""

    id: str
    title: str
    kind: str
    difficulty: str
    tags: tuple[str, ...]
    statement: str
    cpu_seconds: float
    memory_mb: int


def list_problems() -> list[ProblemView]:
    """Every problem of the shipped bank, sorted by id."""
    return [_view(problem) for problem in default_bank().values()]


def get_problem(problem_id: str) -> ProblemView:
    """One problem; KeyError if there is none with that id."""
    return _view(default_bank()[problem_id])


def _view(problem: LoadedProblem) -> ProblemView:
    spec = problem.spec
    common: _CommonFields = {
        "id": spec.id,
        "title": spec.title,
        "kind": spec.kind,
        "difficulty": spec.difficulty.value,
        "tags": spec.tags,
        "statement": spec.statement,
        "cpu_seconds": spec.limits.cpu_seconds,
        "memory_mb": spec.limits.memory_mb,
    }
    if isinstance(spec, FunctionProblem):
        return ProblemView(
            languages=tuple(lang.value for lang in PROGRAMMING_LANGUAGES),
            signatures={
                lang.value: signature_line(spec.function, lang) for lang in PROGRAMMING_LANGUAGES
            },
            starters={
                lang.value: starter_code(spec.function, lang) for lang in PROGRAMMING_LANGUAGES
            },
            examples=tuple(ExampleView(t.args, t.expected, t.explanation) for t in spec.examples),
            **common,
        )
    assert isinstance(spec, SqlProblem)
    sample = spec.examples[0]
    return ProblemView(
        languages=(CodingLanguage.SQL.value,),
        signatures={},
        starters={CodingLanguage.SQL.value: "-- write one SELECT statement\nSELECT 1;\n"},
        examples=tuple(
            ExampleView(None, [list(r) for r in t.expected_rows], t.explanation)
            for t in spec.examples
        ),
        sql_schema=spec.sql.schema_sql,
        sample_tables=_tables(spec.sql.schema_sql + "\n" + sample.data),
        **common,
    )


def _tables(script: str) -> tuple[TableView, ...]:
    """Run the bank's own (trusted) schema+sample script in memory and read the tables back."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.executescript(script)
        names = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        tables = []
        for name in names:
            cursor = conn.execute(f'SELECT * FROM "{name}"')  # noqa: S608 - names from sqlite_master
            columns = tuple(d[0] for d in cursor.description)
            tables.append(TableView(name, columns, tuple(tuple(r) for r in cursor.fetchall())))
        return tuple(tables)
    finally:
        conn.close()
