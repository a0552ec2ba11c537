"""Limits over the whole run (issue 17): the run's cgroup, sized read-only-elsewhere tmpfs, the
seccomp filter, an init the program cannot reach, a forged report, run slots. Real bubblewrap.
Every attack carries its own bound, so a broken sandbox fails the test, not the machine."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from core.coding.sandbox import cgroups, reaper_channel
from core.coding.sandbox.bwrap import BwrapSandbox
from core.coding.sandbox.models import Limits, RunRequest, Verdict
from core.coding.sandbox.program import ProgramResult, run_program
from core.coding.sandbox.run_slots import QueueState, RunSlots, queue_listener
from core.domain import CodingLanguage

REPO = Path(__file__).resolve().parents[3]
POOL_UIDS = range(1001, 1501)


def _python(box: Any, code: str, **limits: Any) -> ProgramResult:
    return run_program(
        box, CodingLanguage.PYTHON, {"main.py": code}, "main.py", limits=Limits(**limits)
    )


def _usage_bytes(folder: Path) -> int:
    for name in ("memory.current", "memory.usage_in_bytes"):
        if (folder / name).exists():
            return int((folder / name).read_text())
    raise AssertionError(f"no memory usage file in {folder}")


def _own_run_cgroups(box: BwrapSandbox) -> list[str]:
    layout = box.cgroup_layout
    assert layout is not None
    mine = f"{cgroups.PREFIX}{os.getpid()}-"
    return [e.name for base in layout.bases() for e in base.iterdir() if e.name.startswith(mine)]


def _pool_processes(marker: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if (
                entry.name.isdigit()
                and entry.stat().st_uid in POOL_UIDS
                and marker in (entry / "cmdline").read_bytes().decode(errors="replace")
            ):
                found.append(int(entry.name))
        except OSError:
            continue
    return found


SIX_CHILDREN = """
import os, time
pids = []
for _ in range(6):
    pid = os.fork()
    if pid == 0:
        block = bytearray(400 * 1024 * 1024)
        for i in range(0, len(block), 4096):
            block[i] = 1
        time.sleep(1.5)
        os._exit(0)
    pids.append(pid)
for pid in pids:
    os.waitpid(pid, 0)
