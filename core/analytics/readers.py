"""Read columns out of the operational database into Arrow, without DuckDB extensions.

One small protocol, two implementations chosen by the engine's dialect: SQLite through the
DBAPI cursor's ``fetchall`` (Arrow converts the row tuples in C++); PostgreSQL through
``COPY (SELECT ...) TO STDOUT (FORMAT CSV)``, parsed by Arrow. Both return the raw Arrow schema
of ``core.analytics.tables``; DuckDB does the casts. A reader is one read transaction
(REPEATABLE READ on PostgreSQL): everything it reads, the change record included, comes from
one snapshot.

SQL text is built only from constant table and column names (hence ``noqa: S608``); every
value is a bound parameter.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, Protocol

import pyarrow as pa
from pyarrow import csv as pa_csv
from sqlalchemy import Engine

from core.analytics.tables import Column, TableSpec

_ARROW_TYPES: dict[str, pa.DataType] = {
    "int": pa.int64(),
    "float": pa.float64(),
    "str": pa.string(),
    "bool": pa.int64(),
    "ts": pa.string(),
}
_NAMED_PARAM = re.compile(r":([a-z_0-9]+)")
_PG_BEGIN = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"


def arrow_schema(spec: TableSpec) -> pa.Schema:
    return pa.schema([(c.name, _ARROW_TYPES[c.kind]) for c in spec.columns])


class RowReader(Protocol):
    """One read transaction on the operational database."""

    def read(
        self, spec: TableSpec, where: str = "", params: Mapping[str, Any] | None = None
    ) -> pa.Table:
        """Rows of ``spec`` matching ``where`` (SQL with ``:name`` parameters; all without)."""
        ...

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
        """Every row of a query (``:name`` parameters)."""
        ...

    def in_subquery(self, column: str, subquery: str) -> str:
        """``column IN (subquery)`` as this database plans it best (a few ids of a big table)."""
        ...


def _pg_params(sql: str) -> str:
    """``:name`` placeholders in psycopg's ``%(name)s`` style."""
    return _NAMED_PARAM.sub(r"%(\1)s", sql)


def _quoted(name: str) -> str:
    return f'"{name}"'


def _select_list(spec: TableSpec, render: Any) -> str:
    return ", ".join(f"{render(c)} AS {_quoted(c.name)}" for c in spec.columns)


class SqliteRowReader:
    dialect = "sqlite"

    def __init__(self, dbapi_connection: Any) -> None:
        self._conn = dbapi_connection

    @staticmethod
    def in_subquery(column: str, subquery: str) -> str:
        return f"{column} IN ({subquery})"  # SQLite builds the list once, then rowid lookups

    @staticmethod
    def _render(column: Column) -> str:
        return column.source or _quoted(column.name)

    def read(
        self, spec: TableSpec, where: str = "", params: Mapping[str, Any] | None = None
    ) -> pa.Table:
        condition = f" WHERE {where}" if where else ""
        sql = f"SELECT {_select_list(spec, self._render)} FROM {spec.source}{condition}"  # noqa: S608
        cursor = self._conn.cursor()
        try:
            rows = cursor.execute(sql, dict(params or {})).fetchall()
        finally:
            cursor.close()
        schema = arrow_schema(spec)
        if not rows:
            return schema.empty_table()
        return pa.Table.from_struct_array(pa.array(rows, type=pa.struct(list(schema))))

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
        cursor = self._conn.cursor()
        try:
            return [tuple(r) for r in cursor.execute(sql, dict(params or {})).fetchall()]
        finally:
            cursor.close()


class PostgresRowReader:
    dialect = "postgresql"

    def __init__(self, dbapi_connection: Any) -> None:
        self._conn = dbapi_connection

    @staticmethod
    def in_subquery(column: str, subquery: str) -> str:
        # An array computed once, then index lookups: with ``IN (subquery)`` the planner may
        # hash the subquery and scan the whole table (0.5 s for 3 new rows at 1M events).
        return f"{column} = ANY(ARRAY({subquery}))"

    @staticmethod
    def _render(column: Column) -> str:
        expr = column.source or _quoted(column.name)
        if column.kind == "bool":
            return f"({expr})::int"
        if column.kind == "ts":
            return f"to_char({expr} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')"
        return expr

    def read(
        self, spec: TableSpec, where: str = "", params: Mapping[str, Any] | None = None
    ) -> pa.Table:
        condition = f" WHERE {_pg_params(where)}" if where else ""
        select = f"SELECT {_select_list(spec, self._render)} FROM {spec.source}{condition}"  # noqa: S608
        buffer = io.BytesIO()
        with (
            self._conn.cursor() as cursor,
            cursor.copy(f"COPY ({select}) TO STDOUT (FORMAT CSV)", dict(params or {})) as copy,
        ):
            for block in copy:
                buffer.write(block)
        schema = arrow_schema(spec)
        if buffer.tell() == 0:
            return schema.empty_table()
        buffer.seek(0)
        return pa_csv.read_csv(
            buffer,
            read_options=pa_csv.ReadOptions(column_names=spec.column_names),
            convert_options=pa_csv.ConvertOptions(
                column_types=schema,
                null_values=[""],  # COPY's NULL; not Arrow's default list ("NULL", "NA", ...)
                strings_can_be_null=True,
                quoted_strings_can_be_null=False,
            ),
        )

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
        with self._conn.cursor() as cursor:
            cursor.execute(_pg_params(sql), dict(params or {}))
            return [tuple(r) for r in cursor.fetchall()]


@contextmanager
def open_reader(engine: Engine) -> Iterator[RowReader]:
    """A reader on one pooled connection, inside one read transaction, rolled back after."""
    if engine.dialect.name not in ("sqlite", "postgresql"):
        raise ValueError(f"analytics reads SQLite or PostgreSQL, not {engine.dialect.name}")
    raw = engine.raw_connection()
    try:
        conn: Any = raw.driver_connection
        if engine.dialect.name == "sqlite":
            conn.execute("BEGIN")  # the engine leaves BEGIN to its caller (autocommit mode)
            yield SqliteRowReader(conn)
        else:
            with conn.cursor() as cursor:
                cursor.execute(_PG_BEGIN)
            yield PostgresRowReader(conn)
    finally:
        try:
            raw.rollback()
        finally:
            raw.close()
