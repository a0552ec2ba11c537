"""Harnessed runs kept apart: the visible examples in one sandbox run, every hidden test in a
run of its own, so a program never holds the input of a hidden test other than the one it is
answering (nor any hidden input while it answers an example).

A compiled language (Java, C#) is compiled once, with the examples' run; the hidden tests then
run the same compiled files. Runs go ``PARALLEL_RUNS`` at a time, in order; once one run hits
its time limit the runs not yet started are not started (``run_in_turn``), so a slow or looping
submission costs about one time limit, not one per test.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any, TypeVar

from core.coding.problems.harness.builder import HarnessFiles
from core.coding.problems.output import tagged_lines
from core.coding.sandbox.drivers import get_driver
from core.coding.sandbox.factory import Sandbox
from core.coding.sandbox.models import Limits, RunRequest, Verdict
from core.coding.sandbox.program import ProgramResult, classify, run_program, unpack_artifacts
from core.domain import CodingLanguage

# Runs of one submission at a time. Measured on 2 cores (load 3-5), Python Submit of
# pair-with-sum (9 runs): 205 ms with 2, 164 ms with 4, 151 ms with 8: a run is partly waiting
# (namespaces, mounts), so 4 helps even there; more mostly adds load.
PARALLEL_RUNS = 4
NOT_RUN_AFTER_TIMEOUT = "not run: an earlier test timed out"
T = TypeVar("T")


@dataclass(frozen=True)
class HarnessRun:
    """One run of the harness over some argument lists: its nonce, the program's result and
    the nonce-tagged result lines (``{"0": {...}, "load": {...}}``)."""

    nonce: str
    program: ProgramResult
    lines: Mapping[str, Mapping[str, Any]]

    @property
    def timed_out(self) -> bool:
        return self.program.verdict is Verdict.TIME_LIMIT


def _stdin(nonce: str, arg_lists: Sequence[Sequence[Any]]) -> bytes:
    return ("\n".join([nonce, *(json.dumps(list(args)) for args in arg_lists)]) + "\n").encode()


def first_run(
    sandbox: Sandbox,
    language: CodingLanguage,
    harness: HarnessFiles,
    arg_lists: Sequence[Sequence[Any]],
    *,
    limits: Limits,
    library: Mapping[str, bytes] | None,
) -> HarnessRun:
    """Compile (when the language needs it) and run the harness over ``arg_lists``. Blocks."""
    nonce = secrets.token_hex(16)
    program = run_program(
        sandbox,
        language,
        harness.sources,
        harness.main_file,
        stdin=_stdin(nonce, arg_lists),
        limits=limits,
        classpath=library,
    )
    return HarnessRun(nonce, program, tagged_lines(program.stdout, nonce))


def compiled_files(first: HarnessRun, library: Mapping[str, bytes] | None) -> dict[str, bytes]:
    """The files a compiled language's run step needs, taken from ``first``'s compilation."""
    assert first.program.compile is not None
    artifacts = unpack_artifacts(first.program.compile.stdout)
    return {f"app/{name}": data for name, data in {**(library or {}), **artifacts}.items()}


def rerun(
    sandbox: Sandbox,
    language: CodingLanguage,
    harness: HarnessFiles,
    arg_lists: Sequence[Sequence[Any]],
    *,
    limits: Limits,
    compiled: Mapping[str, bytes] | None,
) -> HarnessRun:
    """Run the harness again in a fresh sandbox over ``arg_lists``: the already ``compiled``
    files for Java and C#, else the sources (the harness checks their syntax). Blocks."""
    driver = get_driver(language)
    if compiled is None:
        return first_run(sandbox, language, harness, arg_lists, limits=limits, library=None)
    nonce = secrets.token_hex(16)
    files = dict(compiled)
    files.update({name: text.encode() for name, text in driver.run_files().items()})
    run_limits = driver.limits(limits)
    run = sandbox.run(
        RunRequest(
            argv=driver.run_argv(harness.main_file),
            files=files,
            stdin=_stdin(nonce, arg_lists),
            limits=run_limits,
        )
    )
    program = ProgramResult(
        verdict=classify(run, driver.memory_markers, run_limits.memory_mb),
        run=run,
        sandboxed=run.sandboxed,
    )
    return HarnessRun(nonce, program, tagged_lines(program.stdout, nonce))


def run_in_turn(
    jobs: Sequence[Callable[[], T]],
    *,
    stop: Callable[[T], bool],
    workers: int | None = None,
) -> list[T | None]:
    """Run ``jobs`` on up to ``workers`` threads, starting them in order. Once a finished job's
    result satisfies ``stop``, the jobs not yet started never start: their place holds None.
    Jobs already running finish. Blocks until all started jobs are done."""
    workers = PARALLEL_RUNS if workers is None else workers
    if not jobs:
        return []
    found: list[T | None] = [None] * len(jobs)
    workers = max(1, min(workers, len(jobs)))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        # A job is handed to the pool only when a worker is free, so nothing queued can start
        # after a result that says stop.
        running: dict[Future[T], int] = {}
        upcoming = iter(range(len(jobs)))
        stopped = False
        while True:
            while not stopped and len(running) < workers:
                index = next(upcoming, None)
                if index is None:
                    break
                running[pool.submit(jobs[index])] = index
            if not running:
                return found
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                found[running.pop(future)] = result = future.result()
                stopped = stopped or stop(result)
