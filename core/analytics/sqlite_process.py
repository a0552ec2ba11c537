"""A SQLite reader in a child process, so that a full read renders its text on two cores.

Two threads of one process rendering chunks were no faster than one (SQLite's allocator is
serialized process-wide); two processes are (``bench/analytics.py``). The child is this file
run as a script (``python -I -S``: the standard library only, no site packages, an environment
holding nothing but PATH, so no secret reaches it) with its own connection to the same database
file, which it only reads (``PRAGMA query_only``). It joins the parent's snapshot: the parent
holds the write lock (``snapshot``'s gate) while the child begins its read transaction.

Protocol over the pipes: the parent writes one JSON line per request, ``{"op": "begin"}`` or
``{"op": "fetch", "sql": ..., "params": {...}}``; the child answers each (and its own start)
with one status byte, an 8-byte big-endian length and that many bytes: ``K`` ok, ``T`` the
first value of the first row as UTF-8 text, ``N`` no value (NULL or no row), ``E`` an error
message. The child rolls back and exits at the end of its input (the parent closing it).
"""

from __future__ import annotations

import json
import logging
import os
import select
import sqlite3
import struct
import subprocess
import sys
from pathlib import Path
from typing import Any, BinaryIO

logger = logging.getLogger(__name__)

_HEADER = struct.Struct(">cQ")
READY_TIMEOUT_S = 10.0  # the child's start (an interpreter and sqlite3: about 0.05 s)
BEGIN_TIMEOUT_S = 1.0  # all helpers joining the snapshot, while the parent holds the write lock
FETCH_TIMEOUT_S = 300.0  # one chunk (about 0.1 s); a stopped child must not hang the refresh


class HelperError(RuntimeError):
    """The child process failed or answered with an error."""


def _read_exact(stream: BinaryIO, size: int) -> bytearray:
    buffer = bytearray(size)
    view, got = memoryview(buffer), 0
    while got < size:
        n = stream.readinto(view[got:])  # type: ignore[attr-defined]
        if not n:
            raise HelperError("the SQLite reader process exited")
        got += n
    return buffer


class SqliteProcess:
    """The parent's handle on one child reader. Use it from one thread at a time."""

    def __init__(self, database: str, *, python: str | None = None) -> None:
        """Starts the child (it connects and reports ready; see ``wait_ready``)."""
        self.database = str(Path(database).resolve())
        self._proc = subprocess.Popen(
            [python or sys.executable, "-I", "-S", str(Path(__file__).resolve()), self.database],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={"PATH": os.environ.get("PATH", "")},
            bufsize=0,
        )

    def _request(self, message: dict[str, Any]) -> None:
        assert self._proc.stdin is not None
        try:
            self._proc.stdin.write(json.dumps(message).encode() + b"\n")
        except OSError as exc:
            raise HelperError(f"the SQLite reader process is gone: {exc}") from exc

    def _answer(self, timeout: float | None = None) -> tuple[bytes, bytearray]:
        stdout = self._proc.stdout
        assert stdout is not None
        if timeout is not None and not select.select([stdout], [], [], timeout)[0]:
            raise HelperError(f"the SQLite reader process did not answer in {timeout} s")
        status, size = _HEADER.unpack(_read_exact(stdout, _HEADER.size))
        payload = _read_exact(stdout, size)
        if status == b"E":
            raise HelperError(f"the SQLite reader process failed: {bytes(payload).decode()}")
        return status, payload

    @property
    def pid(self) -> int:
        return self._proc.pid

    @property
    def running(self) -> bool:
        return self._proc.poll() is None

    def wait_ready(self, timeout: float = READY_TIMEOUT_S) -> None:
        self._answer(timeout)

    def request_begin(self) -> None:
        """Ask the child to begin its read transaction (the caller holds the gate); its answer
        is read by ``await_begun``, so several helpers begin together."""
        self._request({"op": "begin"})

    def await_begun(self, timeout: float) -> None:
        self._answer(max(0.0, timeout))

    def begin(self, timeout: float = BEGIN_TIMEOUT_S) -> None:
        """Begin the child's read transaction and fix its snapshot (the caller holds the gate)."""
        self.request_begin()
        self.await_begun(timeout)

    def fetch(self, sql: str, params: dict[str, Any]) -> bytearray | None:
        """The first value of the first row as UTF-8 text (a ``text_read.FetchText``). Blocks
        the calling thread, not the GIL, while the child renders (at most ``FETCH_TIMEOUT_S``)."""
        self._request({"op": "fetch", "sql": sql, "params": params})
        status, payload = self._answer(FETCH_TIMEOUT_S)
        return None if status == b"N" else payload

    def close(self) -> None:
        """End the child (its transaction rolls back); kill it if it does not end at once."""
        proc = self._proc
        for stream in (proc.stdin, proc.stdout):
            if stream is not None:
                stream.close()
        try:
            proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def start_helpers(database: str, count: int, python: str | None = None) -> list[SqliteProcess]:
    """Up to ``count`` children, started together and each ready; one that fails is logged and
    left out (the read then uses fewer cores). On any other error every child is ended."""
    started: list[SqliteProcess] = []
    ready: list[SqliteProcess] = []
    try:
        for _ in range(count):
            try:
                started.append(SqliteProcess(database, python=python))
            except OSError as exc:
                logger.warning("analytics: cannot start a SQLite reader process: %s", exc)
        for helper in started:
            try:
                helper.wait_ready()
                ready.append(helper)
            except HelperError as exc:
                logger.warning("analytics: a SQLite reader process is not ready: %s", exc)
                helper.close()
    except BaseException:
        for helper in started:
            helper.close()
        raise
    return ready


# -- the child -----------------------------------------------------------------------------
def _reply(out: BinaryIO, status: bytes, payload: bytes = b"") -> None:
    out.write(_HEADER.pack(status, len(payload)))
    if payload:
        out.write(payload)
    out.flush()


def _child(database: str) -> int:
    out = sys.stdout.buffer
    if not Path(database).is_file():  # never create a database
        _reply(out, b"E", f"no database file at {database}".encode())
        return 1
    try:
        conn = sqlite3.connect(database, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA query_only = ON")
        conn.execute("PRAGMA busy_timeout = 5000")
    except sqlite3.Error as exc:
        _reply(out, b"E", str(exc).encode())
        return 1
    _reply(out, b"K")
    for line in sys.stdin.buffer:
        try:
            request = json.loads(line)
            if request["op"] == "begin":
                conn.execute("BEGIN")
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # fixes it
                _reply(out, b"K")
                continue
            row = conn.execute(request["sql"], request["params"]).fetchone()
            value = None if row is None else row[0]
        except (sqlite3.Error, ValueError, KeyError, TypeError) as exc:
            _reply(out, b"E", f"{type(exc).__name__}: {exc}".encode())
            continue
        if value is None:
            _reply(out, b"N")
        else:
            _reply(out, b"T", value if isinstance(value, bytes) else str(value).encode())
    conn.close()  # rolls back the read transaction
    return 0


if __name__ == "__main__":
    sys.exit(_child(sys.argv[1]))
