"""A template's questions as the rows of the editor's table, and back, losing nothing the
table shows: lists (criteria, follow-ups) are one cell each, items separated by semicolons."""

from __future__ import annotations

from typing import Any

from core.recruiting.template_admin import TemplateQuestion, TemplateSpec

COLUMNS = [
    "question_text",
    "question_type",
    "difficulty",
    "expected_duration_minutes",
    "expected_answer",
    "evaluation_criteria",
    "follow_ups",
    "notes",
    "coding_problem_ref",
]
LIST_COLUMNS = ("evaluation_criteria", "follow_ups")
SEPARATOR = "; "


def rows_of(spec: TemplateSpec | None) -> list[dict[str, Any]]:
    """One row per question, every column present."""
    rows = []
    for q in spec.questions if spec else []:
        row = q.model_dump(include=set(COLUMNS), mode="json")
        for column in LIST_COLUMNS:
            row[column] = SEPARATOR.join(row[column])
        rows.append(row)
    return rows


def _text(value: object) -> str:
    return "" if value is None or value != value else str(value)  # NaN from pandas: empty


def questions_of(rows: list[dict[str, Any]]) -> list[TemplateQuestion]:
    """The questions of the table's rows (a row without text is dropped); raises pydantic's
    ValidationError naming the field of a bad cell."""
    questions = []
    for row in rows:
        if not _text(row.get("question_text")).strip():
            continue
        lists = {
            column: [item.strip() for item in _text(row.get(column)).split(";") if item.strip()]
            for column in LIST_COLUMNS
        }
        minutes = _text(row.get("expected_duration_minutes")).strip()
        questions.append(
            TemplateQuestion(
                question_text=_text(row.get("question_text")),
                question_type=_text(row.get("question_type")) or "technical",
                difficulty=_text(row.get("difficulty")) or "medium",
                expected_duration_minutes=int(float(minutes)) if minutes else 5,
                expected_answer=_text(row.get("expected_answer")),
                notes=_text(row.get("notes")),
                coding_problem_ref=_text(row.get("coding_problem_ref")).strip() or None,
                **lists,
            )
        )
    return questions