print("all children done")
"""


def test_six_children_of_400_mb_hit_the_run_cap_not_the_host(sandbox: BwrapSandbox) -> None:
    layout = sandbox.cgroup_layout
    assert layout is not None, "CI must not run the sandbox without cgroups"
    cap_mb = Limits().run_memory_mb
    baseline = _usage_bytes(layout.memory)
    peak = [baseline]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _usage_bytes(layout.memory))
            time.sleep(0.005)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        result = _python(sandbox, SIX_CHILDREN, wall_seconds=20, cpu_seconds=10)
    finally:
        done.set()
        sampler.join()
    growth_mb = (peak[0] - baseline) / 2**20
    assert result.verdict is Verdict.MEMORY_LIMIT, (result.verdict, result.stdout)
    assert result.run is not None and result.run.memory_exceeded
    # Our own cgroup holds the run's plus this process (supervisor buffers, scratch files):
    # a few MB of the latter; without the cap it grew by the whole 2.4 GB.
    assert growth_mb < cap_mb + 32, f"our cgroup grew by {growth_mb:.0f} MB, cap {cap_mb} MB"
    assert result.run.peak_memory_kb <= cap_mb * 1024
    assert result.run.peak_memory_kb > 400 * 1024  # the cgroup's peak, not one process's


FILL = """
import errno, json, os
found = {}
for folder in ("/dev/shm", "/tmp", "/box", "/", "/etc", "/dev"):
    written, error = 0, None
    try:
        with open(os.path.join(folder, "fill"), "wb") as out:
            while written < 200 * 1024 * 1024:  # the bound
                out.write(b"x" * (1024 * 1024))
                out.flush()
                written += 1024 * 1024
    except OSError as exc:
        error = errno.errorcode.get(exc.errno, str(exc.errno))
    found[folder] = [written // (1024 * 1024), error]
print(json.dumps(found))
"""


def test_every_writable_tmpfs_stops_at_its_size_and_the_rest_is_read_only(
    sandbox: BwrapSandbox,
) -> None:
    result = _python(sandbox, FILL, tmpfs_mb=16, file_size_mb=512, wall_seconds=20)
    assert result.verdict is Verdict.ACCEPTED, result.stderr
    found = json.loads(result.stdout)
    for folder in ("/dev/shm", "/tmp", "/box"):
        written, error = found[folder]
        assert written <= 16 and error == "ENOSPC", (folder, found[folder])
    for folder in ("/", "/etc", "/dev"):
        assert found[folder] == [0, "EROFS"], (folder, found[folder])
    assert result.run is not None
    # tmpfs pages are charged to the run: the reported peak sees the 3 x ~16 MB of files
    assert result.run.peak_memory_kb >= 40 * 1024


PROBES = r"""
import ctypes, errno, json, os, signal, time
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
def call(fn, *args):
    ctypes.set_errno(0)
    value = fn(*args)
    return "ok" if value >= 0 else errno.errorcode.get(ctypes.get_errno(), "?")
child = os.fork()
if child == 0:
    time.sleep(30)
    os._exit(0)
found = {
    "ptrace_attach_pid1": call(libc.ptrace, 16, 1, None, None),
    "ptrace_attach_own_child": call(libc.ptrace, 16, child, None, None),
    "pidfd_open_pid1": call(libc.syscall, 434, 1, 0),
    "pidfd_getfd": call(libc.syscall, 438, 0, 3, 0),
    "process_vm_readv": call(libc.syscall, 310, child, None, 0, None, 0, 0),
    "io_uring_setup": call(libc.syscall, 425, 8, None),
    "unshare_net": call(libc.syscall, 272, 0x40000000),
    "bpf": call(libc.syscall, 321, 0, None, 0),
}
for name in ("fd", "mem", "environ"):
    try:
        if name == "fd":
            os.listdir("/proc/1/fd")
        else:
            open(f"/proc/1/{name}", "rb").read(1)
        found[f"proc1_{name}"] = "ok"
    except OSError as exc:
        found[f"proc1_{name}"] = errno.errorcode[exc.errno]
def is_open(fd):
    try:
        os.fstat(fd)
        return True
    except OSError:
        return False
found["inherited_fds"] = [fd for fd in range(3, 256) if is_open(fd)]  # no status/nonce pipe
os.kill(child, signal.SIGKILL)
print(json.dumps(found))
raise SystemExit(3)
"""


@pytest.mark.parametrize("native_init", [True, False])
def test_the_init_and_other_processes_cannot_be_reached(native_init: bool) -> None:
    box = BwrapSandbox(native_init=native_init)
    result = _python(box, PROBES, wall_seconds=10)
    assert result.run is not None and result.run.exit_code == 3, result.stderr  # the real one
    found = json.loads(result.stdout)
    assert found == {
        "ptrace_attach_pid1": "EPERM",
        "ptrace_attach_own_child": "EPERM",  # seccomp: even a process it may trace
        "pidfd_open_pid1": "ENOSYS",
        "pidfd_getfd": "EPERM",
        "process_vm_readv": "EPERM",
        "io_uring_setup": "ENOSYS",
        "unshare_net": "EPERM",
        "bpf": "EPERM",
        "proc1_fd": "EACCES",  # the init is not dumpable: its fds, memory, environment
        "proc1_mem": "EACCES",
        "proc1_environ": "EACCES",
        "inherited_fds": [],
    }


FORGER = r"""
import os, stat
for fd in sorted(int(name) for name in os.listdir("/proc/self/fd")):  # inherited: any number
    if fd < 3:
        continue
    try:
        if stat.S_ISFIFO(os.fstat(fd).st_mode):
            os.write(fd, b"0" * 32 + b" 0.000000 1000 0\n")  # "accepted, 0 s", nonce guessed
    except OSError:
        pass
while True:  # then burn the CPU limit: the genuine report says SIGXCPU
    pass
"""


def test_a_forged_report_is_detected_and_the_run_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    # Simulate an escape that hands the program the status pipe: an init that leaks it.
    leaky = reaper_channel._REAPER_SOURCE.replace(
        "os.set_inheritable(status_fd, False)", "os.set_inheritable(status_fd, True)"
    )
    assert leaky != reaper_channel._REAPER_SOURCE
    monkeypatch.setattr(reaper_channel, "_REAPER_SOURCE", leaky)
    box = BwrapSandbox(native_init=False)
    # Wall time to spare: even on a loaded machine the CPU limit (the genuine report) comes
    # first; a wall-clock kill leaves no report at all (a time limit, also never "accepted").
    result = _python(box, FORGER, cpu_seconds=1, wall_seconds=30)
    assert result.verdict is Verdict.SANDBOX_ERROR
    assert result.run is not None and "forged" in result.run.sandbox_error
    assert not result.run.ok and result.run.exit_code is None


HOSTILE = """
import os, time
for _ in range(20):  # the bound
    try:
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                os.execv("/usr/bin/sleep", ["sleep", "41.5"])
            os._exit(0)
    except OSError:
        break
time.sleep(30)
"""


def test_hostile_runs_leave_no_process_and_no_cgroup(sandbox: BwrapSandbox) -> None:
    before = _own_run_cgroups(sandbox)
    timed_out = _python(sandbox, HOSTILE, wall_seconds=2, cpu_seconds=1)
    assert timed_out.verdict is Verdict.TIME_LIMIT
    memory = _python(sandbox, SIX_CHILDREN, wall_seconds=20, cpu_seconds=10)
    assert memory.verdict is Verdict.MEMORY_LIMIT
    assert _pool_processes("41.5") == []
    assert _own_run_cgroups(sandbox) == before == []


def test_runs_wait_for_a_slot_and_report_it(tmp_path: Path) -> None:
    box = BwrapSandbox(run_slots=RunSlots(1, tmp_path))
    request = RunRequest(argv=("/usr/bin/sleep", "1"), limits=Limits(wall_seconds=10))
    states: list[QueueState] = []
    results = []

    def run(listen: bool) -> None:
        if listen:
            with queue_listener(states.append):
                results.append(box.run(request))
        else:
            results.append(box.run(request))

    first = threading.Thread(target=run, args=(False,))
    first.start()
    time.sleep(0.3)
    second = threading.Thread(target=run, args=(True,))
    second.start()
    first.join(20)
    second.join(20)
    assert [r.exit_code for r in results] == [0, 0]
    assert results[0].queued_seconds < 0.2 and results[1].queued_seconds > 0.4
    assert states[0].position == 1 and states[-1].position == 0


def test_without_cgroups_the_sandbox_refuses_unless_allowed() -> None:
    # An unprivileged user cannot create cgroups here: the same code must refuse to run.
    script = (
        "from core.coding.sandbox import SandboxUnavailable\n"
        "from core.coding.sandbox.bwrap import BwrapSandbox\n"
        "try:\n"
        "    BwrapSandbox(native_init=False)\n"
        "    print('STARTED')\n"
        "except SandboxUnavailable as exc:\n"
        "    print('REFUSED', exc)\n"
        "BwrapSandbox(native_init=False, allow_without_cgroups=True)\n"
        "print('WEAK MODE ALLOWED')\n"
    )
    done = subprocess.run(
        ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--",
         sys.executable, "-c", script],
        cwd=REPO,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO), "TMPDIR": "/tmp"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )  # fmt: skip
    assert "REFUSED no usable cgroups" in done.stdout, done.stdout + done.stderr
    assert "ALLOW_WITHOUT_CGROUPS" in done.stdout
    assert "WEAK MODE ALLOWED" in done.stdout
