"""The real sandbox: bubblewrap with every namespace unshared, run as a pooled unprivileged uid.

Inside, the program sees read-only ``/usr`` (with the ``/bin``, ``/lib*`` symlinks), the few
``/etc`` entries runtimes read (alternatives, JVM/Mono/PHP config, the loader cache; not
passwd, shadow or hosts), its own ``/proc`` (private PID namespace), a minimal ``/dev``, a
size-capped tmpfs as working dir ``/box`` with its input files read-only in ``/box/src``, and a
size-capped tmpfs ``/tmp`` and ``/dev/shm``; everything else (``/``, ``/etc``, ``/run``, ``/dev``)
is read-only. No network (own empty network namespace), fixed environment, a seccomp filter
(``seccomp.py``), and one cgroup per run capping the memory and processes of the whole run
(``cgroups.py``). At most N runs at once per host (``run_slots.py``).
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import signal
import subprocess
from collections.abc import Iterator
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

from core.coding.sandbox import cgroups
from core.coding.sandbox.models import Limits, RunRequest, RunResult, SandboxUnavailable
from core.coding.sandbox.process import rlimit_prefix, run_supervised
from core.coding.sandbox.reaper_channel import NATIVE_REAPER, RunChannels, reaper_argv
from core.coding.sandbox.reaper_native import native_reaper
from core.coding.sandbox.run_slots import RunSlots
from core.coding.sandbox.seccomp import sandbox_filter
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
    """``Sandbox`` implementation. Safe to call from several threads at once.

    Refuses to start (``SandboxUnavailable``) when the host has no usable cgroups for the
    whole-run caps, unless ``allow_without_cgroups`` (then only per-process rlimits apply).
    ``max_concurrent_runs``: runs at once on this host (None: the number of CPUs).
    """

    sandboxed = True

    def __init__(
        self,
        uid_pool: UidPool | None = None,
        bwrap_path: str = BWRAP,
        *,
        native_init: bool = True,
        allow_without_cgroups: bool = False,
        max_concurrent_runs: int | None = None,
        run_slots: RunSlots | None = None,
    ) -> None:
        """``native_init``: use the C build of the reaper when a compiler can build it."""
        self._bwrap = bwrap_path
        layout = cgroups.detect()
        if isinstance(layout, str):
            if not allow_without_cgroups:
                raise SandboxUnavailable(
                    f"no usable cgroups to cap a run's total memory and processes ({layout}). "
                    "Without them six processes of 400 MB each, or files in tmpfs, can take the "
                    "host's memory. Run as root with the memory and pids controllers (cgroup v1, "
                    "or v2 delegated), or set INTERVISTA_SANDBOX_ALLOW_WITHOUT_CGROUPS=true to "
                    "accept per-process limits only"
                )
            logger.warning("sandbox runs WITHOUT cgroups (%s): per-process limits only", layout)
        self._cgroups = None if isinstance(layout, str) else layout
        try:
            sandbox_filter()
        except ValueError as exc:
            raise SandboxUnavailable(f"no seccomp filter for this machine: {exc}") from exc
        self._pool = uid_pool if uid_pool is not None else (UidPool() if os.getuid() == 0 else None)
        self._reaper_binary = native_reaper() if native_init else None
        self.slots = run_slots or RunSlots(max_concurrent_runs)

    @property
    def init_kind(self) -> str:
        """``"c"`` or ``"python"``: which reaper runs as the sandbox's PID 1."""
        return "c" if self._reaper_binary else "python"

    @property
    def cgroup_layout(self) -> cgroups.CgroupLayout | None:
        return self._cgroups

    def run(self, request: RunRequest) -> RunResult:
        """Run one request in a fresh sandbox; blocks the calling thread until it ends
        (including the wait for a run slot, reported to ``run_slots.queue_listener``)."""
        with self.slots.hold() as queued:
            return self._run(request, queued)

    def _run(self, request: RunRequest, queued: float) -> RunResult:
        limits = request.limits
        channels = RunChannels()
        stats = None
        try:
            with (
                self._uid() as uid,
                scratch_dir(request.files, request.stdin) as scratch,
                self._cgroup(limits) as cgroup,
            ):
                argv = [
                    *rlimit_prefix(limits, address_space=True, processes=self._nproc(uid, limits)),
                    *self._bwrap_args(scratch, limits.tmpfs_mb, channels.seccomp),
                    *reaper_argv(
                        channels.status_write,
                        channels.nonce_read,
                        kill_rest=True,
                        native=bool(self._reaper_binary),
                    ),
                    *request.argv,
                ]
                channels.handed_over()
                raw = run_supervised(
                    argv,
                    cwd=scratch,
                    stdin_path=scratch / "stdin",
                    limits=limits,
                    env={},
                    uid=uid,
                    pass_fds=channels.passed,
                    sweep_after_exit=False,  # the PID namespace dies with its init
                    enter=tuple(cgroup.join_prefix()) if cgroup else (),
                )
                stats = cgroup.stats() if cgroup else None
            # the cgroup is empty now: every writer of the status pipe is gone
            report, forged = channels.read_report()
        finally:
            channels.close()
        exit_code, sig = raw.exit_code, raw.signal
        cpu, peak = raw.wall_seconds, raw.peak_memory_kb
        if report is not None:
            # The outer process's maxrss counts the forked Python parent: use the reaper's.
            cpu, peak = report.cpu_seconds, report.peak_rss_kb
            status = report.status
            exit_code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else None
            sig = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
        error = forged
        if report is None and raw.exit_code == 125 and cgroups.JOIN_MARKER.encode() in raw.stderr:
            error = "the run could not enter its cgroup"
        if stats is not None:
            # The kernel's figures for the whole run: they cannot be forged from inside.
            if stats.cpu_seconds is not None:
                cpu = stats.cpu_seconds if report is None else max(cpu, stats.cpu_seconds)
            peak = stats.peak_memory_kb if stats.peak_memory_kb is not None else peak
        cpu_hit = cpu >= max(1.0, limits.cpu_seconds) - 0.05 or sig == signal.SIGXCPU
        if error:
            logger.warning("sandbox run rejected: %s", error)
        return RunResult(
            exit_code=None if error else exit_code,
            signal=None if error else sig,
            stdout=b"" if error else raw.stdout,
            stderr=error.encode() if error else raw.stderr,
            wall_seconds=raw.wall_seconds,
            cpu_seconds=cpu,
            peak_memory_kb=peak,
            timed_out=raw.wall_timed_out or cpu_hit,
            output_exceeded=raw.output_exceeded,
            sandboxed=True,
            memory_exceeded=stats is not None and stats.oom_kills > 0,
            sandbox_error=error,
            queued_seconds=queued,
        )

    @contextlib.contextmanager
    def _uid(self) -> Iterator[int | None]:
        if self._pool is None:
            yield None
        else:
            with self._pool.acquire() as uid:
                yield uid

    def _cgroup(self, limits: Limits) -> AbstractContextManager[cgroups.RunCgroup | None]:
        if self._cgroups is None:
            return nullcontext(None)
        # pids: the program's processes and threads, plus bwrap and the init
        return cgroups.run_cgroup(
            self._cgroups, limits.run_memory_mb * 1024 * 1024, limits.processes + 8
        )

    @staticmethod
    def _nproc(uid: int | None, limits: Limits) -> int:
        if uid is not None:
            return limits.processes
        # Not root: RLIMIT_NPROC counts every process of this user, so leave room for them.
        own = sum(1 for p in Path("/proc").iterdir() if p.name.isdigit() and _owned(p))
        return own + limits.processes

    def _bwrap_args(self, scratch: Path, tmpfs_mb: int, seccomp_fd: int) -> list[str]:
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
            "--seccomp",
            str(seccomp_fd),
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
        args += ["--proc", "/proc", "--dev", "/dev", "--size", size, "--tmpfs", "/dev/shm"]  # noqa: S108
        args += ["--size", size, "--tmpfs", "/box", "--ro-bind", str(scratch / "src"), "/box/src"]
        args += ["--size", size, "--tmpfs", "/tmp"]  # noqa: S108
        # The root tmpfs (with /etc and /run in it) and /dev's tmpfs have no size of their own:
        # read-only once every mount point exists. Writable: /box, /tmp, /dev/shm (all sized).
        args += ["--remount-ro", "/dev", "--remount-ro", "/", "--chdir", "/box", "--clearenv"]
        for key, value in SANDBOX_ENV.items():
            args += ["--setenv", key, value]
        return [*args, "--"]


def _owned(proc_dir: Path) -> bool:
    try:
        return proc_dir.stat().st_uid == os.getuid()
    except OSError:
        return False
