"""An interview built from a template follows its job's language, title included (issue 16 c)."""

from __future__ import annotations

import pytest

from core.db.engine import Database
from core.db.models import Interview, InterviewTemplate
from core.domain import CodingLanguage, Difficulty, InterviewType
from core.recruiting.template_admin import use_template
from core.recruiting.templates import InterviewOptions
from tests.support.factories import make_candidate, make_job


def _template(db: Database, title: str) -> int:
    with db.write() as s:
        template = InterviewTemplate(
            title=title,
            interview_type=InterviewType.TECHNICAL,
            difficulty=Difficulty.HARD,
            questions=[{"question_text": "Design a ledger.", "question_type": "technical"}],
        )
        s.add(template)
        s.flush()
        return template.id


def _interview(db: Database, interview_id: int) -> tuple[str, CodingLanguage]:
    with db.read() as s:
        interview = s.get(Interview, interview_id)
        assert interview is not None
        return interview.title, CodingLanguage(interview.coding_language)


@pytest.mark.parametrize(
    ("template_title", "language", "expected"),
    [
        ("Python Backend Engineer", CodingLanguage.JAVA, "Backend Engineer (Java) – Testco"),
        ("Java Developer", CodingLanguage.JAVASCRIPT, "Developer (JavaScript) – Testco"),
        ("JavaScript Frontend", CodingLanguage.JAVA, "Frontend (Java) – Testco"),
        ("Backend (Python / SQL)", CodingLanguage.CSHARP, "Backend (C#) – Testco"),
        ("System Design", CodingLanguage.PYTHON, "System Design (Python) – Testco"),
    ],
)
def test_the_jobs_language_replaces_the_templates(
    db: Database, template_title: str, language: CodingLanguage, expected: str
) -> None:
    job = make_job(db, language)
    interview_id = use_template(
        db, _template(db, template_title), make_candidate(db), job, InterviewOptions()
    )
    assert _interview(db, interview_id) == (expected, language)


def test_a_python_template_on_a_java_job_keeps_no_python(any_db: Database) -> None:
    db = any_db
    template = _template(db, "Python Backend Engineer")
    interview_id = use_template(
        db, template, make_candidate(db), make_job(db, CodingLanguage.JAVA), InterviewOptions()
    )
    title, language = _interview(db, interview_id)
    assert "python" not in title.lower() and "Java" in title and language is CodingLanguage.JAVA
    no_job = use_template(db, template, make_candidate(db), None, InterviewOptions())
    assert _interview(db, no_job)[0] == "Python Backend Engineer"  # nothing to follow
    given = use_template(
        db, template, make_candidate(db), None, InterviewOptions(title="Final round")
    )
    assert _interview(db, given)[0] == "Final round"
