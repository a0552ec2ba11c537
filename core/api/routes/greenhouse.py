"""``/api/greenhouse/``: Greenhouse's Assessment Partner API (``list_tests``, ``send_test``,
``test_status``, ``response_error``), with Greenhouse's own shapes (snake_case, null for a
property without a value) and paths without a trailing slash.

Greenhouse authenticates with HTTP Basic: an API key of scope ``greenhouse`` as the username and
an empty password. The use cases are in ``core.integrations.greenhouse`` (and
``greenhouse_status``); see docs/api.md.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from core.api.deps import AppDep, CallerDep
from core.integrations import greenhouse as gh
from core.integrations import greenhouse_send
from core.integrations.greenhouse_status import Primitive, partner_test_status
from core.staff.api_access import ApiAuthError
from core.staff.permissions import Principal

router = APIRouter(prefix="/greenhouse", tags=["greenhouse"])

ID_CHARS = 64
NAME_CHARS = 200
URL_CHARS = 2000
ErrorText = Annotated[str, Field(max_length=2000)]


def _partner(caller: CallerDep) -> Principal:
    """Greenhouse's principal; no credentials at all is 401 (a wrong one is refused earlier)."""
    if caller.principal is None:
        raise ApiAuthError(
            "Greenhouse calls need HTTP Basic credentials: the API key as the username and an "
            "empty password."
        )
    return caller.principal


#: Checked before the body is read: no credentials is 401 whatever was sent.
PartnerDep = Annotated[Principal, Depends(_partner)]


class PartnerTestOut(BaseModel):
    partner_test_id: str
    partner_test_name: str


class CandidateIn(BaseModel):
    first_name: str | None = Field(None, max_length=NAME_CHARS)
    last_name: str | None = Field(None, max_length=NAME_CHARS)
    email: str = Field(..., max_length=254)
    phone_number: str | None = Field(None, max_length=100)
    resume_url: str | None = Field(None, max_length=4000)
    greenhouse_profile_url: str | None = Field(None, max_length=URL_CHARS)


class SendTestIn(BaseModel):
    partner_test_id: str = Field(..., max_length=ID_CHARS)
    candidate: CandidateIn
    url: str = Field(..., max_length=URL_CHARS, description="Where to PATCH when it is complete")


class SendTestOut(BaseModel):
    partner_interview_id: str


class TestStatusOut(BaseModel):
    partner_status: str = Field(description="invited, in_progress, complete, expired, cancelled")
    partner_profile_url: str | None = None
    partner_score: float | None = Field(None, ge=0, le=100)
    metadata: dict[str, Primitive] = Field(default_factory=dict)


class ResponseErrorIn(BaseModel):
    api_call: str = Field(..., max_length=ID_CHARS)
    errors: list[Annotated[str, Field(max_length=2000)]] = Field(
        default_factory=list, max_length=50
    )
    partner_test_id: str | None = Field(None, max_length=ID_CHARS)
    partner_test_name: str | None = Field(None, max_length=NAME_CHARS)
    partner_interview_id: str | None = Field(None, max_length=ID_CHARS)
    candidate_email: str | None = Field(None, max_length=254)


class ResponseErrorOut(BaseModel):
    status: int = 200


@router.get(
    "/list_tests", response_model=list[PartnerTestOut], summary="The tests Greenhouse may send"
)
def list_tests(partner: PartnerDep, app: AppDep) -> list[PartnerTestOut]:
    tests = gh.list_tests(app.db, principal=partner)
    return [
        PartnerTestOut(partner_test_id=t.partner_test_id, partner_test_name=t.partner_test_name)
        for t in tests
    ]


@router.post(
    "/send_test",
    response_model=SendTestOut,
    status_code=200,
    summary="Send a test to a candidate: the invitation with the link is emailed",
)
def send_test(body: SendTestIn, partner: PartnerDep, app: AppDep) -> SendTestOut:
    c = body.candidate
    sent = greenhouse_send.send_test(
        app.db,
        app.settings,
        partner_test_id=body.partner_test_id,
        candidate=greenhouse_send.GreenhouseCandidate(
            first_name=c.first_name or "",
            last_name=c.last_name or "",
            email=c.email,
            phone_number=c.phone_number or "",
            resume_url=c.resume_url or "",
            greenhouse_profile_url=c.greenhouse_profile_url or "",
        ),
        callback_url=body.url,
        now=app.clock.now(),
        principal=partner,
    )
    return SendTestOut(partner_interview_id=sent.partner_interview_id)


@router.get(
    "/test_status", response_model=TestStatusOut, summary="Where a test stands, with its score"
)
def test_status(
    partner: PartnerDep,
    app: AppDep,
    partner_interview_id: Annotated[str, Query(min_length=1, max_length=ID_CHARS)],
) -> TestStatusOut:
    status = partner_test_status(
        app.db,
        app.settings,
        partner_interview_id=partner_interview_id,
        now=app.clock.now(),
        principal=partner,
    )
    return TestStatusOut(
        partner_status=status.partner_status,
        partner_profile_url=status.partner_profile_url,
        partner_score=status.partner_score,
        metadata=status.metadata,
    )


@router.post(
    "/response_error",
    response_model=ResponseErrorOut,
    status_code=200,
    summary="Greenhouse reports a problem with one of our answers (kept and logged)",
)
def response_error(body: ResponseErrorIn, partner: PartnerDep, app: AppDep) -> ResponseErrorOut:
    details = body.model_dump(
        include={"partner_test_id", "partner_test_name", "candidate_email"}, exclude_none=True
    )
    gh.record_response_error(
        app.db,
        api_call=body.api_call,
        errors=body.errors,
        details=details,
        partner_interview_id=body.partner_interview_id or "",
        now=app.clock.now(),
        principal=partner,
    )
    return ResponseErrorOut()
