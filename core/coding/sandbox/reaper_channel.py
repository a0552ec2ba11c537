"""The file descriptors one run hands to bubblewrap and its init, and the init's report.

Per run: a status pipe (the init writes its report to the write end; the read end stays here,
``O_CLOEXEC``), a nonce pipe (holds a random nonce; the init reads it and closes it before it
starts the program, so the program can read it neither from an fd nor from ``/proc/1/cmdline``),
and a pipe holding the seccomp filter (``bwrap --seccomp``). A report must be exactly
``"<nonce> <cpu> <peak kB> <status>\\n"``: anything else (a wrong nonce, a second line, extra
bytes) means something other than our init wrote to the pipe, and the run fails.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from core.coding.sandbox.seccomp import filter_fd

NATIVE_REAPER = "/run/intervista/init"
_REAPER_SOURCE = (Path(__file__).parent / "reaper.py").read_text(encoding="utf-8")
_REPORT = re.compile(rb"([0-9a-f]{32}) ([0-9]+(?:\.[0-9]+)?) ([0-9]+) (-?[0-9]+)\n")
FORGED = "the sandbox's status report was forged or garbled: the run's outcome is not trusted"


@dataclass(frozen=True)
class ReaperReport:
    cpu_seconds: float
    peak_rss_kb: int
    status: int  # raw wait status of the program


class RunChannels:
    """Creates the run's pipes; ``passed`` go to the child (``run_supervised`` closes them)."""

    def __init__(self) -> None:
        self.nonce = secrets.token_hex(16)
        self._own: list[int] = []
        self.passed: tuple[int, ...] = ()
        try:
            self.status_read, self.status_write = self._pipe()
            self.nonce_read, nonce_write = self._pipe()
            os.write(nonce_write, self.nonce.encode())
            self._close(nonce_write)
            self.seccomp = filter_fd()
            self._own.append(self.seccomp)
        except BaseException:
            self.close()
            raise
        self.passed = (self.status_write, self.nonce_read, self.seccomp)

    def _pipe(self) -> tuple[int, int]:
        read_end, write_end = os.pipe()
        self._own += [read_end, write_end]
        return read_end, write_end

    def _close(self, fd: int) -> None:
        self._own.remove(fd)
        os.close(fd)

    def handed_over(self) -> None:
        """The passed fds were given to ``run_supervised``, which closed them."""
        for fd in self.passed:
            self._own.remove(fd)

    def close(self) -> None:
        for fd in list(self._own):
            self._close(fd)

    def read_report(self) -> tuple[ReaperReport | None, str]:
        """(the init's report or None if it never wrote, "" or why the report is rejected)."""
        data = bytearray()
        os.set_blocking(self.status_read, False)
        with contextlib.suppress(BlockingIOError):
            while len(data) <= 4096:
                chunk = os.read(self.status_read, 4096)
                if not chunk:
                    break
                data += chunk
        if not data:
            return None, ""
        match = _REPORT.fullmatch(bytes(data))
        if match is None or not secrets.compare_digest(match.group(1), self.nonce.encode()):
            return None, FORGED
        cpu, peak, status = match.group(2, 3, 4)
        return ReaperReport(float(cpu), int(peak), int(status)), ""


def reaper_argv(
    status_fd: int, nonce_fd: int, *, kill_rest: bool, native: bool = False
) -> list[str]:
    """argv prefix that runs the program under the reaper (``reaper.c`` mounted at
    ``NATIVE_REAPER``, or ``reaper.py``; see there)."""
    mode = "--kill-rest" if kill_rest else "--keep"
    if native:
        return [NATIVE_REAPER, str(status_fd), str(nonce_fd), mode]
    python = ["/usr/bin/python3", "-I", "-S", "-c", _REAPER_SOURCE]
    return [*python, str(status_fd), str(nonce_fd), mode]
