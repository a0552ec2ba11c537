"""One cgroup per sandbox run: a memory cap over every process of the run and the pages of its
tmpfs files, a process cap, the peak memory, OOM kills and CPU time, measured by the kernel.

cgroup v2 (``memory.max``, ``pids.max``, ``memory.peak``, ``memory.events``, ``cpu.stat``) when
the unified hierarchy has the memory and pids controllers for us; otherwise cgroup v1
(``memory.limit_in_bytes`` + ``memory.memsw.limit_in_bytes``, ``memory.max_usage_in_bytes``,
``memory.oom_control``, ``pids.max``, ``cpuacct.usage``). Run cgroups are created UNDER the
current process's own cgroup in each hierarchy (read from ``/proc/self/cgroup`` and
``/proc/self/mountinfo``), named ``intervista-<pid>-<n>``; those of dead processes are removed
when the layout is first detected. The sandbox's exec chain joins them before it drops
privileges (``join_prefix``), so the program's first instruction already runs inside.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import logging
import os
import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

PREFIX = "intervista-"
_counter = itertools.count()
# The exec chain's first step: join every listed cgroup, then exec the rest (as root: the uid
# drop comes after). Exit 125 with a marker if a cgroup cannot be joined.
JOIN_MARKER = "intervista: cannot join the run's cgroup"
_JOIN_SCRIPT = (
    'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ >"$1" || '
    f'{{ echo "{JOIN_MARKER} $1" >&2; exit 125; }}; shift; n=$((n-1)); done; exec "$@"'
)


@dataclass(frozen=True)
class CgroupLayout:
    """Where run cgroups go. ``version`` 1: one base per controller; 2: ``memory`` is the base."""

    version: int
    memory: Path
    pids: Path
    cpu: Path | None  # v1 cpuacct base, or None (v2 reads cpu.stat in ``memory``)

    def bases(self) -> tuple[Path, ...]:
        found = (self.memory, self.pids, *((self.cpu,) if self.cpu else ()))
        return tuple(dict.fromkeys(found))


@dataclass(frozen=True)
class CgroupStats:
    peak_memory_kb: int | None
    oom_kills: int
    cpu_seconds: float | None


def _mounts() -> tuple[dict[str, tuple[Path, str]], tuple[Path, str] | None]:
    """v1 controller -> (mount point, mounted root); the v2 mount point and root."""
    v1: dict[str, tuple[Path, str]] = {}
    v2: tuple[Path, str] | None = None
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        left, _, right = line.partition(" - ")
        fields, tail = left.split(), right.split()
        if len(fields) < 5 or len(tail) < 3:
            continue
        root, point = fields[3], Path(fields[4].replace("\\040", " "))
        if tail[0] == "cgroup2" and v2 is None:
            v2 = (point, root)
        elif tail[0] == "cgroup":
            for option in tail[2].split(","):
                v1.setdefault(option, (point, root))
    return v1, v2


def _own_paths() -> tuple[dict[str, str], str | None]:
    v1: dict[str, str] = {}
    v2 = None
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        if controllers == "":
            v2 = path
        for name in controllers.split(","):
            v1[name] = path
    return v1, v2


def _join(point: Path, root: str, path: str) -> Path:
    relative = path[len(root) :] if root != "/" and path.startswith(root) else path
    return point / relative.lstrip("/")


def _probe(base: Path) -> str | None:
    probe = base / f"{PREFIX}{os.getpid()}-probe"
    try:
        probe.mkdir(exist_ok=True)
        probe.rmdir()
    except OSError as exc:
        return f"cannot create a cgroup under {base}: {exc}"
    return None


def _v2_layout(point: Path, root: str, path: str) -> CgroupLayout | str:
    base = _join(point, root, path)
    try:
        available = (base / "cgroup.controllers").read_text().split()
        enabled = (base / "cgroup.subtree_control").read_text().split()
    except OSError as exc:
        return f"cgroup v2 at {base} unreadable: {exc}"
    if not {"memory", "pids"} <= set(available):
        return f"cgroup v2 at {base} has no memory/pids controllers ({' '.join(available)})"
    missing = [name for name in ("memory", "pids") if name not in enabled]
    if missing:
        try:
            (base / "cgroup.subtree_control").write_text(" ".join(f"+{m}" for m in missing))
        except OSError as exc:
            return f"cannot enable {missing} in {base}/cgroup.subtree_control: {exc}"
    problem = _probe(base)
    return problem or CgroupLayout(version=2, memory=base, pids=base, cpu=None)


@functools.lru_cache(maxsize=1)
def detect() -> CgroupLayout | str:
    """This process's layout, or why cgroups cannot be used. Cached; sweeps stale run cgroups."""
    try:
        mounts, unified = _mounts()
        own, own_v2 = _own_paths()
    except OSError as exc:
        return f"cannot read cgroup information: {exc}"
    reasons = []
    if unified is not None and own_v2 is not None:
        found = _v2_layout(*unified, own_v2)
        if isinstance(found, CgroupLayout):
            _sweep(found)
            return found
        reasons.append(found)
    if "memory" in mounts and "pids" in mounts and "memory" in own and "pids" in own:
        memory = _join(*mounts["memory"], own["memory"])
        pids = _join(*mounts["pids"], own["pids"])
        cpu = None
        if "cpuacct" in mounts and "cpuacct" in own:
            cpu = _join(*mounts["cpuacct"], own["cpuacct"])
            cpu = None if _probe(cpu) else cpu
        problem = _probe(memory) or _probe(pids)
        if problem is None:
            layout = CgroupLayout(version=1, memory=memory, pids=pids, cpu=cpu)
            _sweep(layout)
            return layout
        reasons.append(problem)
    else:
        reasons.append("no cgroup v1 memory and pids hierarchies mounted")
    return "; ".join(reasons)


