"""Templates on real databases: create, JSON round trip, bad files, duplicate, deactivate, use."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from core.config import Settings
from core.db.engine import Database
from core.db.models import Interview, InterviewQuestion, InterviewTemplate
from core.domain import Difficulty, InterviewType, QuestionType
from core.recruiting.catalog import get_template, list_templates
from core.recruiting.template_admin import (
    TemplateError,
    TemplateQuestion,
    TemplateSpec,
    create_template,
    duplicate_template,
    export_template_json,
    import_template_json,
    set_template_active,
    spec_from_view,
    update_template,
    use_template,
)
from core.recruiting.templates import InterviewOptions
from core.seed import seed_demo
from core.staff.audit import recent_audit
from tests.support.factories import make_candidate, make_job, make_template, make_user

SPEC = TemplateSpec(
    title="Backend screen",
    description="Databases and APIs",
    interview_type=InterviewType.TECHNICAL,
    difficulty=Difficulty.HARD,
    duration_minutes=45,
    questions=[
        TemplateQuestion(
            question_text="How does a B-tree index speed up lookups?",
            expected_answer="Logarithmic search over sorted keys.",
            evaluation_criteria=["sorted keys", "fan-out"],
            follow_ups=["What about hash indexes?"],
            notes="core",
        ),
        TemplateQuestion(
            question_text="Implement LRU cache.",
            question_type=QuestionType.CODING,
            difficulty=Difficulty.HARD,
            expected_duration_minutes=20,
            coding_problem_ref="lru-cache",
        ),
        TemplateQuestion(question_text="Tell us about a failure.", question_type=QuestionType.HR),
    ],
    is_premium=True,
    show_score_to_candidate=True,
    allow_skip=False,
    show_transcript_to_candidate=False,
    read_questions_aloud=True,
)


def _template_count(db: Database) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count(InterviewTemplate.id))) or 0)


def test_export_import_round_trip(any_db: Database) -> None:
    actor = make_user(any_db)
    created = create_template(any_db, SPEC, actor_id=actor.id)
    assert spec_from_view(created) == SPEC
    exported = export_template_json(any_db, created.id)
    payload = json.loads(exported)
    assert (payload["format"], payload["version"]) == ("intervista.template", 1)
    assert payload["template"]["questions"][1]["coding_problem_ref"] == "lru-cache"
    imported = import_template_json(any_db, exported.encode(), actor_id=actor.id)
    assert imported.id != created.id
    assert spec_from_view(imported) == SPEC
    assert export_template_json(any_db, imported.id) == exported
    assert [e.action for e in recent_audit(any_db, limit=2)] == [
        "template.import",
        "template.create",
    ]


def test_an_export_from_before_the_voice_options_imports_with_their_defaults(
    any_db: Database,
) -> None:
    payload = {"format": "intervista.template", "version": 1}
    older = SPEC.model_dump(mode="json")
    del older["show_transcript_to_candidate"], older["read_questions_aloud"]
    payload["template"] = older
    imported = import_template_json(any_db, json.dumps(payload).encode(), actor_id=None)
    assert (imported.show_transcript_to_candidate, imported.read_questions_aloud) == (True, False)


def test_bad_file_names_the_field_and_stores_nothing(any_db: Database) -> None:
    payload = json.loads(json.dumps({"format": "intervista.template", "version": 1}))
    payload["template"] = SPEC.model_dump(mode="json")
    payload["template"]["questions"][2]["difficulty"] = "impossible"
    with pytest.raises(TemplateError) as caught:
        import_template_json(any_db, json.dumps(payload).encode(), actor_id=None)
    assert "questions.2.difficulty: Input should be 'easy', 'medium' or 'hard'" in str(caught.value)
    with pytest.raises(TemplateError, match="not valid JSON"):
        import_template_json(any_db, b'{"format": "intervista.template",', actor_id=None)
    with pytest.raises(TemplateError, match=r"^The file is 1\.5 MB; the limit is 1\.0 MB\.$"):
        import_template_json(any_db, b" " * (1536 * 1024) + b"{}", actor_id=None)
    assert _template_count(any_db) == 0


def test_update_keeps_statistics(db: Database) -> None:
    created = create_template(db, SPEC, actor_id=None)
    with db.write() as s:
        row = s.get(InterviewTemplate, created.id)
        assert row is not None
        row.times_used, row.average_score = 4, 71.5
    changed = SPEC.model_copy(
        update={"title": "Backend screen v2", "questions": SPEC.questions[:1]}
    )
    view = update_template(db, created.id, changed, actor_id=None)
    assert (view.title, len(view.questions), view.times_used, view.average_score) == (
        "Backend screen v2",
        1,
        4,
        71.5,
    )
    with pytest.raises(TemplateError, match="no longer exists"):
        update_template(db, 9999, SPEC, actor_id=None)


def test_duplicate_and_deactivate(db: Database) -> None:
    tid = make_template(db, questions=2)
    with db.write() as s:
        row = s.get(InterviewTemplate, tid)
        assert row is not None
        row.times_used, row.average_score, row.scored_interviews = 7, 80.0, 5
        row.questions = [{**q, "bank_id": f"bank-{i}"} for i, q in enumerate(row.questions)]
    source = get_template(db, tid)
    assert source is not None
    copy = duplicate_template(db, tid, actor_id=None)
    assert copy.title == f"Copy of {source.title}"
    assert (copy.times_used, copy.average_score, copy.is_active) == (0, None, True)
    assert copy.questions == source.questions  # verbatim, extra keys included
    assert spec_from_view(copy).questions == spec_from_view(source).questions

    off = set_template_active(db, tid, False, actor_id=None)
    assert off.is_active is False
    assert [t.id for t in list_templates(db, active=True)] == [copy.id]
    assert set_template_active(db, tid, True, actor_id=None).is_active
    with pytest.raises(TemplateError, match="no longer exists"):
        duplicate_template(db, 9999, actor_id=None)


def test_use_template_copies_questions_in_order_and_counts(any_db: Database) -> None:
    template = create_template(any_db, SPEC, actor_id=None)
    cid, jid = make_candidate(any_db), make_job(any_db)
    actor = make_user(any_db)
    interview_id = use_template(
        any_db, template.id, cid, jid, InterviewOptions(title="Final", created_by_id=actor.id)
    )
    with any_db.read() as s:
        interview = s.get(Interview, interview_id)
        assert interview is not None
        assert (interview.title, interview.template_id, interview.total_questions) == (
            "Final",
            template.id,
            3,
        )
        rows = s.scalars(
            select(InterviewQuestion)
            .where(InterviewQuestion.interview_id == interview_id)
            .order_by(InterviewQuestion.order)
        ).all()
        assert [(q.order, q.question_text) for q in rows] == [
            (i, q.question_text) for i, q in enumerate(SPEC.questions, start=1)
        ]
        assert rows[1].coding_problem_ref == "lru-cache"
    use_template(any_db, template.id, cid, None, InterviewOptions())
    after = get_template(any_db, template.id)
    assert after is not None and after.times_used == 2
    entry = recent_audit(any_db, limit=2)[1]
    assert (entry.action, entry.entity_id, entry.actor) == (
        "template.use",
        interview_id,
        actor.email,
    )


def test_use_template_errors_keep_the_message(db: Database) -> None:
    template = create_template(db, SPEC, actor_id=None)
    cid = make_candidate(db)
    set_template_active(db, template.id, False, actor_id=None)
    with pytest.raises(TemplateError, match=r"^The template 'Backend screen' is deactivated\.$"):
        use_template(db, template.id, cid, None, InterviewOptions())
    set_template_active(db, template.id, True, actor_id=None)
    with pytest.raises(TemplateError, match="That candidate no longer exists"):
        use_template(db, template.id, cid + 99, None, InterviewOptions())
    with pytest.raises(TemplateError, match="That job no longer exists"):
        use_template(db, template.id, cid, 999, InterviewOptions())
    with pytest.raises(TemplateError, match="That template no longer exists"):
        use_template(db, 999, cid, None, InterviewOptions())
    with db.read() as s:
        assert s.scalar(select(func.count(Interview.id))) == 0
    view = get_template(db, template.id)
    assert view is not None and view.times_used == 0


def test_demo_templates_export_and_import_unchanged(db: Database, settings: Settings) -> None:
    seed_demo(db, settings, datetime(2026, 5, 4, 6, 0, tzinfo=UTC))
    seeded = list_templates(db)
    assert len(seeded) == 4
    for view in seeded:
        imported = import_template_json(
            db, export_template_json(db, view.id).encode(), actor_id=None
        )
        assert spec_from_view(imported) == spec_from_view(view)
