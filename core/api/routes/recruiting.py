"""``/api/v1/candidates/`` and ``/api/v1/jobs/``: the recruiters' records, for integrations.

Recruiters and administrators (and API keys with the ``recruiting`` scope) list, read, create
and change candidates and jobs; hiring managers are refused (403), as on the pages. Every call
runs the pages' own use cases (``core.recruiting``) with the caller's principal.

- Deleting a candidate erases them with their interviews, recordings and resume (it also needs
  ``ERASE_INTERVIEW``: an API key never has it, so keys cannot erase).
- Jobs are never deleted (interviews keep pointing at them): ``PATCH`` with
  ``{"is_active": false}`` deactivates one, and ``DELETE`` does the same, answering with the
  job as it now is; ``{"is_active": true}`` reactivates it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from core.api.deps import AppDep, CallerDep, PageDep, page_links
from core.api.routes.interviews import known
from core.api.schemas_recruiting import (
    CandidateDetailOut,
    CandidateIn,
    CandidateOut,
    CandidatePage,
    CandidatePatch,
    JobIn,
    JobOut,
    JobPage,
    JobPatch,
)
from core.recruiting import candidates, catalog, jobs
from core.recruiting.jobs import JobChanges

CandidateId = Annotated[int, Path(ge=1, le=2**31 - 1, description="the candidate's id")]
JobId = Annotated[int, Path(ge=1, le=2**31 - 1, description="the job's id")]
Search = Annotated[
    str, Query(max_length=200, description="part of the name or email (jobs: title or company)")
]
router = APIRouter(prefix="/v1", tags=["recruiting"])


# Candidates ----------------------------------------------------------------------------------
@router.get("/candidates/", response_model=CandidatePage, summary="Candidates (search, pages)")
def list_candidates(
    request: Request, caller: CallerDep, app: AppDep, page: PageDep, q: Search = ""
) -> CandidatePage:
    count, found = catalog.page_candidates(
        app.db,
        search=q,
        offset=page.offset,
        limit=page.page_size,
        principal=known(caller),
    )
    following, preceding = page_links(request, page, count)
    return CandidatePage(
        count=count,
        next=following,
        previous=preceding,
        results=[CandidateOut.of(c) for c in found],
    )


@router.post(
    "/candidates/",
    response_model=CandidateDetailOut,
    status_code=201,
    summary="Add a candidate (409 when the email is taken)",
)
def create_candidate(body: CandidateIn, caller: CallerDep, app: AppDep) -> CandidateDetailOut:
    made = candidates.create_candidate(
        app.db, body.data(), actor_id=caller.actor_id, principal=known(caller)
    )
    return CandidateDetailOut.of_detail(made)


@router.get(
    "/candidates/{candidate_id:int}/",
    response_model=CandidateDetailOut,
    summary="One candidate, with their resume's text",
)
def get_candidate(candidate_id: CandidateId, caller: CallerDep, app: AppDep) -> CandidateDetailOut:
    found = candidates.get_candidate(app.db, candidate_id, principal=known(caller))
    if found is None:
        raise candidates.CandidateMissing(f"There is no candidate #{candidate_id}.")
    return CandidateDetailOut.of_detail(found)


@router.patch(
    "/candidates/{candidate_id:int}/",
    response_model=CandidateDetailOut,
    summary="Change some of a candidate's fields",
)
def update_candidate(
    candidate_id: CandidateId, body: CandidatePatch, caller: CallerDep, app: AppDep
) -> CandidateDetailOut:
    changed = candidates.update_candidate(
        app.db, candidate_id, body.changes(), actor_id=caller.actor_id, principal=known(caller)
    )
    return CandidateDetailOut.of_detail(changed)


@router.delete(
    "/candidates/{candidate_id:int}/",
    status_code=204,
    response_class=Response,
    summary="Erase a candidate with their interviews, recordings and resume",
)
def delete_candidate(candidate_id: CandidateId, caller: CallerDep, app: AppDep) -> Response:
    candidates.delete_candidate(
        app.db, app.settings, candidate_id, actor_id=caller.actor_id, principal=known(caller)
    )
    return Response(status_code=204)


# Jobs ----------------------------------------------------------------------------------------
@router.get("/jobs/", response_model=JobPage, summary="Jobs: active first (filters, pages)")
def list_jobs(
    request: Request,
    caller: CallerDep,
    app: AppDep,
    page: PageDep,
    q: Search = "",
    is_active: Annotated[bool | None, Query(description="only active (or inactive) jobs")] = None,
) -> JobPage:
    count, found = catalog.page_jobs(
        app.db,
        active=is_active,
        search=q,
        offset=page.offset,
        limit=page.page_size,
        principal=known(caller),
    )
    following, preceding = page_links(request, page, count)
    return JobPage(
        count=count, next=following, previous=preceding, results=[JobOut.of(j) for j in found]
    )


@router.post("/jobs/", response_model=JobOut, status_code=201, summary="Add a job (active)")
def create_job(body: JobIn, caller: CallerDep, app: AppDep) -> JobOut:
    made = jobs.create_job(app.db, body.data(), actor_id=caller.actor_id, principal=known(caller))
    return JobOut.of(made)


@router.get("/jobs/{job_id:int}/", response_model=JobOut, summary="One job")
def get_job(job_id: JobId, caller: CallerDep, app: AppDep) -> JobOut:
    found = jobs.get_job(app.db, job_id, principal=known(caller))
    if found is None:
        raise jobs.JobMissing(f"There is no job #{job_id}.")
    return JobOut.of(found)


@router.patch(
    "/jobs/{job_id:int}/",
    response_model=JobOut,
    summary="Change some of a job's fields; is_active false deactivates it",
)
def update_job(job_id: JobId, body: JobPatch, caller: CallerDep, app: AppDep) -> JobOut:
    changed = jobs.change_job(
        app.db, job_id, body.changes(), actor_id=caller.actor_id, principal=known(caller)
    )
    return JobOut.of(changed)


@router.delete(
    "/jobs/{job_id:int}/",
    response_model=JobOut,
    summary="Deactivate a job (it is kept for its interviews); answers with the job",
)
def deactivate_job(job_id: JobId, caller: CallerDep, app: AppDep) -> JobOut:
    changed = jobs.change_job(
        app.db,
        job_id,
        JobChanges(is_active=False),
        actor_id=caller.actor_id,
        principal=known(caller),
    )
    return JobOut.of(changed)
