"""The real sandbox: bubblewrap with every namespace unshared, run as a pooled unprivileged uid.

Inside, the program sees read-only ``/usr`` (with the ``/bin``, ``/lib*`` symlinks), the few
``/etc`` entries runtimes read (alternatives, JVM/Mono/PHP config, the loader cache; not
passwd, shadow or hosts), its own ``/proc`` (private PID namespace), a minimal ``/dev``, a
size-capped tmpfs as working dir ``/box`` with its input files read-only in ``/box/src``, and a
size-capped tmpfs ``/tmp``. No network (own empty network namespace), fixed environment.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

from core.coding.sandbox.models import Limits, RunRequest, RunResult
from core.coding.sandbox.process import rlimit_prefix, run_supervised
from core.coding.sandbox.reaper_native import native_reaper
from core.coding.sandbox.uid_pool import UidPool
from core.coding.sandbox.workdir import scratch_dir

logger = logging.getLogger(__name__)

BWRAP = "/usr/bin/bwrap"
# Paths INSIDE the sandbox (its own private tmpfs), not the host /tmp.
SANDBOX_ENV = {
    "PATH": "/usr/bin:/bin",
    "HOME": "/tmp",  # noqa: S108
    "LANG": "C.UTF-8",
    "TMPDIR": "/tmp",  # noqa: S108
}
_REAPER_SOURCE = (Path(__file__).parent / "reaper.py").read_text(encoding="utf-8")
NATIVE_REAPER = "/run/intervista/init"
READ_ONLY_ETC = (
    "/etc/alternatives",
    "/etc/java-17-openjdk",
    "/etc/mono",
    "/etc/php",
    "/etc/ld.so.cache",
    "/etc/localtime",
)


@functools.lru_cache(maxsize=4)
def bwrap_problem(path: str = BWRAP) -> str | None:
    """Why bubblewrap cannot run here, or None when a probe sandbox works. Cached."""
    if not Path(path).is_file():
        return f"{path} not found (install the Debian package 'bubblewrap')"
    probe = [
        path, "--unshare-all", "--ro-bind", "/usr", "/usr", "--symlink", "usr/lib", "/lib",
        "--symlink", "usr/lib64", "/lib64", "--", "/usr/bin/true",
    ]  # fmt: skip
    try:
        done = subprocess.run(probe, capture_output=True, env={}, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"{path} failed to start: {exc}"
    if done.returncode != 0:
        return f"{path} cannot create namespaces here: {done.stderr.decode(errors='replace')}"
    return None


class BwrapSandbox:
    """``Sandbox`` implementation. Safe to call from several threads at once."""

    sandboxed = True

    def __init__(
        self,
        uid_pool: UidPool | None = None,
        bwrap_path: str = BWRAP,
        *,
        native_init: bool = True,
    ) -> None:
        """``native_init``: use the C build of the reaper when a compiler can build it."""
        self._bwrap = bwrap_path
        self._pool = uid_pool if uid_pool is not None else (UidPool() if os.getuid() == 0 else None)
        self._reaper_binary = native_reaper() if native_init else None

    @property
    def init_kind(self) -> str:
        """``"c"`` or ``"python"``: which reaper runs as the sandbox's PID 1."""
        return "c" if self._reaper_binary else "python"

    def run(self, request: RunRequest) -> RunResult:
        """Run one request in a fresh sandbox; blocks the calling thread until it ends."""
        limits = request.limits
        status_read, status_write = os.pipe()
        try:
            with self._uid() as uid, scratch_dir(request.files, request.stdin) as scratch:
                argv = [
                    *rlimit_prefix(limits, address_space=True, processes=self._nproc(uid, limits)),
                    *self._bwrap_args(scratch, limits.tmpfs_mb),
                    *reaper_argv(status_write, kill_rest=True, native=bool(self._reaper_binary)),
                    *request.argv,
                ]
                raw = run_supervised(
                    argv,
                    cwd=scratch,
                    stdin_path=scratch / "stdin",
                    limits=limits,
                    env={},
                    uid=uid,
                    pass_fds=(status_write,),
                    sweep_after_exit=False,  # the PID namespace dies with its init
                )
            report = read_reaper_report(status_read)
        finally:
            os.close(status_read)
        exit_code, sig = raw.exit_code, raw.signal
        cpu, peak = raw.wall_seconds, raw.peak_memory_kb
        if report is not None:
            # The outer process's maxrss counts the forked Python parent: use the reaper's.
            cpu, peak, status = report
            exit_code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else None
            sig = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
        cpu_hit = cpu >= max(1.0, limits.cpu_seconds) - 0.05 or sig == signal.SIGXCPU
        return RunResult(
            exit_code=exit_code,
            signal=sig,
            stdout=raw.stdout,
            stderr=raw.stderr,
            wall_seconds=raw.wall_seconds,
            cpu_seconds=cpu,
            peak_memory_kb=peak,
            timed_out=raw.wall_timed_out or cpu_hit,
            output_exceeded=raw.output_exceeded,
            sandboxed=True,
        )

    @contextlib.contextmanager
    def _uid(self) -> Iterator[int | None]:
        if self._pool is None:
            yield None
        else:
            with self._pool.acquire() as uid:
                yield uid

    @staticmethod
    def _nproc(uid: int | None, limits: Limits) -> int:
        if uid is not None:
            return limits.processes
        # Not root: RLIMIT_NPROC counts every process of this user, so leave room for them.
        own = sum(1 for p in Path("/proc").iterdir() if p.name.isdigit() and _owned(p))
        return own + limits.processes

    def _bwrap_args(self, scratch: Path, tmpfs_mb: int) -> list[str]:
        size = str(tmpfs_mb * 1024 * 1024)
        args = [
            self._bwrap,
            "--unshare-all",
            "--unshare-user",
            "--disable-userns",
            "--die-with-parent",
            "--as-pid-1",
            "--new-session",
            "--hostname",
            "sandbox",
            "--ro-bind",
            "/usr",
            "/usr",
            "--symlink",
            "usr/bin",
            "/bin",
            "--symlink",
            "usr/sbin",
            "/sbin",
            "--symlink",
            "usr/lib",
            "/lib",
            "--symlink",
            "usr/lib64",
            "/lib64",
        ]
        for path in READ_ONLY_ETC:
            args += ["--ro-bind-try", path, path]
        if self._reaper_binary is not None:
            args += ["--ro-bind", str(self._reaper_binary), NATIVE_REAPER]
        args += ["--proc", "/proc", "--dev", "/dev"]
        args += ["--size", size, "--tmpfs", "/box", "--ro-bind", str(scratch / "src"), "/box/src"]
        args += ["--size", size, "--tmpfs", "/tmp", "--chdir", "/box", "--clearenv"]  # noqa: S108
        for key, value in SANDBOX_ENV.items():
            args += ["--setenv", key, value]
        return [*args, "--"]


def reaper_argv(status_fd: int, *, kill_rest: bool, native: bool = False) -> list[str]:
    """argv prefix that runs the program under the reaper (``reaper.c`` mounted at
    ``NATIVE_REAPER``, or ``reaper.py``; see there)."""
    mode = "--kill-rest" if kill_rest else "--keep"
    if native:
        return [NATIVE_REAPER, str(status_fd), mode]
    return [
        "/usr/bin/python3",
        "-I",
        "-S",
        "-c",
        _REAPER_SOURCE,
        str(status_fd),
        mode,
    ]


def read_reaper_report(fd: int) -> tuple[float, int, int] | None:
    """(cpu seconds, peak RSS kB, raw wait status) from the reaper, or None if it never wrote."""
    os.set_blocking(fd, False)
    try:
        fields = os.read(fd, 4096).decode("ascii", errors="replace").split()
    except BlockingIOError:
        return None
    try:
        return float(fields[0]), int(fields[1]), int(fields[2])
    except (IndexError, ValueError):
        return None


def _owned(proc_dir: Path) -> bool:
    try:
        return proc_dir.stat().st_uid == os.getuid()
    except OSError:
        return False
