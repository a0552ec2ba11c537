"""Every module of ``core`` imports alone, in an interpreter where no other ``core`` module was
imported first: no import cycle hides behind a lucky import order.

Starting 190 interpreters costs minutes, almost all of it in third-party imports (Streamlit,
SQLAlchemy, pandas …). So one child process imports those libraries — and nothing of
``core`` — then forks once per module: each fork is an interpreter that has never seen a
``core`` module, and imports just the one under test.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CORE = REPO / "core"
# Not modules: data, templates and scripts that run inside the sandbox or under Alembic.
NOT_MODULES = (
    "core/db/migrations/",
    "core/coding/problems/bank/",
    "core/coding/problems/harness/templates/",
    "core/coding/sandbox/reaper.py",
    "core/coding/sandbox/sql_runner.py",
)
THIRD_PARTY = [
    "streamlit",
    "sqlalchemy",
    "sqlalchemy.orm",
    "alembic",
    "pydantic",
    "pydantic_settings",
    "numpy",
    "pandas",
    "duckdb",
    "pyarrow",
    "plotly.graph_objects",
    "openai",
    "argon2",
    "icalendar",
    "av",
    "cv2",
    "onnxruntime",
    "reportlab",
]

ZYGOTE = textwrap.dedent(
    """
    import importlib, os, sys, traceback
    for name in sys.argv[2].split(","):
        try:
            importlib.import_module(name)
        except Exception:
            pass  # a missing optional library shows up in the module that needs it
    assert not [m for m in sys.modules if m == "core" or m.startswith("core.")]
    failures = []
    for module in sys.argv[1].split(","):
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read)
            try:
                importlib.import_module(module)
                os._exit(0)
            except BaseException:
                os.write(write, traceback.format_exc()[-2000:].encode())
                os._exit(1)
        os.close(write)
        with os.fdopen(read, "rb") as pipe:
            message = pipe.read().decode(errors="replace")
        _, status = os.waitpid(pid, 0)
        if status != 0:
            failures.append(f"{module}: {message.strip().splitlines()[-1:] or status}")
    print("\\n".join(failures))
    sys.exit(1 if failures else 0)
    """
)


def core_modules() -> list[str]:
    modules = []
    for path in sorted(CORE.rglob("*.py")):
        relative = path.relative_to(REPO).as_posix()
        if relative.startswith(NOT_MODULES):
            continue
        name = ".".join(path.relative_to(REPO).with_suffix("").parts)
        modules.append(name.removesuffix(".__init__"))
    return modules


def test_the_module_list_is_complete() -> None:
    modules = core_modules()
    assert len(modules) > 150
    assert "core.interview.sweeper" in modules and "core.app" in modules
    assert not [m for m in modules if "bank" in m.split(".")]


def test_every_core_module_imports_alone_in_a_fresh_interpreter() -> None:
    done = subprocess.run(
        [sys.executable, "-c", ZYGOTE, ",".join(core_modules()), ",".join(THIRD_PARTY)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]


def test_the_check_catches_an_import_cycle(tmp_path: Path) -> None:
    """The fork-per-module check fails on a cycle that only some import orders reveal."""
    package = tmp_path / "cyclic"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from cyclic.b import B\nA = 1\n")
    (package / "b.py").write_text("from cyclic.a import A\nB = 2\n")
    done = subprocess.run(
        [sys.executable, "-c", ZYGOTE, "cyclic.a", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1 and "cyclic.a" in done.stdout and "ImportError" in done.stdout
