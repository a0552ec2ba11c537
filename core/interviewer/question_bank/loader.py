"""Loads and validates the question bank (JSON Lines files, one question per line).

A bad file never loads half-way: ``QuestionBankError`` names the file, the line and the field.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from functools import cached_property
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from core.domain import Difficulty, QuestionType
from core.interviewer.ai.types import QuestionSpec

BANK_DIR = Path(__file__).resolve().parent / "bank"


class QuestionBankError(ValueError):
    """A bank file is malformed; the message names the file, line and field."""


class BankQuestion(BaseModel):
    """One question of our bank. ``notes`` may be shown to the candidate; answers never."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=3, max_length=100, pattern=r"^[a-z0-9][a-z0-9-]*$")
    type: QuestionType
    difficulty: Difficulty
    skills: tuple[str, ...] = Field(min_length=1)
    question: str = Field(min_length=10)
    expected_answer: str = Field(min_length=20)
    criteria: tuple[str, ...] = Field(min_length=2)
    follow_ups: tuple[str, ...] = Field(min_length=1)
    notes: str = ""
    duration_minutes: int = Field(ge=1, le=120)
    source: str = ""  # attribution for imported questions (repository, commit, licence)

    @field_validator("skills", "criteria", "follow_ups")
    @classmethod
    def _no_blank_items(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if any(not item.strip() for item in value):
            raise ValueError("must not contain blank items")
        return tuple(item.strip() for item in value)

    @field_validator("skills")
    @classmethod
    def _lower_skills(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(s.lower() for s in value)

    def spec(self) -> QuestionSpec:
        return QuestionSpec(
            text=self.question,
            expected_answer=self.expected_answer,
            criteria=self.criteria,
            question_type=self.type,
            difficulty=self.difficulty,
            follow_ups=self.follow_ups,
            notes=self.notes,
        )


class QuestionBank:
    """An immutable, validated collection of bank questions, by id."""

    def __init__(self, questions: Iterable[BankQuestion]) -> None:
        self.questions: tuple[BankQuestion, ...] = tuple(questions)
        self.by_id = {q.id: q for q in self.questions}

    def __len__(self) -> int:
        return len(self.questions)

    @cached_property
    def ids(self) -> frozenset[str]:
        return frozenset(self.by_id)


def _describe(error: ValidationError) -> str:
    parts = []
    for err in error.errors():
        field = ".".join(str(p) for p in err["loc"]) or "record"
        parts.append(f"field '{field}': {err['msg']}")
    return "; ".join(parts)


def parse_bank_file(path: Path) -> list[BankQuestion]:
    """Parse one .jsonl file; raise QuestionBankError naming file, line and field on any problem."""
    questions: list[BankQuestion] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise QuestionBankError(f"{path}: cannot read: {exc}") from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise QuestionBankError(f"{path}:{number}: not valid JSON: {exc.msg}") from exc
        if not isinstance(raw, dict):
            raise QuestionBankError(f"{path}:{number}: a question must be a JSON object")
        try:
            questions.append(BankQuestion.model_validate(raw))
        except ValidationError as exc:
            qid = raw.get("id", "?")
            raise QuestionBankError(f"{path}:{number} (id {qid}): {_describe(exc)}") from exc
    return questions


def load_bank(paths: Iterable[Path] | None = None) -> QuestionBank:
    """Load and validate bank files (default: every .jsonl in the packaged bank folder)."""
    files = sorted(paths) if paths is not None else sorted(BANK_DIR.glob("*.jsonl"))
    if not files:
        raise QuestionBankError(f"no question bank files found in {BANK_DIR}")
    seen: dict[str, Path] = {}
    questions: list[BankQuestion] = []
    for path in files:
        for question in parse_bank_file(path):
            if question.id in seen:
                other = seen[question.id]
                raise QuestionBankError(
                    f"{path}: field 'id': duplicate {question.id!r} (also in {other})"
                )
            seen[question.id] = path
            questions.append(question)
    return QuestionBank(questions)


_default: QuestionBank | None = None
_default_lock = threading.Lock()


def default_bank() -> QuestionBank:
    """The packaged bank, loaded once per process (thread-safe)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = load_bank()
        return _default
