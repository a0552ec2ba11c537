"""The seccomp filter's decisions, run through a small classic-BPF interpreter."""

from __future__ import annotations

import errno
import struct

import pytest

from core.coding.sandbox.seccomp import (
    AUDIT_ARCH,
    SECCOMP_RET_ALLOW,
    SECCOMP_RET_ERRNO,
    SYSCALLS,
    build_filter,
)

EPERM = SECCOMP_RET_ERRNO | errno.EPERM
ENOSYS = SECCOMP_RET_ERRNO | errno.ENOSYS
I386 = 0x40000003


def run_filter(program: bytes, arch: int, nr: int) -> int:
    """Evaluate a cBPF program over a ``struct seccomp_data`` with ``nr`` and ``arch``."""
    data = struct.pack("=iIQ6Q", nr, arch, 0, *([0] * 6))
    insns = [struct.unpack_from("=HBBI", program, i) for i in range(0, len(program), 8)]
    acc, pc = 0, 0
    while True:
        code, jt, jf, k = insns[pc]
        if code == 0x20:  # ld [k]
            acc = struct.unpack_from("=I", data, k)[0]
        elif code == 0x15:  # jeq #k
            pc += jt if acc == k else jf
        elif code == 0x35:  # jge #k
            pc += jt if acc >= k else jf
        elif code == 0x06:  # ret #k
            return k
        else:
            raise AssertionError(f"unexpected opcode {code:#x}")
        pc += 1


X86 = build_filter("x86_64")
ARM = build_filter("aarch64")


@pytest.mark.parametrize(
    ("name", "nr", "expected"),
    [
        ("read", 0, SECCOMP_RET_ALLOW),
        ("write", 1, SECCOMP_RET_ALLOW),
        ("clone", 56, SECCOMP_RET_ALLOW),
        ("execve", 59, SECCOMP_RET_ALLOW),
        ("personality", 135, SECCOMP_RET_ALLOW),  # runtimes query it
        ("pidfd_send_signal", 424, SECCOMP_RET_ALLOW),
        ("ptrace", 101, EPERM),
        ("pidfd_getfd", 438, EPERM),
        ("process_vm_readv", 310, EPERM),
        ("process_vm_writev", 311, EPERM),
        ("pidfd_open", 434, ENOSYS),
        ("io_uring_setup", 425, ENOSYS),
        ("bpf", 321, EPERM),
        ("mount", 165, EPERM),
        ("unshare", 272, EPERM),
        ("setns", 308, EPERM),
        ("keyctl", 250, EPERM),
        ("userfaultfd", 323, EPERM),
        ("perf_event_open", 298, EPERM),
        ("x32 read", 0x40000000, EPERM),
        ("x32 ptrace", 0x40000000 + 101, EPERM),
    ],
)
def test_x86_64_decisions(name: str, nr: int, expected: int) -> None:
    assert run_filter(X86, AUDIT_ARCH["x86_64"], nr) == expected, name


@pytest.mark.parametrize("nr", [0, 1, 59, 101])
def test_a_foreign_abi_is_refused_whatever_the_number(nr: int) -> None:
    assert run_filter(X86, I386, nr) == EPERM


def test_every_listed_syscall_is_denied_on_both_machines() -> None:
    for name, (x86_nr, arm_nr) in SYSCALLS.items():
        assert run_filter(X86, AUDIT_ARCH["x86_64"], x86_nr) != SECCOMP_RET_ALLOW, name
        assert run_filter(ARM, AUDIT_ARCH["aarch64"], arm_nr) != SECCOMP_RET_ALLOW, name


def test_aarch64_uses_its_own_numbers() -> None:
    aarch = AUDIT_ARCH["aarch64"]
    assert run_filter(ARM, aarch, 117) == EPERM  # ptrace on aarch64
    assert run_filter(ARM, aarch, 101) == SECCOMP_RET_ALLOW  # nanosleep there, not ptrace
    assert run_filter(ARM, AUDIT_ARCH["x86_64"], 0) == EPERM  # wrong arch for this filter


def test_unsupported_machine_is_refused() -> None:
    with pytest.raises(ValueError, match="riscv64"):
        build_filter("riscv64")
