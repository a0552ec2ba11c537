# ruff: noqa: T201, SIM115 - runs inside the sandbox, prints its one result line
"""Runs INSIDE the sandbox: load a schema+data script into in-memory SQLite, run one query.

Usage: ``python3 -I -S sql_runner.py SCHEMA.sql QUERY.sql``. Reads a nonce line from stdin
first, then prints exactly one line ``<nonce> <json>`` with ``{"columns", "rows"}`` or
``{"error", "stage"}``. Standard library only.
"""

import json
import sqlite3
import sys


def main() -> None:
    nonce = sys.stdin.readline().strip()
    schema = open(sys.argv[1], encoding="utf-8").read()
    query = open(sys.argv[2], encoding="utf-8").read().strip().rstrip(";")
    conn = sqlite3.connect(":memory:")
    try:
        conn.executescript(schema)
    except sqlite3.Error as exc:
        print(nonce, json.dumps({"error": str(exc), "stage": "schema"}))
        return
    conn.execute("PRAGMA query_only = ON")
    try:
        cursor = conn.execute(query)
        rows = cursor.fetchmany(10001)
        columns = [d[0] for d in cursor.description] if cursor.description else []
    except (sqlite3.Error, sqlite3.Warning) as exc:
        print(nonce, json.dumps({"error": str(exc), "stage": "query"}))
        return
    safe = [[v if not isinstance(v, bytes) else v.hex() for v in row] for row in rows]
    print(nonce, json.dumps({"columns": columns, "rows": safe}))


main()
