"""Generate an interview's questions from a job (and a candidate's resume), review and edit
them question by question, and save them as a template.

The draft is made on ``DraftJobs``' worker thread: the page shows that it is pending and
refreshes itself (a fragment every second) until the draft is there; a reload finds it too.
"""

from __future__ import annotations

import streamlit as st
from pydantic import ValidationError

from core.config import Settings
from core.db.engine import Database
from core.domain import Difficulty, InterviewType
from core.errors import IntervistaError
from core.recruiting import template_admin as svc
from core.recruiting.catalog import list_candidates, list_jobs
from core.recruiting.question_drafts import DraftJobs, DraftRequest, QuestionDraft
from core.staff.permissions import Principal
from core.ui.format import label, md_escape

_SEMI = "; "


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


def _request_form(db: Database, settings: Settings) -> DraftRequest | None:
    jobs = list_jobs(db, include_inactive=False)
    if not jobs:
        st.info("Add a job first (Jobs page): the questions are written for it.")
        return None
    people = [None, *list_candidates(db)]
    with st.form("draft_request"):
        job = st.selectbox("Job", jobs, format_func=lambda j: f"{j.title} · {j.company}")
        person = st.selectbox(
            "Candidate (optional: questions probe what their resume claims)",
            people,
            format_func=lambda c: "No candidate" if c is None else f"{c.full_name} <{c.email}>",
        )
        c1, c2, c3 = st.columns(3)
        kind = c1.selectbox("Type", list(InterviewType), format_func=label)
        level = c2.selectbox("Difficulty", list(Difficulty), index=1, format_func=label)
        count = c3.number_input("Questions", 1, 20, 5)
        use_ai = st.checkbox(
            "Let the AI model write them",
            value=settings.llm_enabled,
            disabled=not settings.llm_enabled,
            help="Without an AI model (none is configured, or this is off) the questions "
            "are chosen from our question bank by skills and closeness to the job and resume.",
        )
        if not st.form_submit_button("Generate questions", type="primary"):
            return None
    assert job is not None
    return DraftRequest(
        job_id=job.id,
        candidate_id=person.id if person is not None else None,
        interview_type=kind,
        difficulty=level,
        count=int(count),
        use_ai=use_ai,
    )


@st.fragment(run_every=1.0)
def _wait_for(jobs: DraftJobs, owner: int) -> None:
    """Runs every second while a draft is being made; reruns the page once it is there."""
    latest = jobs.latest(owner)
    if latest is None or latest[1].done():
        st.rerun(scope="app")
    st.info("Writing the questions… this page updates by itself when they are ready.")


def draft_review(key: str, draft: QuestionDraft) -> svc.TemplateSpec | None:
    """Every question in full, editable; returns the edited spec when saved."""
    spec = draft.spec
    st.caption(md_escape(draft.note))
    with st.form(key):
        title = st.text_input("Template title", value=spec.title)
        edited = []
        for i, q in enumerate(spec.questions, start=1):
            st.markdown(f"**Question {i}** · {label(str(q.question_type))}")
            text = st.text_area(f"Question {i}", value=q.question_text, key=f"{key}_q{i}")
            expected = st.text_area(
                f"Expected answer {i}", value=q.expected_answer, key=f"{key}_a{i}"
            )
            c1, c2 = st.columns(2)
            criteria = c1.text_input(
                f"Criteria {i} (separate with ;)",
                value=_SEMI.join(q.evaluation_criteria),
                key=f"{key}_c{i}",
            )
            follow_ups = c2.text_input(
                f"Follow-ups {i} (separate with ;)",
                value=_SEMI.join(q.follow_ups),
                key=f"{key}_f{i}",
            )
            notes = st.text_input(
                f"Notes {i} (may be told to the candidate)", value=q.notes, key=f"{key}_n{i}"
            )
            edited.append((q, text, expected, criteria, follow_ups, notes))
        if not st.form_submit_button("Save as template", type="primary"):
            return None
    try:
        return spec.model_copy(
            update={
                "title": title,
                "questions": [
                    svc.TemplateQuestion.model_validate(
                        {
                            **q.model_dump(),
                            "question_text": text,
                            "expected_answer": expected,
                            "evaluation_criteria": _split(criteria),
                            "follow_ups": _split(follow_ups),
                            "notes": notes,
                        }
                    )
                    for q, text, expected, criteria, follow_ups, notes in edited
                ],
            }
        )
    except ValidationError as exc:
        st.error(f"The template was not saved: {md_escape(svc.describe_validation_error(exc))}")
        return None


def generate_tab(
    db: Database, settings: Settings, jobs: DraftJobs, principal: Principal, owner: int
) -> None:
    """The "Generate" tab of the Templates page (runs on the script thread; the model runs on
    the draft worker)."""
    request = _request_form(db, settings)
    if request is not None:
        try:
            if not jobs.start(principal, owner, request):
                st.error("Several drafts are being written already; try again in a minute.")
        except IntervistaError as exc:
            st.error(md_escape(exc))
    latest = jobs.latest(owner)
    if latest is None:
        return
    _request, future = latest
    if not future.done():
        _wait_for(jobs, owner)
        return
    error = future.exception()
    if error is not None:
        message = str(error) if isinstance(error, IntervistaError) else "an unexpected error"
        st.error(f"The questions could not be written: {md_escape(message)}")
        return
    spec = draft_review(f"draft_{id(future)}", future.result())
    if spec is None:
        return
    try:
        made = svc.create_template(db, spec, actor_id=owner, principal=principal)
    except (svc.TemplateError, IntervistaError) as exc:
        st.error(md_escape(exc))
        return
    jobs.forget(owner)
    st.success(f"Saved the template {md_escape(made.title)}. Use it for a candidate from Browse.")
