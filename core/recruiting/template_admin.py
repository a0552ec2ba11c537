"""Managing interview templates: validated specs, create/update/duplicate, JSON export/import,
and "use template" (build an interview). One short transaction per call, on the caller's thread.

Every function that changes data takes an optional ``principal``: when given (pages, the HTTP
API) it must be allowed ``MANAGE_TEMPLATES``, checked before anything is written; the command
line, the seed and fixtures act as the operator and pass none. That includes ``use_template``,
which creates an interview for a candidate: its one way in from the pages is "Use template" on
the Templates page, gated by ``MANAGE_TEMPLATES``, so the use case asks the same action.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db.models import InterviewTemplate
from core.db.uow import Tx, reading, writing
from core.domain import Difficulty, InterviewType, QuestionType
from core.errors import IntervistaError
from core.recruiting.catalog import TemplateView, template_view
from core.recruiting.documents import size_error
from core.recruiting.templates import (
    InterviewOptions,
    TemplateUseError,
    create_interview_from_template,
)
from core.staff.audit import record_audit
from core.staff.permissions import Action, Principal, require_given

EXPORT_FORMAT = "intervista.template"
EXPORT_VERSION = 1
MAX_IMPORT_BYTES = 1024 * 1024
MAX_REPORTED_PROBLEMS = 10

ShortText = Annotated[str, StringConstraints(max_length=2000)]


class TemplateError(IntervistaError, ValueError):
    """A user-facing problem with a template; the message is safe to show."""

    code = "template_invalid"


class TemplateQuestion(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    question_text: str = Field(min_length=1, max_length=5000)
    question_type: QuestionType = QuestionType.TECHNICAL
    difficulty: Difficulty = Difficulty.MEDIUM
    expected_duration_minutes: int = Field(5, ge=1, le=120)
    expected_answer: str = Field("", max_length=20_000)
    evaluation_criteria: list[ShortText] = Field(default_factory=list, max_length=50)
    follow_ups: list[ShortText] = Field(default_factory=list, max_length=50)
    notes: str = Field("", max_length=5000)
    coding_problem_ref: str | None = Field(None, max_length=100)  # column size


class TemplateSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=20_000)
    interview_type: InterviewType
    difficulty: Difficulty
    duration_minutes: int = Field(30, ge=5, le=480)
    questions: list[TemplateQuestion] = Field(min_length=1, max_length=50)
    is_premium: bool = False
    show_score_to_candidate: bool = False
    allow_skip: bool = True
    show_transcript_to_candidate: bool = True
    read_questions_aloud: bool = False
    max_follow_ups: int = Field(1, ge=0, le=3)
    # Greenhouse may send it (list_tests/send_test). Never carried by a template file: an
    # imported template is offered only when someone ticks it.
    greenhouse_test: bool = False


#: The spec's fields kept as they are on the row (the questions become plain dicts).
_FLAT_FIELDS = tuple(name for name in TemplateSpec.model_fields if name != "questions")


def describe_validation_error(exc: ValidationError) -> str:
    """One line per problem, each naming the field: ``questions.2.difficulty: Input should…``."""
    problems = [
        f"{'.'.join(str(p) for p in err['loc']) or 'template'}: {err['msg']}"
        for err in exc.errors()
    ]
    extra = len(problems) - MAX_REPORTED_PROBLEMS
    shown = problems[:MAX_REPORTED_PROBLEMS] + ([f"… and {extra} more"] if extra > 0 else [])
    return "\n".join(shown)


def spec_from_view(view: TemplateView) -> TemplateSpec:
    """The editable spec of a stored template (keys unknown to TemplateQuestion are dropped)."""
    known = set(TemplateQuestion.model_fields)
    try:
        return TemplateSpec(
            **{name: getattr(view, name) for name in _FLAT_FIELDS},
            questions=[
                TemplateQuestion.model_validate({k: v for k, v in q.items() if k in known})
                for q in view.questions
            ],
        )
    except ValidationError as exc:
        raise TemplateError(
            f"The stored template {view.title!r} is not valid:\n{describe_validation_error(exc)}"
        ) from exc


def _question_dicts(spec: TemplateSpec) -> list[dict[str, Any]]:
    return [q.model_dump(mode="json") for q in spec.questions]


def _apply(template: InterviewTemplate, spec: TemplateSpec) -> None:
    for name in _FLAT_FIELDS:
        setattr(template, name, getattr(spec, name))
    template.questions = _question_dicts(spec)


def _locked(session: Session, template_id: int) -> InterviewTemplate:
    stmt = select(InterviewTemplate).where(InterviewTemplate.id == template_id).with_for_update()
    template = session.scalars(stmt).first()
    if template is None:
        raise TemplateError("That template no longer exists.")
    return template


def _insert(
    session: Session,
    template: InterviewTemplate,
    actor_id: int | None,
    action: str,
    details: dict[str, Any] | None = None,
) -> TemplateView:
    template.created_by_id = actor_id
    session.add(template)
    session.flush()
    details = {"title": template.title, **(details or {})}
    record_audit(session, actor_id, action, "template", template.id, details)
    return template_view(template)


def create_template(
    db: Tx, spec: TemplateSpec, *, actor_id: int | None, principal: Principal | None = None
) -> TemplateView:
    require_given(principal, Action.MANAGE_TEMPLATES)
    template = InterviewTemplate(times_used=0, scored_interviews=0, is_active=True)
    _apply(template, spec)
    with writing(db) as session:
        return _insert(session, template, actor_id, "template.create")


def update_template(
    db: Tx,
    template_id: int,
    spec: TemplateSpec,
    *,
    actor_id: int | None,
    principal: Principal | None = None,
) -> TemplateView:
    """Replace the content; usage statistics and the active flag are kept."""
    require_given(principal, Action.MANAGE_TEMPLATES)
    with writing(db) as session:
        template = _locked(session, template_id)
        _apply(template, spec)
        session.flush()
        record_audit(session, actor_id, "template.update", "template", template.id)
        return template_view(template)


def set_template_active(
    db: Tx,
    template_id: int,
    active: bool,
    *,
    actor_id: int | None,
    principal: Principal | None = None,
) -> TemplateView:
    require_given(principal, Action.MANAGE_TEMPLATES)
    with writing(db) as session:
        template = _locked(session, template_id)
        template.is_active = active
        action = "template.activate" if active else "template.deactivate"
        record_audit(session, actor_id, action, "template", template.id)
        return template_view(template)


def duplicate_template(
    db: Tx, template_id: int, *, actor_id: int | None, principal: Principal | None = None
) -> TemplateView:
    """An active copy titled "Copy of …", with the questions copied verbatim and no usage
    (not offered to Greenhouse until someone ticks it)."""
    require_given(principal, Action.MANAGE_TEMPLATES)
    with writing(db) as session:
        source = session.get(InterviewTemplate, template_id)
        if source is None:
            raise TemplateError("That template no longer exists.")
        copy = InterviewTemplate(
            title=f"Copy of {source.title}"[:200],
            description=source.description,
            interview_type=source.interview_type,
            difficulty=source.difficulty,
            duration_minutes=source.duration_minutes,
            questions=json.loads(json.dumps(source.questions)),  # deep copy
            times_used=0,
            average_score=None,
            scored_interviews=0,
            is_active=True,
            is_premium=source.is_premium,
            show_score_to_candidate=source.show_score_to_candidate,
            allow_skip=source.allow_skip,
            show_transcript_to_candidate=source.show_transcript_to_candidate,
            read_questions_aloud=source.read_questions_aloud,
            max_follow_ups=source.max_follow_ups,
        )
        return _insert(session, copy, actor_id, "template.duplicate", {"source_id": template_id})


def export_template_json(db: Tx, template_id: int) -> str:
    with reading(db) as session:
        template = session.get(InterviewTemplate, template_id)
        if template is None:
            raise TemplateError("That template no longer exists.")
        view = template_view(template)
    payload = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "template": spec_from_view(view).model_dump(mode="json", exclude={"greenhouse_test"}),
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def parse_template_json(data: bytes, *, max_bytes: int = MAX_IMPORT_BYTES) -> TemplateSpec:
    """Validate an exported template file (pure); raise TemplateError naming what is wrong."""
    if not data.strip():
        raise TemplateError("The file is empty.")
    if len(data) > max_bytes:
        raise TemplateError(size_error(len(data), max_bytes))
    try:
        payload = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise TemplateError("The file is not UTF-8 text, so it is not a template file.") from exc
    except json.JSONDecodeError as exc:
        raise TemplateError(
            f"The file is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})."
        ) from exc
    except RecursionError as exc:
        raise TemplateError("The file is not valid JSON: it is nested too deeply.") from exc
    if not isinstance(payload, dict) or payload.get("format") != EXPORT_FORMAT:
        raise TemplateError(
            f'This is not an Intervista template file (no "format": "{EXPORT_FORMAT}").'
        )
    if payload.get("version") != EXPORT_VERSION:
        raise TemplateError(
            f"The file is template format version {payload.get('version')!r}; "
            f"this Intervista reads version {EXPORT_VERSION}."
        )
    if not isinstance(payload.get("template"), dict):
        raise TemplateError('The file has no "template" object.')
    try:
        return TemplateSpec.model_validate(payload["template"])
    except ValidationError as exc:
        raise TemplateError(
            f"The template file is not valid:\n{describe_validation_error(exc)}"
        ) from exc


def import_template_json(
    db: Tx, data: bytes, *, actor_id: int | None, principal: Principal | None = None
) -> TemplateView:
    require_given(principal, Action.MANAGE_TEMPLATES)
    spec = parse_template_json(data).model_copy(update={"greenhouse_test": False})
    template = InterviewTemplate(times_used=0, scored_interviews=0, is_active=True)
    _apply(template, spec)
    with writing(db) as session:
        return _insert(session, template, actor_id, "template.import")


def use_template(
    db: Tx,
    template_id: int,
    candidate_id: int,
    job_id: int | None,
    options: InterviewOptions,
    *,
    principal: Principal | None = None,
) -> int:
    """Create an interview from the template (questions copied in order); return its id.

    With a job, the interview's coding language is the job's and its title comes from
    ``templates.interview_title`` (a language named in the template's title is replaced by
    the job's: a "Python Backend Engineer" template on a Java job gives "Backend Engineer
    (Java) – <company>"), unless ``options.title`` is given.

    ``principal``, when given, must be allowed ``MANAGE_TEMPLATES``: the action of the page
    that offers "Use template" (see the module)."""
    require_given(principal, Action.MANAGE_TEMPLATES)
    with writing(db) as session:
        # Lock the template so concurrent uses each count (times_used += 1 is read-modify-write).
        session.scalars(
            select(InterviewTemplate).where(InterviewTemplate.id == template_id).with_for_update()
        ).first()
        try:
            interview = create_interview_from_template(
                session,
                template_id=template_id,
                candidate_id=candidate_id,
                job_id=job_id,
                options=options,
            )
        except TemplateUseError as exc:
            raise TemplateError(str(exc)) from exc
        session.flush()
        details = {"template_id": template_id, "candidate_id": candidate_id, "job_id": job_id}
        record_audit(
            session, options.created_by_id, "template.use", "interview", interview.id, details
        )
        return interview.id
