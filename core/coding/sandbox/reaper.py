"""Tiny init that runs INSIDE the sandbox as its PID 1 (source passed to ``python3 -I -S -c``).

bubblewrap's own init does not hand resource usage back, so bwrap runs with ``--as-pid-1`` and
this wrapper is PID 1 of the run's private PID namespace: every orphan is reparented to it. It
reads the run's nonce from NONCE_FD and closes it (the program never sees it), makes itself
non-dumpable (the program, same uid, can then neither ptrace it nor open ``/proc/1/fd`` or
``/proc/1/mem``), starts the program, waits for it, kills whatever is left (only with
``--kill-rest``: in the private namespace that is just this run), reaps everything and writes
``"<nonce> <cpu seconds> <peak rss kB> <raw wait status>\\n"`` to the status fd, which the
program does not inherit. Standard library only, no json: its start-up cost must stay small
(ctypes only for ``prctl``).
"""

import contextlib
import ctypes
import os
import resource
import signal
import sys

PR_SET_DUMPABLE = 4


def read_nonce(fd: int) -> str:
    data = b""
    while len(data) < 64:
        chunk = os.read(fd, 64 - len(data))
        if not chunk:
            break
        data += chunk
    os.close(fd)
    text = data.decode("ascii", errors="replace")
    if len(text) < 16 or any(c not in "0123456789abcdef" for c in text):
        os.write(2, b"reaper: no valid nonce\n")
        os._exit(127)
    return text


def main() -> None:
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    status_fd = int(sys.argv[1])
    os.set_inheritable(status_fd, False)
    nonce = read_nonce(int(sys.argv[2]))
    kill_rest = sys.argv[3] == "--kill-rest"
    argv = sys.argv[4:]
    try:
        pid = os.posix_spawn(argv[0], argv, dict(os.environ))
    except OSError as exc:
        os.write(2, f"cannot execute {argv[0]}: {exc}\n".encode())
        os._exit(127)
    _, status, _ = os.wait4(pid, 0)
    if kill_rest:
        with contextlib.suppress(OSError):
            os.kill(-1, signal.SIGKILL)
    while True:
        try:
            os.wait()
        except ChildProcessError:
            break
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    report = f"{nonce} {usage.ru_utime + usage.ru_stime:.6f} {usage.ru_maxrss} {status}\n"
    os.write(status_fd, report.encode())
    os.close(status_fd)
    if os.WIFEXITED(status):
        os._exit(os.WEXITSTATUS(status))
    os._exit(128 + os.WTERMSIG(status))


main()
