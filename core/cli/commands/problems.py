"""``python -m core problems check|list``: validate the problem bank and prove its reference
solutions pass their own tests in every language."""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from core.cli import Command
from core.coding.problems.grading import grade_loaded
from core.coding.problems.loader import BANK_DIR, LoadedProblem, ProblemBankError, load_bank
from core.coding.sandbox import Sandbox, SandboxUnavailable, build_sandbox
from core.config import get_settings
from core.domain import CodingLanguage


def _configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    check = sub.add_parser("check", help="validate the bank and run every reference solution")
    check.add_argument("--bank", type=Path, default=BANK_DIR, help="bank folder (default: shipped)")
    check.add_argument("--problem", action="append", default=[], help="only this id (repeatable)")
    check.add_argument(
        "--language",
        action="append",
        default=[],
        type=lambda v: CodingLanguage(v.upper()),
        help="only this language (repeatable), e.g. PYTHON",
    )
    check.add_argument("--workers", type=int, default=2, choices=range(1, 9), metavar="1-8")
    check.add_argument("--validate-only", action="store_true", help="do not run solutions")
    listing = sub.add_parser("list", help="list the problems of the bank")
    listing.add_argument("--bank", type=Path, default=BANK_DIR)


def _run(args: argparse.Namespace) -> int:
    try:
        bank = load_bank(args.bank)
    except ProblemBankError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.action == "list":
        for problem in bank:
            spec = problem.spec
            print(f"{spec.id:34} {spec.kind:9} {spec.difficulty.value:7} {spec.title}")
        return 0
    selected = [p for p in bank if not args.problem or p.spec.id in args.problem]
    unknown = set(args.problem) - {p.spec.id for p in bank}
    if unknown:
        print(f"error: no such problem: {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    print(f"{len(bank)} problems valid in {args.bank}")
    if args.validate_only:
        return 0
    try:
        sandbox = build_sandbox(get_settings())
    except SandboxUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    jobs = [
        (problem, language)
        for problem in selected
        for language in problem.solutions
        if not args.language or language in args.language
    ]
    failures = 0
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=args.workers) as pool:
        for line, ok in pool.map(lambda job: _check_one(sandbox, *job), jobs):
            print(line, flush=True)
            failures += 0 if ok else 1
    elapsed = time.monotonic() - started
    print(f"{len(jobs) - failures}/{len(jobs)} reference solutions accepted in {elapsed:.1f} s")
    return 1 if failures else 0


def _check_one(
    sandbox: Sandbox, problem: LoadedProblem, language: CodingLanguage
) -> tuple[str, bool]:
    """Runs on a pool thread."""
    result = grade_loaded(
        problem, language, problem.solutions[language], visible_only=False, sandbox=sandbox
    )
    ok = result.verdict.value == "accepted"
    status = "ok  " if ok else "FAIL"
    line = (
        f"{status} {problem.spec.id:34} {language.label:10} {result.verdict.value:14} "
        f"{result.passed}/{result.total}"
    )
    if not ok:
        first = next((t for t in result.tests if t.status != "passed"), None)
        detail = result.compile_output[:400] or (
            f"test {first.index}: {first.status}" if first else ""
        )
        line += f"\n     {detail}"
    return line, ok


COMMANDS = [
    Command(
        name="problems",
        help="validate the coding problem bank and run its reference solutions",
        configure=_configure,
        run=_run,
        needs_database=False,
    )
]
