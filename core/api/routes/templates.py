"""``/api/v1/templates/``: the seeds' template endpoints (list, detail, ``use_template``).

Any staff member may browse the active templates (to practise) and so may API keys with the
``recruiting`` scope; ``use_template`` makes a practice interview for the signed-in caller, or
with ``candidate_id`` an interview for that candidate (``MANAGE_TEMPLATES``), left scheduled to
be booked or invited.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel

from core.api.deps import AppDep, CallerDep, PageDep, page_links
from core.api.routes.interviews import known
from core.api.schemas_interviews import InterviewDetailOut
from core.api.schemas_templates import TemplateOut, TemplatePage, UseTemplateIn
from core.domain import Difficulty, InterviewType
from core.interview import api_views
from core.recruiting import template_use
from core.recruiting.interviews import InterviewDetail
from core.staff.permissions import Principal

TemplateId = Annotated[int, Path(ge=1, le=2**31 - 1, description="the template's id")]
router = APIRouter(prefix="/v1/templates", tags=["templates"])


class UseTemplateOut(BaseModel):
    message: str
    interview: InterviewDetailOut


@router.get("/", response_model=TemplatePage, summary="Active templates (filters, pages)")
def list_templates(
    request: Request,
    caller: CallerDep,
    app: AppDep,
    page: PageDep,
    interview_type: Annotated[InterviewType | None, Query(alias="type")] = None,
    difficulty: Annotated[Difficulty | None, Query()] = None,
) -> TemplatePage:
    count, found = template_use.browse_templates(
        app.db,
        known(caller),
        types=(interview_type,) if interview_type else (),
        difficulties=(difficulty,) if difficulty else (),
        offset=page.offset,
        limit=page.page_size,
    )
    following, preceding = page_links(request, page, count)
    return TemplatePage(
        count=count,
        next=following,
        previous=preceding,
        results=[TemplateOut.of(t) for t in found],
    )


@router.get("/{template_id:int}/", response_model=TemplateOut, summary="One template")
def get_template(template_id: TemplateId, caller: CallerDep, app: AppDep) -> TemplateOut:
    return TemplateOut.of(template_use.template_detail(app.db, known(caller), template_id))


@router.post(
    "/{template_id:int}/use_template/",
    response_model=UseTemplateOut,
    status_code=201,
    summary="An interview from the template: practice for you, or for a candidate",
)
def use_template(
    template_id: TemplateId, body: UseTemplateIn, caller: CallerDep, app: AppDep
) -> UseTemplateOut:
    principal: Principal | None
    if body.candidate_id is None:
        principal, person = caller.staff(), caller.user
    else:
        principal, person = known(caller), None
    new_id = template_use.use_template(app.db, principal, template_id, body.use(), person=person)
    detail = api_views.interview_detail(app.db, principal, new_id)
    assert isinstance(detail, InterviewDetail)  # staff, keys and owners see it all
    return UseTemplateOut(
        message="Interview created from template", interview=InterviewDetailOut.of_detail(detail)
    )
