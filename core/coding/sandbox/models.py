"""Value types of the sandbox: limits, a run request, a run result, verdicts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from core.errors import IntervistaError


class SandboxUnavailable(IntervistaError, RuntimeError):
    """Raised when no safe sandbox can run code here and the unsafe fallback is not allowed."""

    code = "sandbox_unavailable"
    status = 503


class Verdict(StrEnum):
    """Overall outcome of running or grading code."""

    ACCEPTED = "accepted"
    WRONG_ANSWER = "wrong_answer"
    TIME_LIMIT = "time_limit"
    MEMORY_LIMIT = "memory_limit"
    RUNTIME_ERROR = "runtime_error"
    COMPILE_ERROR = "compile_error"
    OUTPUT_LIMIT = "output_limit"
    # The sandbox's own report was forged or garbled, or its limits could not be applied: the
    # run's outcome cannot be trusted, so it fails (never a candidate's fault we can score).
    SANDBOX_ERROR = "sandbox_error"


@dataclass(frozen=True)
class Limits:
    """Resource limits of one sandboxed process tree.

    ``memory_mb`` is the address-space limit (RLIMIT_AS) of each process; runtimes that reserve
    large virtual ranges (Node, the JVM, Mono) get a driver-specific value and cap their heap
    with flags. ``total_memory_mb`` is the cgroup cap of the whole run: every process together
    plus the pages of its tmpfs files (``/box``, ``/tmp``, ``/dev/shm``); None means
    ``max(512, memory_mb) + 3 * tmpfs_mb`` (see ``run_memory_mb``).
    """

    cpu_seconds: float = 5.0
    wall_seconds: float = 10.0
    memory_mb: int = 512
    processes: int = 64
    file_size_mb: int = 16
    open_files: int = 64
    output_bytes: int = 1_000_000
    tmpfs_mb: int = 64
    total_memory_mb: int | None = None

    @property
    def run_memory_mb(self) -> int:
        """The whole run's memory cap (cgroup), in MB."""
        if self.total_memory_mb is not None:
            return self.total_memory_mb
        return max(512, self.memory_mb) + 3 * self.tmpfs_mb

    def with_overrides(self, **changes: Any) -> Limits:
        return replace(self, **changes)


@dataclass(frozen=True)
class RunRequest:
    """One process to start in a fresh sandbox.

    ``files`` are written to ``src/`` (read-only for the program); the working directory is a
    fresh, size-capped, writable directory. ``argv`` paths are relative to it.
    """

    argv: tuple[str, ...]
    files: Mapping[str, bytes] = field(default_factory=dict)
    stdin: bytes = b""
    limits: Limits = field(default_factory=Limits)


@dataclass(frozen=True)
class RunResult:
    """What happened to one sandboxed process tree."""

    exit_code: int | None  # None when killed by a signal
    signal: int | None
    stdout: bytes
    stderr: bytes
    wall_seconds: float
    cpu_seconds: float
    peak_memory_kb: int
    timed_out: bool  # wall clock or CPU limit
    output_exceeded: bool
    sandboxed: bool
    memory_exceeded: bool = False  # the run's cgroup hit its memory cap (OOM kill)
    sandbox_error: str = ""  # why the outcome cannot be trusted (forged report, ...)
    queued_seconds: float = 0.0  # time spent waiting for a run slot before starting

    @property
    def ok(self) -> bool:
        return (
            self.exit_code == 0
            and not self.timed_out
            and not self.output_exceeded
            and not self.memory_exceeded
            and not self.sandbox_error
        )

    def stdout_text(self) -> str:
        return self.stdout.decode("utf-8", errors="replace")

    def stderr_text(self) -> str:
        return self.stderr.decode("utf-8", errors="replace")
