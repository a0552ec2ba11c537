"""Imports public question sets (JSON Lines with question / reference_answer / key_points)
into our bank format, into a separate file chosen by the operator (never into the packaged
bank). Records without an answer, or without key points or a usable answer to derive them
from, are skipped with the reason. Each imported question keeps its source and licence.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from core.domain import Difficulty, QuestionType
from core.interviewer.question_bank.loader import BankQuestion

_DIFFICULTY = {
    "junior": "easy", "easy": "easy", "intermediate": "medium", "medium": "medium",
    "senior": "hard", "expert": "hard", "hard": "hard",
}  # fmt: skip
_TYPE = {"technical": "technical", "technical-theory": "technical", "behavioral": "behavioral",
         "system-design": "system_design", "coding": "coding", "hr": "hr"}  # fmt: skip
_DURATION = {"easy": 4, "medium": 6, "hard": 8}
GENERIC_FOLLOW_UP = "Can you give an example from your own work?"


@dataclass
class BankImportReport:
    imported: int = 0
    skipped: list[str] = field(default_factory=list)  # "line N: reason"


def _list(value: object) -> list[str]:
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return []


def _key_points_from_answer(answer: str) -> list[str]:
    """First sentences of the answer as key points (markdown and code removed)."""
    text = re.sub(r"```.*?```", " ", answer, flags=re.DOTALL)
    text = re.sub(r"[#*_`>\[\]]", " ", text)
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if len(s.split()) >= 4]
    return [s[:200] for s in sentences[:4]]


def convert(record: dict[str, object], prefix: str) -> BankQuestion:
    """One public record as a bank question; raises ValueError with the reason if unusable."""
    answer = str(record.get("reference_answer") or "").strip()
    if not answer or answer == "None":
        raise ValueError("no reference answer")
    criteria = _list(record.get("key_points"))
    if len(criteria) < 2:
        criteria = list(dict.fromkeys([*criteria, *_key_points_from_answer(answer)]))
    if len(criteria) < 2:
        raise ValueError("fewer than two key points")
    difficulty = _DIFFICULTY.get(str(record.get("difficulty") or "medium").lower(), "medium")
    qtype = _TYPE.get(str(record.get("type") or "technical"), "technical")
    tags = _list(record.get("topic_tags")) or ["general"]
    raw_id = re.sub(r"[^a-z0-9]+", "-", str(record.get("id") or "").lower()).strip("-")
    repo, commit = record.get("source_repo", ""), record.get("source_commit", "")
    source = f"{repo}@{commit} ({record.get('license', '')})"
    return BankQuestion(
        id=f"{prefix}-{raw_id}"[:100],
        type=QuestionType(qtype),
        difficulty=Difficulty(difficulty),
        skills=tuple(t.lower() for t in tags),
        question=str(record.get("question") or ""),
        expected_answer=answer,
        criteria=tuple(criteria[:6]),
        follow_ups=(GENERIC_FOLLOW_UP,),
        notes="",
        duration_minutes=_DURATION[difficulty],
        source=source,
    )


def import_jsonl(source: Path, destination: Path, prefix: str = "imported") -> BankImportReport:
    """Convert ``source`` into a bank file at ``destination`` (overwritten)."""
    report = BankImportReport()
    lines_out: list[str] = []
    for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise ValueError("not a JSON object")
            question = convert(record, prefix)
        except (ValueError, ValidationError) as exc:
            report.skipped.append(f"line {number}: {str(exc).splitlines()[0]}")
            continue
        lines_out.append(question.model_dump_json())
        report.imported += 1
    destination.write_text("\n".join(lines_out) + ("\n" if lines_out else ""), encoding="utf-8")
    return report
