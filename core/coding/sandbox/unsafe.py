"""Development fallback WITHOUT isolation: a plain subprocess with rlimits and a fixed env.

Only built when the settings say ``sandbox="unsafe-dev"`` and ``sandbox_allow_unsafe=True``.
Stops CPU loops, fork bombs (when a pooled uid can be used), huge allocations and files; does
NOT hide the host filesystem or network. Every result says ``sandboxed=False``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
from collections.abc import Iterator
from pathlib import Path

from core.coding.sandbox.bwrap import SANDBOX_ENV
from core.coding.sandbox.models import RunRequest, RunResult
from core.coding.sandbox.process import rlimit_prefix, run_supervised
from core.coding.sandbox.uid_pool import UidPool
from core.coding.sandbox.workdir import scratch_dir

logger = logging.getLogger(__name__)


class UnsafeSubprocessSandbox:
    """``Sandbox`` implementation for development machines without bubblewrap. Any thread."""

    sandboxed = False

    def __init__(self, uid_pool: UidPool | None = None) -> None:
        self._pool = uid_pool if uid_pool is not None else (UidPool() if os.getuid() == 0 else None)

    def run(self, request: RunRequest) -> RunResult:
        limits = request.limits
        logger.warning("running code WITHOUT a sandbox (sandbox=unsafe-dev)")
        with self._uid() as uid, scratch_dir(request.files, request.stdin) as scratch:
            work = scratch
            if uid is not None:
                os.chown(work, uid, uid)
            env = dict(SANDBOX_ENV)
            env["HOME"] = env["TMPDIR"] = str(work)
            argv = [
                *rlimit_prefix(
                    limits, address_space=True, processes=limits.processes if uid else None
                ),
                *request.argv,
            ]
            raw = run_supervised(
                argv, cwd=work, stdin_path=work / "stdin", limits=limits, env=env, uid=uid
            )
            _make_removable(work)
        cpu_hit = raw.cpu_seconds >= max(1.0, limits.cpu_seconds) - 0.05
        cpu_hit = cpu_hit or raw.signal == signal.SIGXCPU
        return RunResult(
            exit_code=raw.exit_code,
            signal=raw.signal,
            stdout=raw.stdout,
            stderr=raw.stderr,
            wall_seconds=raw.wall_seconds,
            cpu_seconds=raw.cpu_seconds,
            peak_memory_kb=raw.peak_memory_kb,
            timed_out=raw.wall_timed_out or cpu_hit,
            output_exceeded=raw.output_exceeded,
            sandboxed=False,
        )

    @contextlib.contextmanager
    def _uid(self) -> Iterator[int | None]:
        if self._pool is None:
            yield None
        else:
            with self._pool.acquire() as uid:
                yield uid


def _make_removable(root: Path) -> None:
    for path in root.rglob("*"):
        with contextlib.suppress(OSError):
            if path.is_dir() and not path.is_symlink():
                path.chmod(0o755)
