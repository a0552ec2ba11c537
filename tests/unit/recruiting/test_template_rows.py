"""The template editor's table loses nothing: questions → rows → (a pandas frame, as the editor
returns it) → questions is the identity, follow-ups and notes included."""

from __future__ import annotations

import pandas as pd
import pytest
from pydantic import ValidationError

from core.domain import Difficulty, QuestionType
from core.recruiting.template_admin import TemplateQuestion, TemplateSpec
from core.recruiting.template_rows import COLUMNS, questions_of, rows_of

QUESTIONS = [
    TemplateQuestion(
        question_text="How does a B-tree index speed up lookups?",
        expected_answer="Logarithmic search over sorted keys.",
        evaluation_criteria=["sorted keys", "fan-out"],
        follow_ups=["What about hash indexes?", "When is an index not used?"],
        notes="Assume PostgreSQL 16; the table has 10 million rows.",
    ),
    TemplateQuestion(
        question_text="Implement an LRU cache.",
        question_type=QuestionType.CODING,
        difficulty=Difficulty.HARD,
        expected_duration_minutes=20,
        coding_problem_ref="lru-cache",
    ),
    TemplateQuestion(question_text="Tell us about a failure.", question_type=QuestionType.HR),
]
SPEC = TemplateSpec(title="t", interview_type="technical", difficulty="medium", questions=QUESTIONS)


def test_rows_and_back_keep_every_field() -> None:
    assert questions_of(rows_of(SPEC)) == QUESTIONS


def test_through_a_pandas_frame_as_the_editor_returns_it() -> None:
    frame = pd.DataFrame(rows_of(SPEC), columns=COLUMNS)  # None → NaN on the way back
    assert questions_of(frame.to_dict("records")) == QUESTIONS


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("a; b;; c ;", ["a", "b", "c"]),
        ("", []),
        (float("nan"), []),
        (None, []),
    ],
)
def test_list_cells(cell: object, expected: list[str]) -> None:
    row = {"question_text": "Q?", "follow_ups": cell, "evaluation_criteria": cell}
    (question,) = questions_of([row])
    assert question.follow_ups == expected and question.evaluation_criteria == expected


def test_an_empty_row_is_dropped_and_a_bad_cell_names_its_field() -> None:
    assert questions_of([{"question_text": "  "}, {"question_text": float("nan")}]) == []
    with pytest.raises(ValidationError, match="difficulty"):
        questions_of([{"question_text": "Q?", "difficulty": "impossible"}])
