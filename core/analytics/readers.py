"""Read columns out of the operational database into Arrow, fast, without DuckDB extensions.

Two implementations of one small protocol, chosen by the engine's dialect. Full reads of a
table (``read_all``) go through ``core.analytics.text_read`` (the database renders CSV text in
chunks, Arrow parses it). Deltas and small tables (``read``), a few rows each:
- SQLite: the DBAPI cursor's ``fetchall`` (no ORM, no per-row type processing); Arrow converts
  the row tuples in C++;
- PostgreSQL: ``COPY (SELECT ...) TO STDOUT (FORMAT CSV)`` through psycopg, parsed by Arrow's
  CSV reader.
Both return the raw Arrow schema of ``core.analytics.tables`` (``read_all``: with typed
timestamps); DuckDB does the casts. Each reader holds one connection in one read transaction
(REPEATABLE READ on PostgreSQL), so everything read together comes from one snapshot.

SQL text is built only from constant table and column names (hence ``noqa: S608``); every
value is a bound parameter.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, Protocol

import pyarrow as pa
from pyarrow import csv as pa_csv
from sqlalchemy import Engine

from core.analytics import text_read
from core.analytics.tables import Column, TableSpec

logger = logging.getLogger(__name__)

_ARROW_TYPES: dict[str, pa.DataType] = {
    "int": pa.int64(),
    "float": pa.float64(),
    "str": pa.string(),
    "bool": pa.int64(),
    "ts": pa.string(),
}
_NAMED_PARAM = re.compile(r":([a-z_]+)")


def arrow_schema(spec: TableSpec) -> pa.Schema:
    return pa.schema([(c.name, _ARROW_TYPES[c.kind]) for c in spec.columns])


class RowReader(Protocol):
    """One read transaction on the operational database."""

    def read(
        self, spec: TableSpec, where: str = "", params: Mapping[str, Any] | None = None
    ) -> pa.Table:
        """Rows of ``spec`` matching ``where`` (SQL with ``:name`` parameters)."""
        ...

    def read_all(self, spec: TableSpec) -> pa.Table:
        """Every row of ``spec`` (a big table), as CSV text chunks (``text_read``)."""
        ...

    def row(self, sql: str, params: Mapping[str, Any] | None = None) -> tuple[Any, ...]:
        """The first row of a query (``:name`` parameters)."""
        ...


def _id_span(reader: RowReader, spec: TableSpec) -> tuple[Any, Any]:
    """The lowest and highest id of ``spec``'s table (two index lookups)."""
    low, high = reader.row(f"SELECT min(id), max(id) FROM {spec.name}")  # noqa: S608
    return low, high


def _pg_params(sql: str) -> str:
    """``:name`` placeholders in psycopg's ``%(name)s`` style."""
    return _NAMED_PARAM.sub(r"%(\1)s", sql)


def _quoted(name: str) -> str:
    return f'"{name}"'


def _select_list(spec: TableSpec, render: Any) -> str:
    return ", ".join(f"{render(c)} AS {_quoted(c.name)}" for c in spec.columns)


class SqliteRowReader:
    def __init__(self, dbapi_connection: Any) -> None:
        self._conn = dbapi_connection

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

    def read_all(self, spec: TableSpec) -> pa.Table:
        return text_read.read_table(spec, self._text, _id_span(self, spec), "sqlite")

    def _text(self, sql: str, params: dict[str, Any]) -> str | None:
        cursor = self._conn.cursor()
        try:
            return cursor.execute(sql, params).fetchone()[0]
        finally:
            cursor.close()

    def row(self, sql: str, params: Mapping[str, Any] | None = None) -> tuple[Any, ...]:
        cursor = self._conn.cursor()
        try:
            return tuple(cursor.execute(sql, dict(params or {})).fetchone())
        finally:
            cursor.close()


class PostgresRowReader:
    def __init__(self, dbapi_connection: Any) -> None:
        self._conn = dbapi_connection

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
                strings_can_be_null=True,
                quoted_strings_can_be_null=False,
            ),
        )

    def read_all(self, spec: TableSpec) -> pa.Table:
        return text_read.read_table(spec, self._text, _id_span(self, spec), "postgresql")

    def _text(self, sql: str, params: dict[str, Any]) -> str | None:
        with self._conn.cursor() as cursor:
            cursor.execute(_pg_params(sql), params)
            return cursor.fetchone()[0]

    def row(self, sql: str, params: Mapping[str, Any] | None = None) -> tuple[Any, ...]:
        with self._conn.cursor() as cursor:
            cursor.execute(_pg_params(sql), dict(params or {}))
            return tuple(cursor.fetchone())


# The first statement fixes the snapshot for the whole transaction; the others make the text
# that ``text_read`` renders exact and parseable (ISO timestamps, shortest exact floats).
_PG_TRANSACTION = (
    "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY",
    "SET LOCAL DateStyle TO 'ISO, YMD'",
    "SET LOCAL extra_float_digits TO 1",
)


@contextmanager
def open_reader(engine: Engine) -> Iterator[RowReader]:
    """A reader on one pooled connection, inside one read transaction, rolled back after."""
    raw = engine.raw_connection()
    try:
        dbapi = raw.driver_connection
        if engine.dialect.name == "sqlite":
            dbapi.execute("BEGIN")  # the engine runs SQLite in autocommit; one snapshot
            try:
                yield SqliteRowReader(dbapi)
            finally:
                dbapi.execute("ROLLBACK")
        elif engine.dialect.name == "postgresql":
            dbapi.rollback()  # a new transaction: one snapshot for every statement below
            try:
                for statement in _PG_TRANSACTION:
                    dbapi.execute(statement)
                yield PostgresRowReader(dbapi)
            finally:
                dbapi.rollback()
        else:
            raise ValueError(f"analytics reads SQLite or PostgreSQL, not {engine.dialect.name}")
    finally:
        raw.close()
