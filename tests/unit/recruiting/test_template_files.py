"""Template JSON files: the validator names the field at fault; good files parse to specs."""

from __future__ import annotations

import json
from typing import Any

import pytest

from core.domain import Difficulty, InterviewType, QuestionType
from core.recruiting.template_admin import (
    TemplateError,
    TemplateQuestion,
    TemplateSpec,
    parse_template_json,
)


def _spec_dict(**overrides: Any) -> dict[str, Any]:
    spec = {
        "title": "Backend screen",
        "interview_type": "technical",
        "difficulty": "medium",
        "questions": [
            {"question_text": "What is an index?"},
            {"question_text": "Explain MVCC.", "difficulty": "hard"},
            {"question_text": "Reverse a list.", "question_type": "coding"},
        ],
    }
    spec.update(overrides)
    return spec


def _file(template: Any, **envelope: Any) -> bytes:
    payload = {"format": "intervista.template", "version": 1, "template": template, **envelope}
    return json.dumps(payload).encode()


def test_good_file_parses_with_defaults() -> None:
    spec = parse_template_json(_file(_spec_dict()))
    assert spec.interview_type is InterviewType.TECHNICAL
    assert spec.duration_minutes == 30
    assert [q.difficulty for q in spec.questions] == [
        Difficulty.MEDIUM,
        Difficulty.HARD,
        Difficulty.MEDIUM,
    ]
    assert spec.questions[2].question_type is QuestionType.CODING
    assert spec.questions[0] == TemplateQuestion(question_text="What is an index?")


def _bad_question(index: int, **fields: Any) -> dict[str, Any]:
    spec = _spec_dict()
    spec["questions"][index].update(fields)
    return spec


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"\xff\xfe\x00garbage", "not UTF-8 text"),
        (b"{not json", "The file is not valid JSON: Expecting property name"),
        (b"[" * 100_000, "not valid JSON"),
        (b"[1, 2]", "This is not an Intervista template file"),
        (json.dumps({"title": "x"}).encode(), 'no "format": "intervista.template"'),
        (_file(_spec_dict(), version=2), "version 2; this Intervista reads version 1"),
        (_file("nope"), 'The file has no "template" object.'),
        (
            _file(_bad_question(2, difficulty="extreme")),
            "questions.2.difficulty: Input should be 'easy', 'medium' or 'hard'",
        ),
        (_file(_bad_question(0, question_text="   ")), "questions.0.question_text: String should"),
        (
            _file(_bad_question(1, expected_duration_minutes=500)),
            "questions.1.expected_duration_minutes: Input should be less than or equal to 120",
        ),
        (_file(_bad_question(0, colour="red")), "questions.0.colour: Extra inputs are not"),
        (_file(_spec_dict(questions=[])), "questions: List should have at least 1 item"),
        (_file(_spec_dict(duration_minutes=2)), "duration_minutes: Input should be greater than"),
        (_file(_spec_dict(interview_type="party")), "interview_type: Input should be"),
        (_file({"title": "No questions"}), "interview_type: Field required"),
    ],
)
def test_bad_files_name_the_problem(data: bytes, message: str) -> None:
    with pytest.raises(TemplateError) as caught:
        parse_template_json(data)
    assert message in str(caught.value)


def test_many_problems_are_summarised() -> None:
    questions = [{"question_text": "q", "difficulty": "nope"} for _ in range(15)]
    with pytest.raises(TemplateError) as caught:
        parse_template_json(_file(_spec_dict(questions=questions)))
    lines = str(caught.value).splitlines()
    assert lines[0] == "The template file is not valid:"
    assert lines[1].startswith("questions.0.difficulty: ")
    assert lines[-1] == "… and 5 more"


def test_size_cap() -> None:
    data = _file(_spec_dict(description="d" * 2000))
    with pytest.raises(TemplateError, match=r"^The file is 2\.\d KB; the limit is 1\.0 KB\.$"):
        parse_template_json(data, max_bytes=1024)


def test_spec_rejects_unknown_fields_in_python_too() -> None:
    with pytest.raises(ValueError, match="Extra inputs are not permitted"):
        TemplateSpec.model_validate({**_spec_dict(), "secret": 1})
