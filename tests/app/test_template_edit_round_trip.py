"""Editing a template in the UI and saving it keeps every question's follow-ups and notes (they
were silently dropped before: issue 19)."""

from __future__ import annotations

from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from core.db.engine import Database
from core.db.models import InterviewTemplate
from core.domain import Role
from core.recruiting.template_admin import TemplateQuestion, TemplateSpec, create_template
from tests.support.apptest import REPO, sign_in_as
from tests.support.factories import make_user


def _stored(db: Database, title: str) -> list[dict[str, object]]:
    with db.read() as s:
        t = s.scalars(select(InterviewTemplate).where(InterviewTemplate.title == title)).one()
        return [dict(q) for q in t.questions]


SPEC = TemplateSpec(
    title="AAA Follow-up screen",  # first in the list
    interview_type="technical",
    difficulty="medium",
    questions=[
        TemplateQuestion(
            question_text="How would you speed up a slow query?",
            expected_answer="Look at the plan, add an index, rewrite.",
            evaluation_criteria=["reads the plan", "adds an index"],
            follow_ups=["What does EXPLAIN ANALYZE add?", "When would an index not help?"],
            notes="Assume PostgreSQL 16 and a table of 10 million rows.",
        ),
        TemplateQuestion(question_text="Tell us about a failure.", question_type="hr"),
    ],
)


def test_saving_an_edited_template_keeps_follow_ups_and_notes(app_env: Database) -> None:
    user = make_user(app_env, Role.RECRUITER)
    create_template(app_env, SPEC, actor_id=user.id)
    at = AppTest.from_file(str(REPO / "pages/templates.py"), default_timeout=30)
    sign_in_as(at, user.id)
    at.run()
    shown = next(b for b in at.selectbox if b.label == "Template").options[0]
    assert "AAA Follow-up" in shown  # the list is by title: this one is chosen by default
    title = SPEC.title
    before = _stored(app_env, title)
    assert any(q.get("follow_ups") for q in before) and any(q.get("notes") for q in before)
    (save,) = [b for b in at.button if b.proto.form_id.startswith("edit_template_")]
    save.click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    after = _stored(app_env, title)
    keys = ("question_text", "expected_answer", "evaluation_criteria", "follow_ups", "notes")
    assert [{k: q.get(k) for k in keys} for q in after] == [
        {k: q.get(k) for k in keys} for q in before
    ]