def _sweep(layout: CgroupLayout) -> None:
    """Remove run cgroups left by processes that died mid-run."""
    for base in layout.bases():
        with contextlib.suppress(OSError):
            for entry in base.iterdir():
                if not entry.name.startswith(PREFIX) or not entry.is_dir():
                    continue
                owner = entry.name[len(PREFIX) :].split("-")[0]
                if owner.isdigit() and not Path(f"/proc/{owner}").exists():
                    _empty_and_remove((entry,), deadline=time.monotonic() + 2)


class RunCgroup:
    """The cgroup(s) of one run: created with limits, joined by the exec chain, read, removed."""

    def __init__(self, layout: CgroupLayout, memory_bytes: int, max_pids: int) -> None:
        self.layout = layout
        name = f"{PREFIX}{os.getpid()}-{next(_counter)}"
        self.dirs = tuple(base / name for base in layout.bases())
        self._memory = layout.memory / name
        self._pids = layout.pids / name
        self._cpu = layout.cpu / name if layout.cpu else None
        created: list[Path] = []
        try:
            for folder in self.dirs:
                folder.mkdir()
                created.append(folder)
            self._configure(memory_bytes, max_pids)
        except OSError:
            _empty_and_remove(tuple(created), deadline=time.monotonic() + 2)
            raise

    def _configure(self, memory_bytes: int, max_pids: int) -> None:
        if self.layout.version == 2:
            _write(self._memory / "memory.max", memory_bytes)
            _write(self._memory / "memory.swap.max", 0, optional=True)
            _write(self._memory / "memory.oom.group", 1, optional=True)
        else:
            _write(self._memory / "memory.limit_in_bytes", memory_bytes)
            _write(self._memory / "memory.memsw.limit_in_bytes", memory_bytes, optional=True)
        _write(self._pids / "pids.max", max_pids)

    def join_prefix(self) -> list[str]:
        """argv prefix (run as root) that moves the exec chain into every hierarchy's cgroup."""
        files = [str(folder / "cgroup.procs") for folder in self.dirs]
        return ["/bin/sh", "-c", _JOIN_SCRIPT, "sh", str(len(files)), *files]

    def stats(self) -> CgroupStats:
        if self.layout.version == 2:
            peak = _read_int(self._memory / "memory.peak")
            oom = _keyed(self._memory / "memory.events", "oom_kill")
            usec = _keyed(self._memory / "cpu.stat", "usage_usec", default=None)
            cpu = None if usec is None else usec / 1e6
        else:
            peak = _read_int(self._memory / "memory.max_usage_in_bytes")
            oom = _keyed(self._memory / "memory.oom_control", "oom_kill")
            nanos = _read_int(self._cpu / "cpuacct.usage") if self._cpu else None
            cpu = None if nanos is None else nanos / 1e9
        return CgroupStats(
            peak_memory_kb=None if peak is None else peak // 1024,
            oom_kills=oom or 0,
            cpu_seconds=cpu,
        )

    def remove(self, timeout: float = 5.0) -> bool:
        """Kill whatever is still inside, then remove the directories. True when all are gone."""
        with contextlib.suppress(OSError):
            _write(self._pids / "pids.max", 0)  # no more forks while we kill
        return _empty_and_remove(self.dirs, deadline=time.monotonic() + timeout)


@contextlib.contextmanager
def run_cgroup(layout: CgroupLayout, memory_bytes: int, max_pids: int) -> Iterator[RunCgroup]:
    cgroup = RunCgroup(layout, memory_bytes, max_pids)
    try:
        yield cgroup
    finally:
        if not cgroup.remove():
            logger.error("run cgroup %s could not be emptied and removed", cgroup.dirs)


def members(folder: Path) -> list[int]:
    try:
        return [int(pid) for pid in (folder / "cgroup.procs").read_text().split()]
    except OSError:
        return []


def _empty_and_remove(dirs: tuple[Path, ...], deadline: float) -> bool:
    remaining = list(dirs)
    while remaining:
        for folder in list(remaining):
            if (folder / "cgroup.kill").exists():
                with contextlib.suppress(OSError):
                    _write(folder / "cgroup.kill", 1)
            for pid in members(folder):
                _kill_member(pid, folder)
            try:
                folder.rmdir()
                remaining.remove(folder)
            except FileNotFoundError:
                remaining.remove(folder)
            except OSError:
                pass
        if remaining:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.005)
    return True


def _kill_member(pid: int, folder: Path) -> None:
    """SIGKILL ``pid`` through a pidfd, after checking it is (still) in ``folder``'s cgroup."""
    try:
        handle = os.pidfd_open(pid)
    except OSError:
        return
    try:
        if pid in members(folder):
            signal.pidfd_send_signal(handle, signal.SIGKILL)
    except OSError:
        pass
    finally:
        os.close(handle)


def _write(path: Path, value: int, *, optional: bool = False) -> None:
    try:
        path.write_text(str(value))
    except OSError:
        if not optional:
            raise


def _read_int(path: Path) -> int | None:
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _keyed(path: Path, key: str, default: int | None = 0) -> int | None:
    try:
        for line in path.read_text().splitlines():
            name, _, value = line.partition(" ")
            if name == key:
                return int(value)
    except (OSError, ValueError):
        pass
    return default
