"""Our question bank: content coverage, validation errors, seeded non-repeating selection."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from core.domain import Difficulty, QuestionType
from core.interviewer.question_bank import (
    NotEnoughQuestions,
    QuestionBankError,
    SelectionRequest,
    default_bank,
    load_bank,
    select_questions,
)
from core.interviewer.question_bank.selection import wanted_skills

TYPES = ("technical", "behavioral", "system_design", "coding", "hr")


def test_bank_has_enough_original_questions_of_every_type_and_difficulty() -> None:
    bank = default_bank()
    assert len(bank) >= 150
    per_type = Counter(str(q.type) for q in bank.questions)
    assert set(per_type) == set(TYPES)
    cells = Counter((str(q.type), str(q.difficulty)) for q in bank.questions)
    for qtype in TYPES:
        for difficulty in ("easy", "medium", "hard"):
            assert cells[(qtype, difficulty)] >= 3, (qtype, difficulty)
    assert len({q.question for q in bank.questions}) == len(bank)


@pytest.mark.parametrize("skill", ["python", "javascript", "java", "php", "ruby", "csharp", "sql"])
def test_every_job_language_has_technical_and_coding_questions(skill: str) -> None:
    bank = default_bank()
    for qtype in ("technical", "coding"):
        assert sum(1 for q in bank.questions if q.type == qtype and skill in q.skills) >= 3


def test_every_question_is_complete() -> None:
    for q in default_bank().questions:
        assert q.expected_answer and len(q.criteria) >= 2 and q.follow_ups, q.id


def _write(tmp_path: Path, records: list[object], name: str = "bank.jsonl") -> Path:
    path = tmp_path / name
    lines = [r if isinstance(r, str) else json.dumps(r) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


GOOD = {
    "id": "t-1",
    "type": "technical",
    "difficulty": "easy",
    "skills": ["python"],
    "question": "What is a list?",
    "expected_answer": "A mutable ordered sequence of items.",
    "criteria": ["mutable", "ordered"],
    "follow_ups": ["And a tuple?"],
    "notes": "",
    "duration_minutes": 3,
}


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ("{not json", "bank.jsonl:2: not valid JSON"),
        ("[1, 2]", "bank.jsonl:2: a question must be a JSON object"),
        ({**GOOD, "id": "t-2", "difficulty": "extreme"}, "field 'difficulty'"),
        ({**GOOD, "id": "t-2", "criteria": ["only one"]}, "field 'criteria'"),
        ({**GOOD, "id": "t-2", "follow_ups": []}, "field 'follow_ups'"),
        ({**GOOD, "id": "t-2", "colour": "red"}, "field 'colour'"),
        (
            {k: v for k, v in GOOD.items() if k != "expected_answer"} | {"id": "t-2"},
            "field 'expected_answer'",
        ),
        (GOOD, "field 'id': duplicate 't-1'"),
    ],
)
def test_loader_names_file_line_and_field(tmp_path: Path, record: object, message: str) -> None:
    path = _write(tmp_path, [GOOD, record])
    with pytest.raises(QuestionBankError) as info:
        load_bank([path])
    assert message in str(info.value)
    assert str(path) in str(info.value)


def test_loader_accepts_a_valid_file(tmp_path: Path) -> None:
    bank = load_bank([_write(tmp_path, [GOOD])])
    assert bank.by_id["t-1"].spec().criteria == ("mutable", "ordered")


@pytest.mark.parametrize(
    ("skills", "text", "expected"),
    [
        (("Django",), "", {"python", "django"}),
        (("C#",), "ASP.NET Core APIs", {"csharp", ".net", "asp.net", "api"}),
        ((), "Rails developer", {"ruby", "rails"}),
        (("PostgreSQL",), "", {"sql", "postgres"}),
        (("Java",), "", {"java"}),
        (("JavaScript",), "", {"javascript"}),
    ],
)
def test_wanted_skills(skills: tuple[str, ...], text: str, expected: set[str]) -> None:
    assert expected <= wanted_skills(skills, text)
    if skills == ("Java",):
        assert "javascript" not in wanted_skills(skills, text)


def _request(**overrides: object) -> SelectionRequest:
    values: dict[str, object] = {
        "job_role": "Backend developer",
        "job_description": "REST services",
        "required_skills": ("PHP", "MySQL"),
        "question_type": QuestionType.TECHNICAL,
        "difficulty": Difficulty.MEDIUM,
        "count": 5,
        "seed_key": "candidate:1",
    }
    values.update(overrides)
    return SelectionRequest(**values)  # type: ignore[arg-type]


def test_selection_matches_skills_and_is_deterministic() -> None:
    bank = default_bank()
    first = [q.id for q in select_questions(bank, _request())]
    assert first == [q.id for q in select_questions(bank, _request())]
    assert len(first) == len(set(first)) == 5
    assert all({"php", "sql", "mysql", "api"} & set(bank.by_id[i].skills) for i in first)
    other_seed = [q.id for q in select_questions(bank, _request(seed_key="candidate:2"))]
    assert sorted(other_seed) != sorted(first) or other_seed != first


def test_selection_never_repeats_excluded_questions() -> None:
    bank = default_bank()
    asked: set[str] = set()
    for _ in range(3):
        chosen = select_questions(bank, _request(count=4), exclude_ids=asked)
        ids = {q.id for q in chosen}
        assert not ids & asked
        asked |= ids


@pytest.mark.parametrize("qtype", list(QuestionType))
def test_every_interview_type_gets_questions(qtype: QuestionType) -> None:
    chosen = select_questions(default_bank(), _request(question_type=qtype, count=3))
    assert len(chosen) == 3


def test_not_enough_questions_is_a_clear_error() -> None:
    with pytest.raises(NotEnoughQuestions, match="were asked for"):
        select_questions(default_bank(), _request(question_type=QuestionType.HR, count=500))
    with pytest.raises(ValueError, match="at least 1"):
        select_questions(default_bank(), _request(count=0))
