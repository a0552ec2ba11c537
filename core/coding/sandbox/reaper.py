"""Tiny init that runs INSIDE the sandbox as its PID 1 (source passed to ``python3 -I -S -c``).

bubblewrap's own init does not hand resource usage back, so bwrap runs with ``--as-pid-1`` and
this wrapper is PID 1 of the run's private PID namespace: every orphan is reparented to it. It
starts the program, waits for it, kills whatever is left (only with ``--kill-rest``: in the
private namespace that is just this run), reaps everything and writes
``"<cpu seconds> <peak rss kB> <raw wait status>"`` to the status fd, which the program does not
inherit. Standard library only, no json/ctypes: its start-up cost must stay small.
"""

import contextlib
import os
import resource
import signal
import sys


def main() -> None:
    status_fd = int(sys.argv[1])
    kill_rest = sys.argv[2] == "--kill-rest"
    argv = sys.argv[3:]
    os.set_inheritable(status_fd, False)
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
    report = f"{usage.ru_utime + usage.ru_stime} {usage.ru_maxrss} {status}"
    os.write(status_fd, report.encode())
    os.close(status_fd)
    if os.WIFEXITED(status):
        os._exit(os.WEXITSTATUS(status))
    os._exit(128 + os.WTERMSIG(status))


main()
