"""Load and validate the problem bank: ``bank/<id>/problem.json`` plus reference solutions
``solution.{py,js,java,php,rb,cs}`` (function problems) or ``solution.sql`` (SQL problems).
Every problem is reported with the file and the field that is wrong."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pydantic import ValidationError

from core.coding.problems.model import PROBLEM_ADAPTER, FunctionProblem, SqlProblem
from core.domain import CodingLanguage

logger = logging.getLogger(__name__)

BANK_DIR = Path(__file__).parent / "bank"
SOLUTION_FILES: dict[CodingLanguage, str] = {
    CodingLanguage.PYTHON: "solution.py",
    CodingLanguage.JAVASCRIPT: "solution.js",
    CodingLanguage.JAVA: "Solution.java",
    CodingLanguage.PHP: "solution.php",
    CodingLanguage.RUBY: "solution.rb",
    CodingLanguage.CSHARP: "Solution.cs",
    CodingLanguage.SQL: "solution.sql",
}
PROGRAMMING_LANGUAGES = tuple(lang for lang in SOLUTION_FILES if lang is not CodingLanguage.SQL)


class ProblemBankError(ValueError):
    """The bank has invalid files; ``problems`` lists "file: field: message" lines."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("invalid problem bank:\n  " + "\n  ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class LoadedProblem:
    spec: FunctionProblem | SqlProblem
    solutions: dict[CodingLanguage, str]
    directory: Path


def load_problem(directory: Path) -> tuple[LoadedProblem | None, list[str]]:
    """One problem folder: the problem, or None and the list of what is wrong."""
    path = directory / "problem.json"
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None, [f"{path}: missing"]
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return None, [f"{path}: not valid JSON: {exc}"]
    try:
        spec = PROBLEM_ADAPTER.validate_python(raw)
    except ValidationError as exc:
        errors = []
        for err in exc.errors():
            loc = [str(p) for p in err["loc"]]
            if loc and loc[0] in ("function", "sql") and len(loc) > 1:
                loc = loc[1:]  # the discriminator's tag, not a field
            errors.append(f"{path}: {'.'.join(loc) or '(top level)'}: {err['msg']}")
        return None, errors
    errors = []
    if spec.id != directory.name:
        errors.append(f"{path}: id: {spec.id!r} must equal the folder name {directory.name!r}")
    languages = (CodingLanguage.SQL,) if spec.kind == "sql" else PROGRAMMING_LANGUAGES
    solutions: dict[CodingLanguage, str] = {}
    for language in languages:
        file = directory / SOLUTION_FILES[language]
        if not file.is_file():
            errors.append(f"{file}: missing reference solution for {language.label}")
            continue
        solutions[language] = file.read_text(encoding="utf-8")
    if errors:
        return None, errors
    return LoadedProblem(spec=spec, solutions=solutions, directory=directory), []


def load_bank(bank_dir: Path = BANK_DIR) -> list[LoadedProblem]:
    """Every problem of the bank, sorted by id. Raises ProblemBankError listing every bad file."""
    problems: list[LoadedProblem] = []
    errors: list[str] = []
    if not bank_dir.is_dir():
        raise ProblemBankError([f"{bank_dir}: not a directory"])
    for directory in sorted(p for p in bank_dir.iterdir() if p.is_dir()):
        problem, problem_errors = load_problem(directory)
        errors.extend(problem_errors)
        if problem is not None:
            problems.append(problem)
    if errors:
        raise ProblemBankError(errors)
    return problems


@lru_cache(maxsize=1)
def default_bank() -> dict[str, LoadedProblem]:
    """The shipped bank by id, loaded once per process."""
    return {problem.spec.id: problem for problem in load_bank()}
