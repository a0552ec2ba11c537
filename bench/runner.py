"""Benchmark of the code runner: latency per language, sandbox overhead, HumanEval throughput.

Run: ``.venv/bin/python bench/runner.py [--repeat N] [--shared /work/shared]``. Prints figures;
the last line is JSON. Targets: Python/JavaScript/PHP/Ruby <= 150 ms per sandboxed run at the
median; Java and C# <= 1.5 s compile+run; all 164 HumanEval problems <= 60 s with two workers.
The machine is shared: the load average is printed next to the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.coding.problems.grading import grade_loaded
from core.coding.problems.loader import LoadedProblem, default_bank
from core.coding.sandbox.bwrap import SANDBOX_ENV, BwrapSandbox
from core.coding.sandbox.drivers import get_driver
from core.coding.sandbox.program import run_program
from core.domain import CodingLanguage

L = CodingLanguage
TRIVIAL = {
    L.PYTHON: ("main.py", "print('hello')\n"),
    L.JAVASCRIPT: ("main.js", "console.log('hello');\n"),
    L.PHP: ("main.php", "<?php echo 'hello', PHP_EOL;\n"),
    L.RUBY: ("main.rb", "puts 'hello'\n"),
    L.JAVA: (
        "Main.java",
        "public class Main {\n"
        '    public static void main(String[] a) { System.out.println("hello"); }\n}\n',
    ),
    L.CSHARP: (
        "Main.cs",
        'class P { static void Main() { System.Console.WriteLine("hello"); } }\n',
    ),
}
TARGET_MS = {
    L.PYTHON: 150,
    L.JAVASCRIPT: 150,
    L.PHP: 150,
    L.RUBY: 150,
    L.JAVA: 1500,
    L.CSHARP: 1500,
}


def timed(fn) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def bare_run(language: CodingLanguage, name: str, code: str) -> None:
    """The same program without any sandbox: plain subprocesses in a temp dir (the baseline)."""
    driver = get_driver(language)
    with tempfile.TemporaryDirectory() as root:
        src = Path(root) / "src"
        src.mkdir()
        for file, text in {**driver.support_files(), name: code}.items():
            (src / file).write_text(text)
        if driver.compiled:
            command = driver.compile_command()
            subprocess.run(
                ["/bin/sh", "-c", f"mkdir out && {command}"],
                cwd=root,
                check=True,
                capture_output=True,
                env={**SANDBOX_ENV, "HOME": root, "TMPDIR": root},
            )
            app = src / "app"
            (Path(root) / "out").rename(app)
            for file, text in driver.run_files().items():
                (src / file).write_text(text)
        env = {**SANDBOX_ENV, "HOME": root, "TMPDIR": root}
        subprocess.run(
            list(driver.run_argv(name)), cwd=root, check=True, capture_output=True, env=env
        )


def measure(
    sandbox: BwrapSandbox,
    problem: LoadedProblem,
    language: CodingLanguage,
    name: str,
    code: str,
    repeat: int,
) -> dict[str, float]:
    """Median latencies of one language: sandboxed, bare, and a graded bank problem."""
    solution = problem.solutions[language]
    run_program(sandbox, language, {name: code}, name)  # warm the page cache
    sandboxed: list[float] = []
    bare: list[float] = []
    graded: list[float] = []
    queued: list[float] = []  # waiting for a run slot (other runs on the host), in sandboxed

    def sandboxed_run() -> None:
        result = run_program(sandbox, language, {name: code}, name)
        runs = [r for r in (result.compile, result.run) if r is not None]
        queued.append(sum(r.queued_seconds for r in runs) * 1000)

    for _ in range(repeat):  # interleaved, so that both see the same machine load
        sandboxed.append(timed(sandboxed_run))
        bare.append(timed(lambda: bare_run(language, name, code)))
        graded.append(
            timed(
                lambda: grade_loaded(
                    problem, language, solution, visible_only=False, sandbox=sandbox
                )
            )
        )
    return {
        "trivial_ms": statistics.median(sandboxed),
        "bare_ms": statistics.median(bare),
        "overhead_ratio": statistics.median(sandboxed) / statistics.median(bare),
        "overhead_ms": statistics.median(s - b for s, b in zip(sandboxed, bare, strict=True)),
        "queued_ms": statistics.median(queued),
        "problem_ms": statistics.median(graded),
        "target_ms": TARGET_MS[language],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument(
        "--shared", type=Path, default=Path(os.environ.get("INTERVISTA_SHARED_DIR", "../shared"))
    )
    args = parser.parse_args()
    sandbox = BwrapSandbox()
    load_start = os.getloadavg()
    start_text = " ".join(f"{value:.2f}" for value in load_start)
    print(f"load average at start: {start_text} ({os.cpu_count()} cpus)")
    layout = sandbox.cgroup_layout
    print(
        f"sandbox: cgroup v{layout.version} per run, seccomp, {sandbox.init_kind} init, "
        f"{sandbox.slots.slots} run slots"
        if layout
        else "sandbox: WITHOUT cgroups"
    )
    figures: dict[str, dict[str, float]] = {}
    bank = default_bank()
    problem = bank["pair-with-sum"]
    for language, (name, code) in TRIVIAL.items():
        repeat = args.repeat if not get_driver(language).compiled else max(3, args.repeat // 2)
        row = measure(sandbox, problem, language, name, code, repeat)
        figures[language.value] = row
        within = row["trivial_ms"] <= row["target_ms"] and row["problem_ms"] <= row["target_ms"]
        print(
            f"{language.label:10} trivial {row['trivial_ms']:6.0f} ms"
            f"  bare {row['bare_ms']:6.0f} ms"
            f"  ratio {row['overhead_ratio']:4.2f}  overhead {row['overhead_ms']:4.0f} ms"
            f" (queued {row['queued_ms']:4.0f})"
            f"  graded problem {row['problem_ms']:7.0f} ms"
            f"  target {row['target_ms']:.0f} ms: {'ok' if within else 'OVER TARGET'}"
        )
    humaneval = args.shared / "datasets" / "code" / "humaneval" / "HumanEval.jsonl"
    humaneval_seconds = None
    if humaneval.is_file():
        rows = [json.loads(line) for line in humaneval.read_text().splitlines() if line]
        programs = [
            f"{r['prompt']}{r['canonical_solution']}\n{r['test']}\ncheck({r['entry_point']})\n"
            for r in rows
        ]
        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=2) as pool:
            verdicts = list(
                pool.map(
                    lambda p: (
                        run_program(sandbox, L.PYTHON, {"main.py": p}, "main.py").verdict.value
                    ),
                    programs,
                )
            )
        humaneval_seconds = time.perf_counter() - start
        accepted = verdicts.count("accepted")
        print(
            f"HumanEval: {len(rows)} problems, {accepted} accepted, "
            f"{humaneval_seconds:.1f} s with 2 workers (target 60 s)"
        )
    else:
        print(f"HumanEval skipped: {humaneval} not found (pass --shared)")
    load_end = os.getloadavg()
    print(f"load average at end: {load_end[0]:.2f} {load_end[1]:.2f} {load_end[2]:.2f}")
    summary = {
        "languages": figures,
        "humaneval_164_seconds_2_workers": humaneval_seconds,
        "load_start": load_start[0],
        "load_end": load_end[0],
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
