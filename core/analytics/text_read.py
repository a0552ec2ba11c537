"""Full reads of the big tables: the database renders CSV text in C, Arrow parses it in C++.

Fetching millions of rows through a Python DBAPI costs a Python object per value (SQLite's
``fetchall`` and Arrow's conversion of the row tuples: about 4 s per million proctoring events)
and psycopg's ``COPY`` yields one Python block per row. Instead each chunk of ids comes back as
*one* text value: SQLite's ``group_concat(printf(...))`` or PostgreSQL's ``string_agg``, one CSV
line per row. Python only moves that string; Arrow's multithreaded CSV reader types it
(timestamps included). While SQLite renders the next chunk (``sqlite3_step`` releases the GIL)
or PostgreSQL does (in its own process), the previous chunk is parsed on a worker thread, so
both cores work. The chunks run on the reader's connection and on its helpers' (one per core:
PostgreSQL connections, or SQLite reader processes, ``core.analytics.sqlite_process``), all in
one snapshot (``core.analytics.snapshot``), the fingerprint's.

CSV dialect: fields unquoted except free text, which is quoted SQL-style (``'it''s'``, newlines
kept); an empty unquoted field or ``NULL`` is a null, a quoted ``''`` an empty string. Numbers
travel losslessly (SQLite ``quote()`` of a REAL round-trips; PostgreSQL 12+ prints the
shortest exact float), booleans as 0/1, timestamps as UTC ``YYYY-MM-DD HH:MM:SS[.ffffff]``.

SQL text is built only from constant table and column names (hence ``noqa: S608``); every
value is a bound parameter.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import pyarrow as pa
from pyarrow import csv as pa_csv

from core.analytics.tables import Column, TableSpec

CHUNK_IDS = 100_000  # ids per text value (about 6 MB of text for proctoring events)
FetchText = Callable[[str, dict[str, Any]], "str | bytes | bytearray | None"]  # query -> text

_TEXT_TYPES: dict[str, pa.DataType] = {
    "int": pa.int64(),
    "float": pa.float64(),
    "str": pa.string(),
    "bool": pa.int64(),
    "ts": pa.timestamp("us"),
}


def text_schema(spec: TableSpec) -> pa.Schema:
    """The Arrow schema of a text read (like ``readers.arrow_schema``, timestamps typed)."""
    return pa.schema([(c.name, _TEXT_TYPES[c.kind]) for c in spec.columns])


def _is_free_text(column: Column) -> bool:
    return column.kind == "str" and not column.values


def _expr(column: Column) -> str:
    return column.source or f'"{column.name}"'


def sqlite_row(spec: TableSpec) -> str:
    """One CSV line per row, rendered by SQLite's ``printf``.

    ``%s`` of an INTEGER or of stored text (enumerations, timestamps) is exact and empty for
    NULL; ``quote()`` of a REAL is exact (``NULL`` for NULL); ``%Q`` quotes free text."""
    formats, args = [], []
    for column in spec.columns:
        expr = _expr(column)
        if column.kind == "float":
            formats.append("%s")
            args.append(f"quote({expr})")
        elif _is_free_text(column):
            formats.append("%Q")
            args.append(expr)
        else:
            formats.append("%s")
            args.append(expr)
    return f"printf('{','.join(formats)}', {', '.join(args)})"


def postgres_row(spec: TableSpec) -> str:
    """One CSV line per row, rendered by PostgreSQL (needs ``DateStyle`` ISO and
    ``extra_float_digits`` >= 1, set by the reader's transaction)."""
    fields = []
    for column in spec.columns:
        expr = _expr(column)
        if column.kind == "bool":
            text = f"CAST(CAST({expr} AS int) AS text)"
        elif column.kind == "ts":
            text = f"CAST(({expr}) AT TIME ZONE 'UTC' AS text)"
        elif _is_free_text(column):
            text = f"'''' || replace({expr}, '''', '''''') || ''''"
        else:
            text = f"CAST({expr} AS text)"
        fields.append(f"coalesce({text}, '')")
    return " || ',' || ".join(fields)


def chunk_sql(spec: TableSpec, dialect: str) -> str:
    """The text of the rows whose chunk key (``spec.chunk_key``: usually ``id``) lies in
    ``:lo < key <= :hi`` (NULL when there are none)."""
    bounded = spec.chunk_key(dialect).bounded
    where = " AND ".join(f"{column} > :lo AND {column} <= :hi" for column in bounded)
    if dialect == "sqlite":
        aggregate = f"CAST(group_concat({sqlite_row(spec)}, char(10)) AS BLOB)"
    else:
        aggregate = f"string_agg({postgres_row(spec)}, chr(10))"
    return f"SELECT {aggregate} FROM {spec.source} WHERE {where}"  # noqa: S608


def id_ranges(low: int, high: int, step: int | None = None) -> Iterator[tuple[int, int]]:
    """``(lo, hi]`` ranges covering ids ``low..high`` (``step``: default ``CHUNK_IDS``, read
    at call time)."""
    step = CHUNK_IDS if step is None else step
    lo = low - 1
    while lo < high:
        yield lo, min(lo + step, high)
        lo += step


def parse(text: str | bytes | bytearray, spec: TableSpec) -> pa.Table:
    """Arrow's CSV reader on one chunk's text, or its UTF-8 bytes (any thread: releases the
    GIL)."""
    schema = text_schema(spec)
    return pa_csv.read_csv(
        pa.BufferReader(text.encode() if isinstance(text, str) else text),
        read_options=pa_csv.ReadOptions(column_names=spec.column_names, block_size=1 << 22),
        parse_options=pa_csv.ParseOptions(
            quote_char="'", double_quote=True, newlines_in_values=True
        ),
        convert_options=pa_csv.ConvertOptions(
            column_types=schema,
            null_values=["", "NULL"],
            strings_can_be_null=True,
            quoted_strings_can_be_null=False,
        ),
    )


def iter_tables(
    specs: Sequence[TableSpec],
    id_spans: Mapping[str, tuple[Any, Any]],
    fetchers: Sequence[FetchText],
    dialect: str,
) -> Iterator[tuple[TableSpec, pa.Table]]:
    """Every row of each of ``specs``, yielded in order as soon as a table is complete (so the
    caller can store it while the next ones are read). The chunks (``id_spans`` cut into
    ``CHUNK_IDS`` ids) go to whichever fetcher is free: one thread per fetcher, each on its own
    connection of one snapshot; a parse thread types the text as it comes (Arrow's own threads
    help). The first error is raised on the caller's thread."""
    tasks: deque[tuple[TableSpec, int, int, Future[Future[pa.Table] | None]]] = deque()
    slots: dict[str, list[Future[Future[pa.Table] | None]]] = {s.name: [] for s in specs}
    for spec in specs:
        low, high = id_spans[spec.name]
        if low is not None and high is not None:
            for lo, hi in id_ranges(int(low), int(high)):
                slot: Future[Future[pa.Table] | None] = Future()
                slots[spec.name].append(slot)
                tasks.append((spec, lo, hi, slot))
    sql = {spec.name: chunk_sql(spec, dialect) for spec in specs}
    lock = threading.Lock()

    def abandon(exc: BaseException) -> None:
        with lock:
            left = list(tasks)
            tasks.clear()
        for *_, slot in left:
            slot.set_exception(exc)

    def work(fetch: FetchText) -> None:
        while True:
            with lock:
                if not tasks:
                    return
                spec, lo, hi, slot = tasks.popleft()
            try:
                text = fetch(sql[spec.name], {"lo": lo, "hi": hi})
            except BaseException as exc:
                slot.set_exception(exc)
                abandon(exc)
                raise
            slot.set_result(parser.submit(parse, text, spec) if text else None)

    with (
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="analytics-parse") as parser,
        ThreadPoolExecutor(len(fetchers), thread_name_prefix="analytics-read") as readers,
    ):
        for fetch in fetchers:
            readers.submit(work, fetch)
        try:
            for spec in specs:
                parsed = [slot.result() for slot in slots[spec.name]]
                tables = [part.result() for part in parsed if part is not None]
                yield spec, pa.concat_tables(tables) if tables else text_schema(spec).empty_table()
        finally:
            abandon(RuntimeError("full read abandoned"))  # no-op when everything was read
