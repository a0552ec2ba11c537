"""The sandbox's seccomp filter: a classic BPF program built here, handed to ``bwrap --seccomp``.

bubblewrap reads the compiled program (an array of ``struct sock_filter``) from a file
descriptor and installs it right before it executes the sandbox's init, so it applies to the
init and to every process of the run. The filter is a deny list: the syscalls below return an
error (EPERM, or ENOSYS where runtimes treat that as "not supported here, fall back"); anything
else is allowed. A syscall made through a foreign ABI (i386 ``int 0x80`` on x86-64, the x32
ABI's numbers >= 0x40000000) is refused as a whole, since the numbers would not mean the same.

What it blocks: reading or writing other processes of the run (ptrace, process_vm_*,
pidfd_getfd: a program could otherwise take the init's status pipe or forge its report),
kernel attack surface a program never needs (io_uring, bpf, perf_event_open, userfaultfd,
keyctl), namespace and mount changes, module loading, kexec, clock changes, swap, reboot.
No dependency: ``python3-seccomp`` is not needed.
"""

from __future__ import annotations

import errno
import functools
import os
import platform
import struct

# seccomp return values and BPF opcodes (linux/seccomp.h, linux/filter.h)
SECCOMP_RET_ALLOW = 0x7FFF0000
SECCOMP_RET_ERRNO = 0x00050000
BPF_LD_W_ABS = 0x20  # BPF_LD | BPF_W | BPF_ABS
BPF_JEQ_K = 0x15  # BPF_JMP | BPF_JEQ | BPF_K
BPF_JGE_K = 0x35  # BPF_JMP | BPF_JGE | BPF_K
BPF_RET_K = 0x06  # BPF_RET | BPF_K
OFFSET_NR = 0  # struct seccomp_data: int nr; __u32 arch; __u64 ip; __u64 args[6]
OFFSET_ARCH = 4
X32_SYSCALL_BIT = 0x40000000
AUDIT_ARCH = {"x86_64": 0xC000003E, "aarch64": 0xC00000B7}

# name: (x86_64 number, aarch64 number). Checked against the kernel's unistd headers.
SYSCALLS: dict[str, tuple[int, int]] = {
    "ptrace": (101, 117),
    "process_vm_readv": (310, 270),
    "process_vm_writev": (311, 271),
    "pidfd_open": (434, 434),
    "pidfd_getfd": (438, 438),
    "kcmp": (312, 272),
    "io_uring_setup": (425, 425),
    "io_uring_enter": (426, 426),
    "io_uring_register": (427, 427),
    "keyctl": (250, 219),
    "add_key": (248, 217),
    "request_key": (249, 218),
    "bpf": (321, 280),
    "perf_event_open": (298, 241),
    "userfaultfd": (323, 282),
    "mount": (165, 40),
    "umount2": (166, 39),
    "unshare": (272, 97),
    "setns": (308, 268),
    "pivot_root": (155, 41),
    "chroot": (161, 51),
    "fsopen": (430, 430),
    "fsconfig": (431, 431),
    "fsmount": (432, 432),
    "fspick": (433, 433),
    "move_mount": (429, 429),
    "open_tree": (428, 428),
    "mount_setattr": (442, 442),
    "open_by_handle_at": (304, 265),
    "name_to_handle_at": (303, 264),
    "kexec_load": (246, 104),
    "kexec_file_load": (320, 294),
    "init_module": (175, 105),
    "finit_module": (313, 273),
    "delete_module": (176, 106),
    "swapon": (167, 224),
    "swapoff": (168, 225),
    "reboot": (169, 142),
    "acct": (163, 89),
    "quotactl": (179, 60),
    "quotactl_fd": (443, 443),
    "clock_settime": (227, 112),
    "settimeofday": (164, 170),
    "adjtimex": (159, 171),
    "clock_adjtime": (305, 266),
    "syslog": (103, 116),
    "vhangup": (153, 58),
    "lookup_dcookie": (212, 18),
}
# Returned instead of EPERM: callers take these as "not available" and use a fallback
# (libuv without io_uring, asyncio without pidfds).
ENOSYS_FOR = frozenset({"io_uring_setup", "io_uring_enter", "io_uring_register", "pidfd_open"})
DENIED = tuple(SYSCALLS)


def _insn(code: int, jt: int, jf: int, k: int) -> bytes:
    return struct.pack("=HBBI", code, jt, jf, k)


def build_filter(machine: str | None = None, denied: tuple[str, ...] = DENIED) -> bytes:
    """The compiled filter (``struct sock_filter[]``, native byte order) for ``machine``
    (``uname -m``; this host's by default). Raises ValueError for an unsupported machine."""
    machine = machine or platform.machine()
    if machine not in AUDIT_ARCH:
        raise ValueError(f"no seccomp syscall table for {machine!r}")
    column = 0 if machine == "x86_64" else 1
    deny_eperm = SECCOMP_RET_ERRNO | errno.EPERM
    program = [
        _insn(BPF_LD_W_ABS, 0, 0, OFFSET_ARCH),
        _insn(BPF_JEQ_K, 1, 0, AUDIT_ARCH[machine]),
        _insn(BPF_RET_K, 0, 0, deny_eperm),  # a foreign ABI: refuse everything
        _insn(BPF_LD_W_ABS, 0, 0, OFFSET_NR),
    ]
    if machine == "x86_64":
        program += [
            _insn(BPF_JGE_K, 0, 1, X32_SYSCALL_BIT),
            _insn(BPF_RET_K, 0, 0, deny_eperm),
        ]
    for name in denied:
        error = errno.ENOSYS if name in ENOSYS_FOR else errno.EPERM
        program += [
            _insn(BPF_JEQ_K, 0, 1, SYSCALLS[name][column]),
            _insn(BPF_RET_K, 0, 0, SECCOMP_RET_ERRNO | error),
        ]
    program.append(_insn(BPF_RET_K, 0, 0, SECCOMP_RET_ALLOW))
    return b"".join(program)


@functools.lru_cache(maxsize=1)
def sandbox_filter() -> bytes:
    """This host's filter, built once per process."""
    return build_filter()


def filter_fd() -> int:
    """A pipe read end holding the filter, for ``bwrap --seccomp FD`` (which reads it to EOF
    and closes it). One per run: the caller passes it to the child and closes its copy."""
    data = sandbox_filter()
    read_end, write_end = os.pipe()
    try:
        os.write(write_end, data)  # a few hundred bytes: far below the pipe buffer
    finally:
        os.close(write_end)
    return read_end
