"""Hostile programs against the real sandbox. Each attack carries its own bound (a capped fork
loop with sleeping children, a file that stops at 2 GB, ...) so that a broken sandbox fails the
test instead of taking the machine down."""

from __future__ import annotations

import fcntl
import os
import shutil
import socket
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from core.coding.sandbox.models import Limits, Verdict
from core.coding.sandbox.program import ProgramResult, run_program
from core.domain import CodingLanguage

POOL_UIDS = range(1001, 1501)


def _python(sandbox: Any, code: str, **limits: Any) -> ProgramResult:
    return run_program(
        sandbox, CodingLanguage.PYTHON, {"main.py": code}, "main.py", limits=Limits(**limits)
    )


def _pool_processes(marker: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if entry.stat().st_uid in POOL_UIDS and marker in (
                entry / "cmdline"
            ).read_bytes().decode(errors="replace"):
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def test_infinite_loop_is_stopped_with_time_limit(sandbox: Any) -> None:
    result = _python(sandbox, "while True:\n    pass\n", cpu_seconds=1, wall_seconds=5)
    assert result.verdict is Verdict.TIME_LIMIT


def test_sleeping_program_is_stopped_by_the_wall_clock(sandbox: Any) -> None:
    result = _python(sandbox, "import time\ntime.sleep(30)\n", cpu_seconds=1, wall_seconds=2)
    assert result.verdict is Verdict.TIME_LIMIT
    assert result.run is not None and result.run.wall_seconds < 30


def test_fork_bomb_hits_the_process_limit_and_leaves_nothing_behind(sandbox: Any) -> None:
    code = (
        "import os\n"
        "n = 0\n"
        "for _ in range(300):\n"  # the bound: at most 300 children even without a limit
        "    try:\n"
        "        pid = os.fork()\n"
        "    except OSError:\n"
        "        break\n"
        "    if pid == 0:\n"
        "        try:\n"
        "            os.execv('/usr/bin/sleep', ['sleep', '29.5'])\n"
        "        finally:\n"
        "            os._exit(0)\n"
        "    n += 1\n"
        "print('forked', n)\n"
    )
    result = _python(sandbox, code, processes=32, wall_seconds=10)
    assert result.verdict is Verdict.ACCEPTED
    forked = int(result.stdout.split()[-1])
    assert 0 < forked < 32
    assert _pool_processes("29.5") == []  # every sleeping child was killed with the run


def test_four_gigabyte_allocation_is_a_memory_limit(sandbox: Any) -> None:
    result = _python(sandbox, "block = bytearray(4 * 1024 ** 3)\nprint(len(block))\n")
    assert result.verdict is Verdict.MEMORY_LIMIT


def test_four_gigabyte_allocation_in_java_is_a_memory_limit(sandbox: Any) -> None:
    code = (
        "public class Main { public static void main(String[] a) {\n"
        "    long[] b = new long[512 * 1024 * 1024];\n"
        "    System.out.println(b.length);\n} }\n"
    )
    result = run_program(sandbox, CodingLanguage.JAVA, {"Main.java": code}, "Main.java")
    assert result.verdict is Verdict.MEMORY_LIMIT


def test_javascript_heap_exhaustion_is_a_memory_limit(sandbox: Any) -> None:
    code = (
        "const keep = [];\n"
        "for (let i = 0; i < 4096; i++) keep.push(new Array(1024 * 1024).fill(i));\n"
    )
    result = run_program(
        sandbox,
        CodingLanguage.JAVASCRIPT,
        {"main.js": code},
        "main.js",
        limits=Limits(wall_seconds=20, cpu_seconds=10),
    )
    assert result.verdict is Verdict.MEMORY_LIMIT


def test_output_flood_is_cut_at_the_cap(sandbox: Any) -> None:
    # The bound: 50 MB in total, whatever the cap does.
    code = "import sys\nline = 'x' * 1023 + '\\n'\n"
    code += "for _ in range(50_000):\n    sys.stdout.write(line)\n"
    result = _python(sandbox, code, output_bytes=1_000_000)
    assert result.verdict is Verdict.OUTPUT_LIMIT
    assert result.run is not None and len(result.run.stdout) <= 1_000_000


def test_huge_file_is_stopped_by_the_size_limits(sandbox: Any) -> None:
    code = (
        "import errno\n"
        "written = 0\n"
        "chunk = b'z' * (1 << 20)\n"
        "try:\n"
        "    with open('big.bin', 'wb') as f:\n"
        "        while written < 2 * 1024 ** 3:\n"  # the bound: stop at 2 GB
        "            f.write(chunk)\n"
        "            f.flush()\n"
        "            written += len(chunk)\n"
        "except OSError as exc:\n"
        "    print('stopped', written, errno.errorcode[exc.errno])\n"
        "total = 0\n"
        "try:\n"
        "    for i in range(200):\n"  # many files under the per-file limit: the tmpfs cap
        "        with open(f'/tmp/part{i}', 'wb') as f:\n"
        "            for _ in range(8):\n"
        "                f.write(chunk)\n"
        "                f.flush()\n"
        "                total += len(chunk)\n"
        "except OSError as exc:\n"
        "    print('tmp stopped', total, errno.errorcode[exc.errno])\n"
    )
    result = _python(sandbox, code, file_size_mb=16, tmpfs_mb=64)
    assert result.verdict is Verdict.ACCEPTED, result.stderr
    first, second = result.stdout.splitlines()
    assert first.split()[0] == "stopped" and int(first.split()[1]) <= 16 * 2**20
    assert first.split()[2] in {"EFBIG", "ENOSPC"}
    assert second.split()[0:1] == ["tmp"] and int(second.split()[2]) <= 64 * 2**20
    assert second.split()[3] == "ENOSPC"


def test_host_files_and_other_processes_are_invisible(sandbox: Any) -> None:
    code = (
        "import os\n"
        "for path in ['/etc/passwd', '/etc/shadow', '/root', '/work', '/home', '/var']:\n"
        "    print(path, os.path.exists(path))\n"
        "print('pids', sorted(int(p) for p in os.listdir('/proc') if p.isdigit()))\n"
        "print('uid', os.getuid())\n"
    )
    result = _python(sandbox, code)
    assert result.verdict is Verdict.ACCEPTED
    lines = result.stdout.splitlines()
    assert all(line.endswith("False") for line in lines[:6]), lines
    pids = eval(lines[6].split(" ", 1)[1])
    assert len(pids) <= 3  # the sandbox's init, the program (and its reaper): nothing of the host
    assert int(lines[7].split()[1]) != 0


def test_environment_secrets_are_not_visible(sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = "sk-intervista-test-secret-4242"
    monkeypatch.setenv("INTERVISTA_OPENAI_API_KEY", secret)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", secret)
    code = (
        "import os\n"
        "print(dict(os.environ))\n"
        "for p in os.listdir('/proc'):\n"
        "    if p.isdigit():\n"
        "        try:\n"
        "            print(open(f'/proc/{p}/environ', 'rb').read())\n"
        "        except OSError as exc:\n"
        "            print(p, exc)\n"
    )
    result = _python(sandbox, code)
    assert result.verdict is Verdict.ACCEPTED
    assert secret not in result.stdout + result.stderr
    assert "INTERVISTA" not in result.stdout


def test_runs_cannot_see_or_kill_each_other(sandbox: Any) -> None:
    victim = (
        "import time\n"
        "open('secret-of-run-a.txt', 'w').write('run A private data')\n"
        "open('/tmp/secret-of-run-a.txt', 'w').write('run A private data')\n"
        "time.sleep(3)\n"
        "print('run A finished intact')\n"
    )
    attacker = (
        "import os, signal, time\n"
        "time.sleep(0.8)\n"
        "seen = []\n"
        "for root in ['/box', '/tmp', '/proc']:\n"
        "    for dirpath, dirs, files in os.walk(root):\n"
        "        if dirpath.startswith('/proc/'):\n"
        "            dirs[:] = []\n"
        "        seen += [f for f in files if 'secret' in f]\n"
        "killed = 0\n"
        "for p in os.listdir('/proc'):\n"
        "    if p.isdigit() and int(p) != os.getpid():\n"
        "        try:\n"
        "            os.kill(int(p), signal.SIGKILL)\n"
        "            killed += 1\n"
        "        except OSError:\n"
        "            pass\n"
        "print('seen', seen)\n"
    )
    results: dict[str, ProgramResult] = {}
    thread = threading.Thread(target=lambda: results.__setitem__("a", _python(sandbox, victim)))
    thread.start()
    results["b"] = _python(sandbox, attacker)
    thread.join()
    assert results["a"].verdict is Verdict.ACCEPTED
    assert "run A finished intact" in results["a"].stdout
    assert "seen []" in results["b"].stdout


def test_no_network_even_to_a_loopback_service(sandbox: Any) -> None:
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.settimeout(0.2)
    port = server.getsockname()[1]
    accepted: list[Any] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            accepted.append(conn)
            conn.close()

    thread = threading.Thread(target=serve)
    thread.start()
    code = (
        "import socket\n"
        f"for host in ['127.0.0.1', 'localhost']:\n"
        "    try:\n"
        f"        socket.create_connection((host, {port}), timeout=2).close()\n"
        "        print('connected', host)\n"
        "    except OSError as exc:\n"
        "        print('blocked', host, type(exc).__name__)\n"
    )
    try:
        result = _python(sandbox, code)
    finally:
        stop.set()
        thread.join()
        server.close()
    assert result.verdict is Verdict.ACCEPTED
    assert "connected" not in result.stdout
    assert result.stdout.count("blocked") == 2
    assert accepted == []


def test_files_outside_the_work_dir_cannot_be_deleted(sandbox: Any, tmp_path: Path) -> None:
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me")
    code = (
        "import os, shutil\n"
        f"for path in [{str(precious)!r}, '/usr/bin/python3', 'src/main.py', '/etc/ld.so.cache']:\n"
        "    try:\n"
        "        os.remove(path)\n"
        "        print('deleted', path)\n"
        "    except OSError as exc:\n"
        "        print('refused', path, type(exc).__name__)\n"
        "shutil.rmtree('/usr/share/doc', ignore_errors=True)\n"
    )
    result = _python(sandbox, code)
    assert result.verdict is Verdict.ACCEPTED
    assert "deleted" not in result.stdout
    assert precious.read_text() == "keep me"
    assert Path("/usr/bin/python3").exists() and Path("/usr/share/doc").is_dir()


def test_the_host_is_unaffected(sandbox: Any) -> None:
    # After every attack above (same session): the host still runs programs normally.
    result = _python(sandbox, "print(sum(range(10)))\n")
    assert result.verdict is Verdict.ACCEPTED and result.stdout.strip() == "45"
    assert os.path.exists("/etc/passwd") and Path("/usr/bin/python3").exists()
    assert _stray_processes() == []  # no process of a sandbox uid outlives its run


def _uid_in_use(uid: int) -> bool:
    """A run holds this uid now (its flock, see uid_pool.py): its processes are that run's."""
    lock = Path(tempfile.gettempdir()) / "intervista-sandbox-uids" / f"{uid}.lock"
    if not lock.exists():
        return False
    handle = os.open(lock, os.O_RDWR)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(handle)  # closing releases a lock we took
    return False


def _stray_processes() -> list[int]:
    """Processes of sandbox uids that no run holds, still there after 2 s (other test files'
    runs, in parallel workers, hold theirs; a killed process may take a moment to go)."""
    stray: set[int] | None = None
    for _ in range(5):
        now = {pid for pid in _pool_processes("") if not _uid_in_use(_uid_of(pid))}
        stray = now if stray is None else stray & now
        if not stray:
            return []
        time.sleep(0.5)
    return sorted(stray or ())


def _uid_of(pid: int) -> int:
    try:
        return Path(f"/proc/{pid}").stat().st_uid
    except OSError:
        return -1


@pytest.mark.parametrize("native_init", [True, False])
def test_both_inits_measure_cpu_and_peak_memory(sandbox: Any, native_init: bool) -> None:
    from core.coding.sandbox.bwrap import BwrapSandbox

    box = BwrapSandbox(native_init=native_init)
    expected_kind = "c" if native_init and shutil.which("gcc") else "python"
    assert box.init_kind == expected_kind
    code = "block = bytearray(80 * 1024 * 1024)\nx = sum(range(3_000_000))\nprint(len(block))\n"
    result = run_program(box, CodingLanguage.PYTHON, {"main.py": code}, "main.py")
    assert result.verdict is Verdict.ACCEPTED
    assert result.run is not None
    assert 80 * 1024 <= result.run.peak_memory_kb < 400 * 1024
    assert result.run.cpu_seconds > 0.01


def test_closing_output_and_hanging_is_a_time_limit(sandbox: Any) -> None:
    code = "import os, time\nos.close(1)\nos.close(2)\ntime.sleep(30)\n"
    result = _python(sandbox, code, cpu_seconds=1, wall_seconds=2)
    assert result.verdict is Verdict.TIME_LIMIT
