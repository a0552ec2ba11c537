"""Start one process tree, feed stdin, cap its output, enforce a wall clock, measure it.

Shared by every sandbox implementation. Runs on the calling thread (any thread: no
``preexec_fn`` is used; the uid drop is done by ``setpriv(1)`` and the rlimits by
``prlimit(1)`` in the exec chain, so it is safe in a threaded server, and ``subprocess`` can
use vfork, which matters when the parent is a large process).
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
import resource
import selectors
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from core.coding.sandbox.models import Limits

logger = logging.getLogger(__name__)

PRLIMIT = "/usr/bin/prlimit"
SETPRIV = "/usr/bin/setpriv"
KILL = "/usr/bin/kill"
_READ_CHUNK = 65536


@dataclass(frozen=True)
class RawOutcome:
    exit_code: int | None
    signal: int | None
    stdout: bytes
    stderr: bytes
    wall_seconds: float
    cpu_seconds: float
    peak_memory_kb: int
    wall_timed_out: bool
    output_exceeded: bool


def rlimit_prefix(limits: Limits, *, address_space: bool, processes: int | None) -> list[str]:
    """``prlimit`` arguments that set the run's rlimits before the next program is executed."""
    cpu = max(1, math.ceil(limits.cpu_seconds))
    fsize = limits.file_size_mb * 1024 * 1024
    args = [
        PRLIMIT,
        f"--cpu={cpu}:{cpu + 1}",
        f"--fsize={fsize}:{fsize}",
        f"--nofile={limits.open_files}:{limits.open_files}",
        "--core=0:0",
    ]
    if processes is not None:
        args.append(f"--nproc={processes}:{processes}")
    if address_space:
        size = limits.memory_mb * 1024 * 1024
        args.append(f"--as={size}:{size}")
    return [*args, "--"]


def as_uid(uid: int) -> list[str]:
    """argv prefix that drops every uid/gid to ``uid`` and clears groups and capabilities."""
    return [SETPRIV, f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--"]


def kill_all_of_uid(uid: int) -> None:
    """Kill every process owned by ``uid`` (``kill -9 -1`` run as that uid; never uid 0)."""
    if uid == 0 or os.getuid() != 0:
        return
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        subprocess.run(
            [*as_uid(uid), KILL, "-KILL", "-1"],
            env={},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=5,
            check=False,
        )


def run_supervised(
    argv: list[str],
    *,
    cwd: Path,
    stdin_path: Path,
    limits: Limits,
    env: dict[str, str],
    uid: int | None,
    pass_fds: tuple[int, ...] = (),
    sweep_after_exit: bool = True,
    enter: tuple[str, ...] = (),
) -> RawOutcome:
    """Run ``argv`` (already wrapped in prlimit/bwrap) and supervise it until it ends.

    ``pass_fds`` are inherited by the child and always closed here (also if it fails to start). With
    ``sweep_after_exit`` every process of ``uid`` is killed once the main process has exited
    (needed without a PID namespace, where orphans outlive the program). ``enter`` is an argv
    prefix run before the uid drop (with our privileges), e.g. the step joining the run's cgroup.
    """
    started = time.monotonic()
    deadline = started + limits.wall_seconds
    try:
        with open(stdin_path, "rb") as stdin_file:
            proc = subprocess.Popen(
                [*enter, *(argv if uid is None else [*as_uid(uid), *argv])],
                cwd=cwd,
                stdin=stdin_file,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=env,
                close_fds=True,
                start_new_session=True,
                pass_fds=pass_fds,
            )
    finally:
        for fd in pass_fds:  # ours are closed whatever happened: the caller must not reuse them
            os.close(fd)
    assert proc.stdout is not None and proc.stderr is not None
    out_fd, err_fd = proc.stdout.fileno(), proc.stderr.fileno()
    buffers: dict[int, bytearray] = {out_fd: bytearray(), err_fd: bytearray()}
    total = 0
    wall_timed_out = output_exceeded = False
    status: tuple[int, int, resource.struct_rusage] | None = None
    selector = selectors.DefaultSelector()
    for stream in (proc.stdout, proc.stderr):
        os.set_blocking(stream.fileno(), False)
        selector.register(stream.fileno(), selectors.EVENT_READ)
    try:
        while selector.get_map():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                if wall_timed_out:
                    break  # killed 5 s ago and the pipes are still open: give up on them
                wall_timed_out = True
                _kill_tree(proc, uid)
                remaining = 5.0  # drain what is left after the kill
                deadline = time.monotonic() + remaining
            for key, _ in selector.select(timeout=max(0.0, min(remaining, 0.2))):
                fd = int(key.fd)
                try:
                    chunk = os.read(fd, _READ_CHUNK)
                except BlockingIOError:
                    continue
                if not chunk:
                    selector.unregister(fd)
                    continue
                keep = max(0, limits.output_bytes - total)
                buffers[fd].extend(chunk[:keep])
                total += len(chunk)
                if total > limits.output_bytes and not output_exceeded:
                    output_exceeded = True
                    _kill_tree(proc, uid)
            if status is None:
                pid, raw_status, usage = os.wait4(proc.pid, os.WNOHANG)
                if pid:
                    status = (raw_status, 0, usage)
                    if uid is not None and sweep_after_exit:
                        kill_all_of_uid(uid)  # orphans holding the pipes open
    finally:
        selector.close()
        proc.stdout.close()
        proc.stderr.close()
    while status is None:
        # The pipes are closed (or abandoned) but the process has not been seen to exit: it may
        # be exiting right now, or it closed its output and kept running. Wait until the
        # deadline, then kill. Never Popen.poll()/kill(): they would reap the pid under us.
        pid, raw_status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            status = (raw_status, 0, usage)
        elif time.monotonic() >= deadline:
            wall_timed_out = True
            _kill_tree(proc, uid)
            _, raw_status, usage = os.wait4(proc.pid, 0)
            status = (raw_status, 0, usage)
        else:
            time.sleep(0.005)
    raw_status, _, usage = status
    proc.returncode = os.waitstatus_to_exitcode(raw_status)  # Popen must not wait again
    exit_code = os.WEXITSTATUS(raw_status) if os.WIFEXITED(raw_status) else None
    sig = os.WTERMSIG(raw_status) if os.WIFSIGNALED(raw_status) else None
    return RawOutcome(
        exit_code=exit_code,
        signal=sig,
        stdout=bytes(buffers[out_fd]),
        stderr=bytes(buffers[err_fd]),
        wall_seconds=time.monotonic() - started,
        cpu_seconds=float(usage.ru_utime + usage.ru_stime),
        peak_memory_kb=int(usage.ru_maxrss),
        wall_timed_out=wall_timed_out,
        output_exceeded=output_exceeded,
    )


def _kill_tree(proc: subprocess.Popen[bytes], uid: int | None) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(ProcessLookupError):
        os.kill(proc.pid, signal.SIGKILL)  # not proc.kill(): it polls, and would reap the pid
    if uid is not None:
        kill_all_of_uid(uid)
