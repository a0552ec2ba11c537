"""``/api/v1/interviews/``: the seeds' interview endpoints.

Staff list and read interviews; a signed-in staff member creates practice interviews for
themselves and takes them; a candidate takes their interview with its secret link key in
``X-Interview-Key`` (when that header is sent it decides who is calling). Taking an interview
runs the same use cases as the candidate's page (``core.interview.remote``).
"""

from __future__ import annotations

import hashlib
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from core.api.deps import (
    AppDep,
    Caller,
    CallerDep,
    InterviewKeyDep,
    PageDep,
    candidate_by_key,
    key_hash,
    page_links,
    tab_token,
)
from core.api.schemas_interview_results import CompletedInterviewOut, CompletedOut, ResultsOut
from core.api.schemas_interview_taking import (
    CandidateInterviewOut,
    CandidateQuestionOut,
    FollowUpAnsweredOut,
    FollowUpIn,
    FollowUpOut,
    ResponseOut,
    StartedOut,
    SubmitIn,
    SubmittedOut,
    questions_of,
)
from core.api.schemas_interviews import (
    InterviewCreatedOut,
    InterviewCreateIn,
    InterviewDetailOut,
    InterviewOut,
    InterviewPage,
)
from core.app import Application
from core.domain import Difficulty, InterviewStatus, InterviewType
from core.interview import api_results, api_views, practice, remote
from core.interview.api_views import CandidateSide
from core.recruiting.interviews import InterviewDetail, InterviewFilters
from core.staff.api_access import ApiAuthError
from core.staff.permissions import Principal

InterviewId = Annotated[int, Path(ge=1, le=2**31 - 1, description="the interview's id")]
router = APIRouter(prefix="/v1/interviews", tags=["interviews"])


def known(caller: Caller) -> Principal:
    """The caller's principal; without credentials, 401 (not the permission check's 403)."""
    if caller.principal is None:
        raise ApiAuthError(
            "Sign in first (POST /api/v1/auth/login/), send an API key, or, for a candidate, "
            "the interview's X-Interview-Key."
        )
    return caller.principal


def _principal(
    app: Application, caller: Caller, key: str | None, *, allow_completed: bool = False
) -> Principal:
    """The candidate a key opens, else the caller's own credentials."""
    if key:
        return candidate_by_key(
            app, key, caller.address, caller.now, allow_completed=allow_completed
        )
    return known(caller)


def _seat(
    app: Application, caller: Caller, key: str | None, interview_id: InterviewId
) -> remote.Seat:
    """Who takes the interview: the key's candidate, or the practice's signed-in owner.
    The tab is one per key, or one per staff member (it survives refreshing the token)."""
    if key:
        principal = candidate_by_key(app, key, caller.address, caller.now)
        return remote.Seat(principal, tab_token(key_hash(key), interview_id), owner=False)
    staff = caller.staff()
    principal = practice.owner_seat(app.db, staff, interview_id)
    person = hashlib.sha256(f"staff:{staff.user_id}".encode()).hexdigest()
    return remote.Seat(principal, tab_token(person, interview_id), owner=True)


def _full(detail: InterviewDetail | CandidateSide) -> InterviewDetailOut:
    assert isinstance(detail, InterviewDetail)  # staff and owners get the full view
    return InterviewDetailOut.of_detail(detail)


@router.get("/", response_model=InterviewPage, summary="All interviews (filters, pages)")
def list_interviews(
    request: Request,
    caller: CallerDep,
    app: AppDep,
    page: PageDep,
    status: Annotated[InterviewStatus | None, Query()] = None,
    interview_type: Annotated[InterviewType | None, Query(alias="type")] = None,
    difficulty: Annotated[Difficulty | None, Query()] = None,
) -> InterviewPage:
    filters = InterviewFilters(
        statuses=(status,) if status else (),
        types=(interview_type,) if interview_type else (),
        difficulties=(difficulty,) if difficulty else (),
    )
    found = api_views.browse_interviews(
        app.db, known(caller), filters, offset=page.offset, limit=page.page_size
    )
    following, preceding = page_links(request, page, found.count)
    return InterviewPage(
        count=found.count,
        next=following,
        previous=preceding,
        results=[InterviewOut.of(s) for s in found.items],
    )


@router.post(
    "/",
    response_model=InterviewCreatedOut,
    status_code=201,
    summary="Create a practice interview for yourself (questions generated)",
)
def create_interview(
    body: InterviewCreateIn, caller: CallerDep, app: AppDep
) -> InterviewCreatedOut:
    staff = caller.staff()
    assert caller.user is not None
    new_id = practice.create_practice_interview(
        app.db, app.question_generator, staff, caller.user, body.spec()
    )
    detail = api_views.interview_detail(app.db, staff, new_id)
    return InterviewCreatedOut(message="Interview created successfully", interview=_full(detail))


@router.get("/my_interviews/", response_model=InterviewPage, summary="Your practice interviews")
def my_interviews(request: Request, caller: CallerDep, app: AppDep, page: PageDep) -> InterviewPage:
    found = practice.my_interviews(app.db, caller.staff(), offset=page.offset, limit=page.page_size)
    following, preceding = page_links(request, page, found.count)
    return InterviewPage(
        count=found.count,
        next=following,
        previous=preceding,
        results=[InterviewOut.of(s) for s in found.items],
    )


