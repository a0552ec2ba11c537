"""Importing the shared public question sets into a separate bank file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.interviewer.question_bank import load_bank
from core.interviewer.question_bank.importer import import_jsonl
from tests.support.shared import shared_path


@pytest.mark.shared
@pytest.mark.parametrize(
    ("name", "minimum"),
    [("frontend_js_30s_interviews.jsonl", 90), ("data_science_interviews.jsonl", 100)],
)
def test_imports_public_sets_into_a_loadable_bank(tmp_path: Path, name: str, minimum: int) -> None:
    source = shared_path("datasets", "questions", name)
    target = tmp_path / "imported.jsonl"
    report = import_jsonl(source, target, prefix="pub")
    assert report.imported >= minimum
    bank = load_bank([target])
    assert len(bank) == report.imported
    assert all(q.source and "@" in q.source for q in bank.questions)


def test_unusable_records_are_skipped_with_reasons(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    records = [
        {
            "id": "a",
            "type": "technical",
            "question": "What is a closure in JS?",
            "reference_answer": "A closure is a function with its scope.",
            "key_points": ["function", "scope"],
            "difficulty": "junior",
        },
        {"id": "b", "question": "Why do you want this job?", "reference_answer": None},
        "not json",
        {"id": "c", "question": "What is X?", "reference_answer": "Short.", "key_points": []},
    ]
    source.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in records))
    report = import_jsonl(source, tmp_path / "out.jsonl")
    assert report.imported == 1
    assert [s.split(":")[0] for s in report.skipped] == ["line 2", "line 3", "line 4"]
    assert load_bank([tmp_path / "out.jsonl"]).questions[0].difficulty == "easy"
