"""Compile (when the language needs it) and run one program in the sandbox; decide a verdict."""

from __future__ import annotations

import hashlib
import io
import logging
import signal
import tarfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field

from core.coding.sandbox.drivers import CompileDiagnostic, get_driver
from core.coding.sandbox.factory import Sandbox
from core.coding.sandbox.models import Limits, RunRequest, RunResult, Verdict
from core.domain import CodingLanguage

logger = logging.getLogger(__name__)

COMPILE_LIMITS = Limits(
    cpu_seconds=15,
    wall_seconds=30,
    memory_mb=2048,
    processes=128,
    output_bytes=16_000_000,
    tmpfs_mb=64,
    total_memory_mb=1536,  # javac -J-Xmx512m / mcs's 512 MB heap, plus the JVM's own
)
MAX_ARTIFACT_BYTES = 12_000_000
SIGXCPU = int(signal.SIGXCPU)


@dataclass(frozen=True)
class ProgramResult:
    """Outcome of compiling and running one program."""

    verdict: Verdict
    run: RunResult | None
    compile: RunResult | None = None
    compile_output: str = ""
    diagnostics: tuple[CompileDiagnostic, ...] = field(default_factory=tuple)
    sandboxed: bool = True

    @property
    def stdout(self) -> str:
        return self.run.stdout_text() if self.run else ""

    @property
    def stderr(self) -> str:
        return self.run.stderr_text() if self.run else self.compile_output


def classify(result: RunResult, memory_markers: tuple[str, ...], memory_mb: int) -> Verdict:
    """Verdict of a finished run (exit 0 counts as ACCEPTED: tests are judged elsewhere)."""
    if result.sandbox_error:
        return Verdict.SANDBOX_ERROR
    if result.output_exceeded:
        return Verdict.OUTPUT_LIMIT
    if result.memory_exceeded:  # the run's cgroup OOM-killed a process: whatever the exit code
        return Verdict.MEMORY_LIMIT
    if result.timed_out or SIGXCPU in (result.signal, (result.exit_code or 0) - 128):
        return Verdict.TIME_LIMIT
    if result.exit_code == 0:
        return Verdict.ACCEPTED
    text = result.stderr_text()[-4000:]
    if (
        any(marker in text for marker in memory_markers)
        or result.peak_memory_kb >= memory_mb * 1024
    ):
        return Verdict.MEMORY_LIMIT
    if result.signal == 25 or (result.exit_code == 128 + 25):  # SIGXFSZ: file size limit
        return Verdict.OUTPUT_LIMIT
    return Verdict.RUNTIME_ERROR


def run_program(
    sandbox: Sandbox,
    language: CodingLanguage,
    sources: Mapping[str, str],
    main_file: str,
    *,
    stdin: bytes = b"",
    limits: Limits | None = None,
    classpath: Mapping[str, bytes] | None = None,
) -> ProgramResult:
    """Compile ``sources`` if needed, then run ``main_file``. Blocks the calling thread.

    ``classpath``: precompiled files (e.g. a harness library) visible to the compiler in
    ``src/lib/`` and to the program next to its own compiled files."""
    driver = get_driver(language)
    base = limits or Limits()
    # The whole run's cap follows the requested memory, not the address space some drivers
    # raise for runtimes that reserve large virtual ranges (the JVM's 2 GB).
    run_limits = driver.limits(base).with_overrides(total_memory_mb=base.run_memory_mb)
    files = {name: text.encode() for name, text in {**driver.support_files(), **sources}.items()}
    files.update({f"lib/{name}": data for name, data in (classpath or {}).items()})
    compile_result: RunResult | None = None
    if driver.compiled:
        command = driver.compile_command()
        assert command is not None
        compile_result = sandbox.run(
            RunRequest(argv=_compile_argv(command), files=files, limits=COMPILE_LIMITS)
        )
        output = compile_result.stderr_text()
        if not compile_result.ok:
            reason = ""
            if compile_result.sandbox_error:
                reason = f"{compile_result.sandbox_error}\n"
            elif compile_result.timed_out:
                reason = "the compiler exceeded its time limit\n"
            elif compile_result.memory_exceeded:
                reason = "the compiler exceeded the memory limit\n"
            elif compile_result.output_exceeded:
                reason = "the compiler produced too much output\n"
            return ProgramResult(
                verdict=Verdict.COMPILE_ERROR,
                run=None,
                compile=compile_result,
                compile_output=reason + output,
                diagnostics=tuple(driver.parse_diagnostics(output)),
                sandboxed=compile_result.sandboxed,
            )
        try:
            artifacts = unpack_artifacts(compile_result.stdout)
        except ValueError as exc:
            return ProgramResult(
                verdict=Verdict.COMPILE_ERROR,
                run=None,
                compile=compile_result,
                compile_output=f"compiler output unusable: {exc}\n{output}",
                sandboxed=compile_result.sandboxed,
            )
        files = {f"app/{name}": data for name, data in {**(classpath or {}), **artifacts}.items()}
        files.update({name: text.encode() for name, text in driver.run_files().items()})
    run = sandbox.run(
        RunRequest(argv=driver.run_argv(main_file), files=files, stdin=stdin, limits=run_limits)
    )
    return ProgramResult(
        verdict=classify(run, driver.memory_markers, run_limits.memory_mb),
        run=run,
        compile=compile_result,
        compile_output=compile_result.stderr_text() if compile_result else "",
        sandboxed=run.sandboxed,
    )


