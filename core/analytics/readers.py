"""Read columns out of the operational database into Arrow, fast, without DuckDB extensions.

Two implementations of one small protocol, chosen by the engine's dialect.
- ``read_tables`` (full reads of the big tables): ``core.analytics.text_read``. The database
  renders CSV text in chunks of ids, Arrow parses it; the chunks are spread over the reader's
  connection and its helper connections (``core.analytics.snapshot``), all in one snapshot.
- ``read`` (deltas and the small tables, a few rows each): SQLite through the DBAPI cursor's
  ``fetchall`` (Arrow converts the row tuples in C++); PostgreSQL through
  ``COPY (SELECT ...) TO STDOUT (FORMAT CSV)``, parsed by Arrow.
Both return the raw Arrow schema of ``core.analytics.tables`` (``read_tables``: with typed
timestamps); DuckDB does the casts. A reader is one read transaction (REPEATABLE READ on
PostgreSQL): everything it reads comes from one snapshot.

SQL text is built only from constant table and column names (hence ``noqa: S608``); every
value is a bound parameter.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, Protocol

import pyarrow as pa
from pyarrow import csv as pa_csv
from sqlalchemy import Engine

from core.analytics import snapshot, text_read
from core.analytics.tables import ChunkKey, Column, TableSpec
from core.analytics.text_read import FetchText

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

    @property
    def connections(self) -> int:
        """Connections ``read_tables`` uses (this one and its helpers, one snapshot)."""
        ...

    def read(
        self, spec: TableSpec, where: str = "", params: Mapping[str, Any] | None = None
    ) -> pa.Table:
        """Rows of ``spec`` matching ``where`` (SQL with ``:name`` parameters)."""
        ...

    def iter_tables(self, specs: Sequence[TableSpec]) -> Iterator[tuple[TableSpec, pa.Table]]:
        """Every row of each of ``specs`` (big tables), table by table as each is complete."""
        ...

    def read_tables(self, specs: Sequence[TableSpec]) -> dict[str, pa.Table]:
        """Every row of each of ``specs`` (big tables), by table name."""
        ...

    def row(self, sql: str, params: Mapping[str, Any] | None = None) -> tuple[Any, ...]:
        """The first row of a query (``:name`` parameters)."""
        ...


def id_span_sql(key: ChunkKey) -> str:
    """The lowest and highest value of an indexed chunk key: two index lookups. (One
    ``SELECT min(id), max(id)`` scans the whole table on SQLite, whose min/max shortcut takes
    a single aggregate: 0.1 s on a million rows.)"""
    column, table = key.column, key.table
    return f"SELECT (SELECT min({column}) FROM {table}), (SELECT max({column}) FROM {table})"  # noqa: S608


def _pg_params(sql: str) -> str:
    """``:name`` placeholders in psycopg's ``%(name)s`` style."""
    return _NAMED_PARAM.sub(r"%(\1)s", sql)


def _quoted(name: str) -> str:
    return f'"{name}"'


def _select_list(spec: TableSpec, render: Any) -> str:
    return ", ".join(f"{render(c)} AS {_quoted(c.name)}" for c in spec.columns)


def sqlite_text(dbapi_connection: Any) -> FetchText:
    """One chunk's text on a SQLite connection (the calling thread; the GIL is released
    while SQLite renders it)."""

    def fetch(sql: str, params: dict[str, Any]) -> str | None:
        cursor = dbapi_connection.cursor()
        try:
            return cursor.execute(sql, params).fetchone()[0]
        finally:
            cursor.close()

    return fetch


def postgres_text(dbapi_connection: Any) -> FetchText:
    """One chunk's text on a psycopg connection (the calling thread)."""

    def fetch(sql: str, params: dict[str, Any]) -> str | None:
        with dbapi_connection.cursor() as cursor:
            cursor.execute(_pg_params(sql), params)
            return cursor.fetchone()[0]

    return fetch


class _TextReads:
    """``read_tables`` over this reader's connection and its helpers'."""

    dialect = ""

    def __init__(self, dbapi_connection: Any, helpers: Sequence[FetchText] = ()) -> None:
        self._conn = dbapi_connection
        self._helpers = list(helpers)

    def text(self, sql: str, params: dict[str, Any]) -> str | None:
        raise NotImplementedError

    def row(self, sql: str, params: Mapping[str, Any] | None = None) -> tuple[Any, ...]:
        raise NotImplementedError

    @property
    def connections(self) -> int:
        return 1 + len(self._helpers)

    def iter_tables(self, specs: Sequence[TableSpec]) -> Iterator[tuple[TableSpec, pa.Table]]:
        spans = {s.name: self.row(id_span_sql(s.chunk_key(self.dialect))) for s in specs}
        fetchers = [self.text, *self._helpers]
        yield from text_read.iter_tables(specs, spans, fetchers, self.dialect)

    def read_tables(self, specs: Sequence[TableSpec]) -> dict[str, pa.Table]:
        return {spec.name: table for spec, table in self.iter_tables(specs)}


class SqliteRowReader(_TextReads):
    dialect = "sqlite"

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

    def text(self, sql: str, params: dict[str, Any]) -> str | None:
        return sqlite_text(self._conn)(sql, params)

    def row(self, sql: str, params: Mapping[str, Any] | None = None) -> tuple[Any, ...]:
        cursor = self._conn.cursor()
        try:
            return tuple(cursor.execute(sql, dict(params or {})).fetchone())
        finally:
            cursor.close()


class PostgresRowReader(_TextReads):
    dialect = "postgresql"

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

    def text(self, sql: str, params: dict[str, Any]) -> str | None:
        return postgres_text(self._conn)(sql, params)

    def row(self, sql: str, params: Mapping[str, Any] | None = None) -> tuple[Any, ...]:
        with self._conn.cursor() as cursor:
            cursor.execute(_pg_params(sql), dict(params or {}))
            return tuple(cursor.fetchone())


@contextmanager
def open_reader(engine: Engine, helpers: int = 0) -> Iterator[RowReader]:
    """A reader on one pooled connection, inside one read transaction, rolled back after.

    ``helpers``: up to this many more connections in the same snapshot, for ``read_tables``
    (fewer, or none, when the snapshot cannot be shared quickly: see ``snapshot``)."""
    if engine.dialect.name == "sqlite":
        with snapshot.sqlite_group(engine, helpers) as (main, others):
            yield SqliteRowReader(main, [helper.fetch for helper in others])
    elif engine.dialect.name == "postgresql":
        with snapshot.postgres_group(engine, helpers) as (main, others):
            yield PostgresRowReader(main, [postgres_text(c) for c in others])
    else:
        raise ValueError(f"analytics reads SQLite or PostgreSQL, not {engine.dialect.name}")