@router.get(
    "/current/",
    response_model=CandidateInterviewOut,
    summary="The interview an X-Interview-Key opens (where a candidate's own client starts)",
)
def current(caller: CallerDep, app: AppDep, key: InterviewKeyDep) -> CandidateInterviewOut:
    """A custom or mobile client knows only the link's ``key=``: this names the interview
    (its id for the calls below), its window and where it stands, before or after start."""
    if not key:
        raise ApiAuthError("Send the interview's key (the link's key= value) in X-Interview-Key.")
    principal = candidate_by_key(app, key, caller.address, caller.now, allow_completed=True)
    side = api_views.interview_detail(app.db, principal, principal.interview_id)
    assert isinstance(side, CandidateSide)
    return CandidateInterviewOut.of(side, caller.now)


@router.get(
    "/{interview_id:int}/",
    response_model=InterviewDetailOut | CandidateInterviewOut,
    summary="One interview: everything for staff and owners, the candidate's view for a key",
)
def get_interview(
    interview_id: InterviewId, caller: CallerDep, app: AppDep, key: InterviewKeyDep
) -> InterviewDetailOut | CandidateInterviewOut:
    principal = _principal(app, caller, key, allow_completed=True)
    detail = api_views.interview_detail(app.db, principal, interview_id)
    if isinstance(detail, CandidateSide):
        return CandidateInterviewOut.of(detail, caller.now)
    return InterviewDetailOut.of_detail(detail)


@router.post(
    "/{interview_id:int}/start/",
    response_model=StartedOut,
    summary="Start (or take back into this client) the interview; its clock runs",
)
def start(
    interview_id: InterviewId, caller: CallerDep, app: AppDep, key: InterviewKeyDep
) -> StartedOut:
    seat = _seat(app, caller, key, interview_id)
    side = remote.start(app.db, seat, interview_id, now=caller.now)
    fresh = side.state.started_at == caller.now
    message = "Interview started successfully" if fresh else "Interview resumed in this client"
    return StartedOut(message=message, interview=CandidateInterviewOut.of(side, caller.now))


@router.get(
    "/{interview_id:int}/questions/",
    response_model=list[CandidateQuestionOut],
    summary="The questions, with your answers so far",
)
def questions(
    interview_id: InterviewId, caller: CallerDep, app: AppDep, key: InterviewKeyDep
) -> list[CandidateQuestionOut]:
    seat = _seat(app, caller, key, interview_id)
    return questions_of(remote.questions(app.db, seat, interview_id))


@router.post(
    "/{interview_id:int}/submit_response/",
    response_model=SubmittedOut,
    status_code=201,
    responses={200: {"model": SubmittedOut, "description": "Submitted before: the first answer"}},
    summary="Submit an answer (200 with the first answer when it was submitted before)",
)
def submit_response(
    interview_id: InterviewId,
    body: SubmitIn,
    response: Response,
    caller: CallerDep,
    app: AppDep,
    key: InterviewKeyDep,
) -> SubmittedOut:
    seat = _seat(app, caller, key, interview_id)
    done = remote.submit(
        app.db,
        app.evaluator,
        app.interviewer,
        app.grading,
        seat,
        interview_id,
        body.question_id,
        text=body.text_response,
        code=body.code_response,
        now=caller.now,
    )
    if not done.first:
        response.status_code = 200
        message = "This answer was submitted before; the first answer stands"
    else:
        message = "Response submitted successfully"
    return SubmittedOut(message=message, response=ResponseOut.of(done.answer))


@router.post(
    "/{interview_id:int}/answer_follow_up/",
    response_model=FollowUpAnsweredOut,
    summary="Answer the interviewer's follow-up (empty text: move on)",
)
def answer_follow_up(
    interview_id: InterviewId,
    body: FollowUpIn,
    caller: CallerDep,
    app: AppDep,
    key: InterviewKeyDep,
) -> FollowUpAnsweredOut:
    seat = _seat(app, caller, key, interview_id)
    following = remote.answer_follow_up(
        app.db,
        app.evaluator,
        app.interviewer,
        app.grading,
        seat,
        interview_id,
        body.follow_up_id,
        text=body.text_response,
        now=caller.now,
    )
    message = "The interviewer asks more" if following else "Carry on with the next question"
    return FollowUpAnsweredOut(message=message, follow_up=FollowUpOut.of(following))


@router.post(
    "/{interview_id:int}/complete/",
    response_model=CompletedOut,
    summary="End the interview: totals, percentage, feedback",
)
def complete(
    interview_id: InterviewId, caller: CallerDep, app: AppDep, key: InterviewKeyDep
) -> CompletedOut:
    seat = _seat(app, caller, key, interview_id)
    done = remote.complete(app.db, app.evaluator, seat, interview_id, now=caller.now)
    outcome = api_results.outcome(app.db, interview_id, full=seat.owner, problem=done.problem)
    return CompletedOut(
        message="Interview completed successfully", interview=CompletedInterviewOut.of(outcome)
    )


@router.get(
    "/{interview_id:int}/results/",
    response_model=ResultsOut,
    summary="The evaluation, the questions and the answers of a completed interview",
)
def results(
    interview_id: InterviewId, caller: CallerDep, app: AppDep, key: InterviewKeyDep
) -> ResultsOut:
    principal = _principal(app, caller, key, allow_completed=True)
    return ResultsOut.of_outcome(api_results.interview_results(app.db, principal, interview_id))