def _compile_argv(command: str) -> tuple[str, ...]:
    """Compiler messages to stderr; the compiled files leave as a tar stream on stdout."""
    script = f"mkdir out && {{ {command} ; }} 1>&2 && exec /usr/bin/tar -C out -cf - ."
    return ("/bin/sh", "-c", script)


_LIBRARIES: dict[tuple[str, str], dict[str, bytes]] = {}
_LIBRARIES_LOCK = threading.Lock()
_BUILDING: dict[tuple[str, str], threading.Lock] = {}


def compile_library(
    sandbox: Sandbox, language: CodingLanguage, sources: Mapping[str, str]
) -> dict[str, bytes]:
    """Compile fixed helper sources (our own harness code) once per process, in the sandbox.

    Returns the compiled files, cached by language and source text. Blocks the calling thread
    on the first call. Raises RuntimeError if the compiler rejects them (a bug of ours)."""
    digest = hashlib.sha256(repr(sorted(sources.items())).encode()).hexdigest()
    key = (language.value, digest)
    with _LIBRARIES_LOCK:
        cached = _LIBRARIES.get(key)
        building = _BUILDING.setdefault(key, threading.Lock())
    if cached is not None:
        return cached
    with building:  # one compile per key: a second caller waits for it (e.g. a warm-up)
        with _LIBRARIES_LOCK:
            cached = _LIBRARIES.get(key)
        if cached is not None:
            return cached
        return _compile_library(sandbox, language, sources, key)


def _compile_library(
    sandbox: Sandbox,
    language: CodingLanguage,
    sources: Mapping[str, str],
    key: tuple[str, str],
) -> dict[str, bytes]:
    driver = get_driver(language)
    command = driver.compile_command()
    if command is None:
        raise ValueError(f"{language} is not compiled")
    files = {name: text.encode() for name, text in sources.items()}
    result = sandbox.run(
        RunRequest(argv=_compile_argv(command), files=files, limits=COMPILE_LIMITS)
    )
    if not result.ok:
        raise RuntimeError(f"harness library failed to compile: {result.stderr_text()[-2000:]}")
    artifacts = unpack_artifacts(result.stdout)
    with _LIBRARIES_LOCK:
        _LIBRARIES[key] = artifacts
    return artifacts


def unpack_artifacts(archive: bytes) -> dict[str, bytes]:
    """Regular files of a tar stream produced inside the sandbox; anything odd is rejected."""
    found: dict[str, bytes] = {}
    total = 0
    try:
        with tarfile.open(fileobj=io.BytesIO(archive), mode="r:") as tar:
            for member in tar:
                name = member.name.removeprefix("./")
                if member.isdir() and name in ("", "."):
                    continue
                if member.isdir():
                    continue
                if not member.isfile() or name.startswith("/") or ".." in name.split("/"):
                    raise ValueError(f"unexpected entry {member.name!r} in compiler output")
                total += member.size
                if total > MAX_ARTIFACT_BYTES:
                    raise ValueError("compiled program is too large")
                handle = tar.extractfile(member)
                assert handle is not None
                found[name] = handle.read()
    except tarfile.TarError as exc:
        raise ValueError(f"not a tar stream ({exc})") from exc
    if not found:
        raise ValueError("the compiler produced no files")
    return found
