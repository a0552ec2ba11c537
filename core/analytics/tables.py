"""Which operational tables and columns the analytics copy holds, and how each is refreshed.

Only the columns the dashboards need are read. ``kind`` says how a value travels:
``int``/``float``/``str`` as they are, ``bool`` as 0/1, ``ts`` as UTC text
``YYYY-MM-DD HH:MM:SS[.ffffff]`` that DuckDB casts to ``TIMESTAMP``.

Big tables are refreshed row by row from the change record (``core.db.changes``; see
``core.analytics.store``); the tables of interview rows (``per_interview``) also lose their
rows when their interview is deleted (ON DELETE CASCADE, which no event sees). Small tables
(jobs, templates: a handful of rows) are read whole when any of their rows changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from core.domain import (
    CodingLanguage,
    Decision,
    Difficulty,
    InterviewStatus,
    InterviewType,
    ProctorEventKind,
    QuestionType,
    ResponseStatus,
    Severity,
    SubmissionKind,
)

ColumnKind = Literal["int", "float", "str", "bool", "ts"]
RefreshMode = Literal["big", "small"]


@dataclass(frozen=True)
class Column:
    name: str
    kind: ColumnKind
    source: str | None = None  # SQL expression read instead of the column (a constant string)
    values: tuple[str, ...] = ()  # a domain enumeration: stored as a DuckDB ENUM (fast groups)


@dataclass(frozen=True)
class TableSpec:
    name: str  # the operational table (and the copy's table of the same name)
    columns: tuple[Column, ...]
    mode: RefreshMode
    from_sql: str = ""  # FROM clause when it is not just the table
    alias: str = ""  # prefix of this table's columns in ``from_sql`` ("r.")

    @property
    def source(self) -> str:
        return self.from_sql or self.name

    @property
    def per_interview(self) -> bool:
        """Rows of one interview (an ``interview_id`` column): deleted with it."""
        return any(c.name == "interview_id" for c in self.columns)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


def _cols(*pairs: tuple[str, ColumnKind]) -> tuple[Column, ...]:
    return tuple(Column(name, kind) for name, kind in pairs)


def _pairs(*pairs: tuple[str, ColumnKind]) -> tuple[tuple[str, ColumnKind], ...]:
    return pairs


def _enum(name: str, domain: type[StrEnum], source: str | None = None) -> Column:
    return Column(name, "str", source, tuple(m.value for m in domain))


INTERVIEWS = TableSpec(
    "interviews",
    (
        _enum("interview_type", InterviewType),
        _enum("difficulty", Difficulty),
        _enum("status", InterviewStatus),
        _enum("decision", Decision),
        *_cols(
            ("id", "int"),
            ("candidate_id", "int"),
            ("job_id", "int"),
            ("template_id", "int"),
            ("title", "str"),
            ("is_practice", "bool"),
            ("created_at", "ts"),
            ("scheduled_at", "ts"),
            ("started_at", "ts"),
            ("completed_at", "ts"),
        ),
    ),
    "big",
)
RESPONSES = TableSpec(
    "interview_responses",
    (
        *(
            Column(name, kind, f"r.{name}")
            for name, kind in _pairs(
                ("id", "int"),
                ("interview_id", "int"),
                ("question_id", "int"),
                ("score", "float"),
                ("override_score", "float"),
            )
        ),
        # The question's fields travel with its answer (questions never change once answered;
        # unanswered questions are not needed), so interview_questions is not copied.
        Column("bank_id", "str", "q.bank_id"),
        _enum("status", ResponseStatus, "r.status"),
        _enum("question_type", QuestionType, "q.question_type"),
        _enum("question_difficulty", Difficulty, "q.difficulty"),
        # The text only where no bank id names the question (keeps the copy small).
        Column("question_text", "str", "CASE WHEN q.bank_id IS NULL THEN q.question_text END"),
    ),
    "big",
    from_sql="interview_responses r JOIN interview_questions q ON q.id = r.question_id",
    alias="r.",
)
SUBMISSIONS = TableSpec(
    "code_submissions",
    (
        *_cols(("id", "int"), ("interview_id", "int"), ("question_id", "int")),
        _enum("kind", SubmissionKind),
        _enum("language", CodingLanguage),
        *_cols(("verdict", "str"), ("tests_passed", "int"), ("tests_total", "int")),
    ),
    "big",
)
EVENTS = TableSpec(
    "proctor_events",
    (
        *_cols(("id", "int"), ("interview_id", "int")),
        _enum("kind", ProctorEventKind),
        _enum("severity", Severity),
        Column("started_at", "ts"),
    ),
    "big",
)
COMMENTS = TableSpec("review_comments", _cols(("id", "int"), ("interview_id", "int")), "big")
JOBS = TableSpec("jobs", _cols(("id", "int"), ("title", "str"), ("company", "str")), "small")
TEMPLATES = TableSpec(
    "interview_templates",
    (
        _enum("interview_type", InterviewType),
        _enum("difficulty", Difficulty),
        *_cols(
            ("id", "int"),
            ("title", "str"),
            ("times_used", "int"),
            ("average_score", "float"),
        ),
    ),
    "small",
)

ALL_TABLES: tuple[TableSpec, ...] = (
    INTERVIEWS,
    RESPONSES,
    SUBMISSIONS,
    EVENTS,
    COMMENTS,
    JOBS,
    TEMPLATES,
)
BIG_TABLES = tuple(t for t in ALL_TABLES if t.mode != "small")
SMALL_TABLES = tuple(t for t in ALL_TABLES if t.mode == "small")


_DUCK_TYPES = {"int": "BIGINT", "float": "DOUBLE", "str": "VARCHAR", "bool": "BOOLEAN"}


def duck_type(column: Column) -> str:
    """The column's type in the DuckDB copy."""
    if column.values:  # values come from the model's enumeration (validated on write)
        return "ENUM(" + ", ".join(f"'{v}'" for v in column.values) + ")"
    return "TIMESTAMP" if column.kind == "ts" else _DUCK_TYPES[column.kind]


def duck_select(spec: TableSpec) -> str:
    """The select list that casts a read of ``spec`` (Arrow) to the copy's types."""
    return ", ".join(f'CAST("{c.name}" AS {duck_type(c)}) AS "{c.name}"' for c in spec.columns)
