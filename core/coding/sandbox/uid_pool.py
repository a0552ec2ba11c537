"""A pool of unprivileged host uids: one per concurrent run, so process limits and kills apply
to that run alone (RLIMIT_NPROC counts per uid, and root would ignore it).

Cross-process safe: a uid is held through an exclusive ``flock`` on a lock file, so two app
processes never hand out the same uid. Allocation rotates through the range, so a uid whose
killed processes are still being reaped is not reused at once.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pwd
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path


class UidPoolExhausted(RuntimeError):
    """Every uid of the pool is in use."""


class UidPool:
    def __init__(self, first: int = 1001, last: int = 1500, lock_dir: Path | None = None) -> None:
        if first <= 0 or last < first:
            raise ValueError(f"bad uid range {first}-{last}")
        taken = {entry.pw_uid for entry in pwd.getpwall()}
        self._uids = [uid for uid in range(first, last + 1) if uid not in taken]
        if not self._uids:
            raise ValueError(f"every uid in {first}-{last} belongs to an account on this host")
        self._lock_dir = lock_dir or Path(tempfile.gettempdir()) / "intervista-sandbox-uids"
        self._lock_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        self._next = int.from_bytes(os.urandom(2), "big") % len(self._uids)
        self._mutex = threading.Lock()

    @contextlib.contextmanager
    def acquire(self) -> Iterator[int]:
        """Hold one uid for the duration of the block. Any thread."""
        uid, handle = self._take()
        try:
            yield uid
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
            os.close(handle)

    def _take(self) -> tuple[int, int]:
        with self._mutex:
            for _ in range(len(self._uids)):
                uid = self._uids[self._next]
                self._next = (self._next + 1) % len(self._uids)
                handle = os.open(self._lock_dir / f"{uid}.lock", os.O_CREAT | os.O_RDWR, 0o600)
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    os.close(handle)
                    continue
                return uid, handle
        raise UidPoolExhausted(f"all {len(self._uids)} sandbox uids are busy")
