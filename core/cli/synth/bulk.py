"""Bulk inserts for synthetic data: executemany on SQLite, COPY on PostgreSQL.

Rows are given column-wise (``dict`` of column name to a sequence); the model's Python-side
defaults fill every NOT NULL column a caller leaves out, and values are converted exactly as
SQLAlchemy would store them (UTC text on SQLite, ``timestamptz`` on PostgreSQL, JSON text).
Runs on the caller's thread, inside the caller's transaction (``connection``).

SQL text is built only from constant table and column names (hence ``noqa: S608``); every
value is a bound parameter.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from enum import Enum
from typing import Any

import numpy as np
from sqlalchemy import JSON, Boolean, Connection, Table

from core.db.base import UTCDateTime

CHUNK_ROWS = 50_000


def _static_defaults(table: Table) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for col in table.columns:
        if col.primary_key or col.default is None:
            continue
        arg = col.default.arg  # type: ignore[attr-defined]
        out[col.name] = arg(None) if callable(arg) else arg
    return out


def _is_ts(col: Any) -> bool:
    return isinstance(col.type, UTCDateTime)


def timestamps_text(epoch_seconds: np.ndarray) -> np.ndarray:
    """UTC epoch seconds (NaN for none) as SQLAlchemy's SQLite text, or None (vectorized)."""
    values = np.asarray(epoch_seconds, dtype="float64")
    missing = np.isnan(values)
    micros = np.where(missing, 0, np.round(values * 1e6)).astype("int64")
    text = np.datetime_as_string(micros.astype("datetime64[us]"), unit="us")
    text = np.char.replace(text.astype(str), "T", " ")
    out = text.astype(object)
    out[missing] = None
    return out


def _sqlite_value_converter(col: Any) -> Any:
    if isinstance(col.type, JSON):
        return lambda v: None if v is None else json.dumps(v)
    if isinstance(col.type, Boolean):
        return lambda v: None if v is None else int(bool(v))
    if _is_ts(col):
        return lambda v: (
            v
            if v is None or isinstance(v, str)
            else v.astimezone(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
        )
    return None


def _postgres_value_converter(col: Any) -> Any:
    if isinstance(col.type, JSON):
        return lambda v: None if v is None else json.dumps(v)
    if _is_ts(col):
        return lambda v: v + "+00" if isinstance(v, str) else v
    return None


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, Enum):
        return value.value
    return value


def _columns(
    table: Table, data: Mapping[str, Sequence[Any]], postgres: bool
) -> tuple[list[str], list[list[Any]]]:
    lengths = {len(v) for v in data.values()}
    if len(lengths) != 1:
        raise ValueError(f"{table.name}: columns of different lengths {sorted(lengths)}")
    n = lengths.pop()
    defaults = _static_defaults(table)
    names = [c.name for c in table.columns if c.name in data or c.name in defaults]
    columns: list[list[Any]] = []
    for name in names:
        col = table.columns[name]
        if name not in data:
            values: list[Any] = [_plain(defaults[name])] * n
        elif isinstance(data[name], np.ndarray):
            array: np.ndarray = data[name]  # type: ignore[assignment]
            values = array.tolist()
            if array.dtype.kind == "f" and np.isnan(array).any():
                values = [None if v != v else v for v in values]
        else:
            values = [_plain(v) for v in data[name]]
        convert = _postgres_value_converter(col) if postgres else _sqlite_value_converter(col)
        if convert is not None:
            values = [convert(v) for v in values]
        columns.append(values)
    return names, columns


def bulk_insert(connection: Connection, table: Table, data: Mapping[str, Sequence[Any]]) -> int:
    """Insert the rows; return how many. Ids must be given (so children can refer to them)."""
    postgres = connection.dialect.name == "postgresql"
    names, columns = _columns(table, data, postgres)
    rows = list(zip(*columns, strict=True))
    if not rows:
        return 0
    dbapi: Any = connection.connection.driver_connection
    quoted = ", ".join(f'"{n}"' for n in names)
    if postgres:
        with (
            dbapi.cursor() as cursor,
            cursor.copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy,
        ):
            for row in rows:
                copy.write_row(row)
    else:
        marks = ", ".join("?" for _ in names)
        # table and column names come from the model, never from input
        sql = f'INSERT INTO "{table.name}" ({quoted}) VALUES ({marks})'  # noqa: S608
        cursor = dbapi.cursor()
        try:
            for start in range(0, len(rows), CHUNK_ROWS):
                cursor.executemany(sql, rows[start : start + CHUNK_ROWS])
        finally:
            cursor.close()
    return len(rows)


def reset_postgres_sequence(connection: Connection, table: Table) -> None:
    """After inserting explicit ids on PostgreSQL, move the id sequence past them."""
    if connection.dialect.name != "postgresql":
        return
    name = table.name  # from the model, never from input
    statement = (
        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # noqa: S608
        f'(SELECT coalesce(max(id), 1) FROM "{name}"))'
    )
    connection.exec_driver_sql(statement)


def now_text(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
