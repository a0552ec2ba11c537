"""The coding panel: the problem, a full-width ACE editor in the job's language, Run (the
examples), Submit (every test) and Run with my input, with their results.

The panel is a fragment: typing and its buttons rerun only the panel, not the whole room (the
camera, the chat, the clock). A click is queued by its button's callback; the run that follows
draws the buttons disabled, shows "Running…" while the sandbox works, then the results — so a
second click cannot fire while code runs.
"""

from __future__ import annotations

import threading
from dataclasses import asdict
from typing import Any

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from core.clock import utcnow
from core.coding.attempts import StoredRun, latest_run
from core.coding.custom_run import input_help, input_template
from core.coding.problems.catalog import ProblemView, get_problem
from core.coding.sandbox.factory import Sandbox
from core.coding.sandbox.models import SandboxUnavailable
from core.coding.sandbox.run_slots import QueueState, queue_listener
from core.coding.warmup import warm_up_in_background
from core.db.engine import Database
from core.domain import CodingLanguage, SubmissionKind
from core.errors import IntervistaError
from core.interview import coding_room, flow
from core.staff.permissions import CandidatePrincipal
from core.ui import coding_results
from core.ui.code_editor import ACE_MODES, code_editor
from core.ui.format import md_escape
from core.ui.resources import app_sandbox

RUN, SUBMIT, CUSTOM = "run", "submit", "custom"


def _language(view: flow.CandidateInterview, problem: ProblemView) -> CodingLanguage:
    wanted = view.coding_language
    if wanted in problem.languages:
        return CodingLanguage(wanted)
    return CodingLanguage(problem.languages[0])


def _problem_statement(problem: ProblemView, language: CodingLanguage) -> None:
    with st.expander(f"Problem: {problem.title}", expanded=True):  # our problem bank
        st.markdown(problem.statement)  # our own problem bank's markdown, not user text
        if problem.sql_schema:
            for table in problem.sample_tables:
                st.caption(f"Table {table.name} (sample rows)")
                st.dataframe(
                    pd.DataFrame(list(table.rows), columns=list(table.columns)), hide_index=True
                )
        elif language.value in problem.signatures:
            st.code(problem.signatures[language.value], language=ACE_MODES[language.value])


def coding_panel(
    db: Database, view: flow.CandidateInterview, q: flow.CandidateQuestion, token: str
) -> str:
    """Render the problem and the editor at full width; return the current code (saved as a
    draft when it changes)."""
    try:
        problem = get_problem(q.coding_problem_ref or "")
    except KeyError:
        st.error("This coding problem is missing. Answer in words below and tell the recruiter.")
        return q.draft_code
    language = _language(view, problem)
    _problem_statement(problem, language)
    st.caption(
        f"Language: {language.label}. Run checks your code on the examples; Submit runs every "
        f"test, hidden ones too; Run with my input runs it on an input you type. Limits: "
        f"{problem.cpu_seconds:g} s CPU, {problem.memory_mb} MB."
    )
    sandbox = app_sandbox()
    if not isinstance(sandbox, SandboxUnavailable):
        warm_up_in_background(sandbox, language)  # Java: its harness library, compiled once
    code = _workspace(db, view, q, token, problem, language)
    return code if isinstance(code, str) else q.draft_code


def _queue(question_id: int, action: str) -> None:
    """Button callback: remember the click; the fragment run that follows does the work."""
    st.session_state[f"pending_{question_id}"] = action


@st.fragment
def _workspace(
    db: Database,
    view: flow.CandidateInterview,
    q: flow.CandidateQuestion,
    token: str,
    problem: ProblemView,
    language: CodingLanguage,
) -> str:
    try:
        return _workspace_body(db, view, q, token, problem, language)
    except flow.FlowError as exc:  # a panel-only rerun is outside the page's own handler
        st.warning(md_escape(exc))
        if st.button("Reload the page", key=f"reload_{q.id}"):
            st.rerun(scope="app")
        return str(st.session_state.get(f"code_saved_{q.id}", q.draft_code))


def _workspace_body(
    db: Database,
    view: flow.CandidateInterview,
    q: flow.CandidateQuestion,
    token: str,
    problem: ProblemView,
    language: CodingLanguage,
) -> str:
    pending = st.session_state.pop(f"pending_{q.id}", None)
    last = latest_run(db, q.id)
    marks = _marks(last, st.session_state.get(f"custom_{q.id}"))
    code = code_editor(
        value=q.draft_code or problem.starters.get(language.value, ""),
        mode=ACE_MODES[language.value],
        key=f"code_{q.id}",
        annotations=marks,
    )
    code = code if isinstance(code, str) else q.draft_code
    _save_draft(db, view, q, token, code)
    sandbox = app_sandbox()
    if isinstance(sandbox, SandboxUnavailable):
        st.error(f"Code cannot be run on this server: {md_escape(sandbox)}")
        return code
    buttons = st.empty()
    _buttons(buttons, q.id, busy=pending is not None)
    progress = st.empty()
    results = st.container()
    tried = f"custom_{q.id}" in st.session_state or pending == CUSTOM
    with st.expander("Run with my input", expanded=tried):
        st.caption(input_help(problem.id))
        typed = st.text_area(
            "Your input",
            value=input_template(problem.id),
            key=f"custom_input_{q.id}",
            height=140,
        )
        custom_button = st.empty()
        _custom_button(custom_button, q.id, busy=pending is not None)
        custom_progress = st.empty()
        custom_area = st.container()
    if pending is not None:
        where = custom_progress if pending == CUSTOM else progress
        _do(db, sandbox, view, q, token, language, code, str(typed), pending, where)
        _buttons(buttons, q.id, busy=False)
        _custom_button(custom_button, q.id, busy=False)
        last = latest_run(db, q.id)
        if _marks(last, st.session_state.get(f"custom_{q.id}")) != marks and _panel_only_run():
            st.rerun(scope="fragment")  # mark the new compile errors in the editor's gutter
    custom = st.session_state.get(f"custom_{q.id}")
    with results:
        if failure := st.session_state.get(f"run_error_{q.id}"):
            st.error(md_escape(failure))
        if last is not None:
            coding_results.graded_results(last.results, kind=last.kind.value, at=last.at)
    with custom_area:
        if failure := st.session_state.get(f"custom_error_{q.id}"):
            st.error(md_escape(failure))
        elif isinstance(custom, tuple):
            coding_results.custom_result(custom[1], at=custom[0])
    return code


def _marks(last: StoredRun | None, custom: object) -> list[dict[str, Any]]:
    """Gutter marks for the compile errors of the newest result (Run/Submit or my input)."""
    if isinstance(custom, tuple) and (last is None or custom[0] > last.at):
        found = custom[1].compile_errors
        return coding_results.editor_annotations(
            {"compile_errors": [asdict(m) for m in found]} if found else None
        )
    return coding_results.editor_annotations(last.results if last else None)


def _panel_only_run() -> bool:
    """Is this run the panel's own (a fragment rerun), not the whole page's?"""
    ctx = get_script_run_ctx()
    return bool(getattr(ctx, "fragment_ids_this_run", None))


def _save_draft(
    db: Database, view: flow.CandidateInterview, q: flow.CandidateQuestion, token: str, code: str
) -> None:
    saved_key = f"code_saved_{q.id}"
    if code == st.session_state.get(saved_key, q.draft_code):
        return
    text = st.session_state.get(f"answer_{q.id}", q.draft_text)
    flow.save_draft(db, view.id, q.id, text=text, code=code, token=token, now=utcnow())
    st.session_state[saved_key] = code


def _buttons(slot: Any, question_id: int, *, busy: bool) -> None:
    """Run and Submit; while code runs, disabled stand-ins (their own keys) take their place."""
    with slot.container():
        run, submit, _ = st.columns([1, 1, 3])
        if busy:
            run.button("Run examples", key=f"run_busy_{question_id}", disabled=True)
            submit.button("Submit code", key=f"sub_busy_{question_id}", disabled=True)
        else:
            run.button(
                "Run examples", key=f"run_{question_id}", on_click=_queue, args=(question_id, RUN)
            )
            submit.button(
                "Submit code",
                key=f"sub_{question_id}",
                type="primary",
                on_click=_queue,
                args=(question_id, SUBMIT),
            )


def _custom_button(slot: Any, question_id: int, *, busy: bool) -> None:
    with slot.container():
        if busy:
            st.button("Run with my input", key=f"custom_busy_{question_id}", disabled=True)
        else:
            st.button(
                "Run with my input",
                key=f"custom_run_{question_id}",
                on_click=_queue,
                args=(question_id, CUSTOM),
            )


def _do(
    db: Database,
    sandbox: Sandbox,
    view: flow.CandidateInterview,
    q: flow.CandidateQuestion,
    token: str,
    language: CodingLanguage,
    code: str,
    typed: str,
    action: str,
    where: Any,
) -> None:
    """Run the queued action behind a "Running…" status (or "Waiting for a free runner" while
    every sandbox slot is taken); keep its outcome in the session."""
    principal = CandidatePrincipal(view.id)
    error_key = f"custom_error_{q.id}" if action == CUSTOM else f"run_error_{q.id}"
    st.session_state.pop(error_key, None)
    label = {RUN: "Running the examples…", SUBMIT: "Running every test…"}.get(
        action, "Running your code on your input…"
    )
    page_thread = threading.current_thread()
    with where.container(), st.status(label, expanded=False) as status:

        def show_queue(state: QueueState) -> None:  # called while waiting; only this thread draws
            if threading.current_thread() is page_thread:
                status.update(label=coding_results.queue_label(state.position, label))

        with queue_listener(show_queue):
            try:
                if action == CUSTOM:
                    result = coding_room.run_with_input(
                        db,
                        sandbox,
                        principal,
                        view.id,
                        q.id,
                        language=language,
                        code=code,
                        input_text=typed,
                        token=token,
                        now=utcnow(),
                    )
                    st.session_state[f"custom_{q.id}"] = (utcnow(), result)
                else:
                    coding_room.run_code(
                        db,
                        sandbox,
                        principal,
                        view.id,
                        q.id,
                        language=language,
                        code=code,
                        kind=SubmissionKind.RUN if action == RUN else SubmissionKind.SUBMIT,
                        token=token,
                        now=utcnow(),
                    )
            except flow.FlowError:
                raise
            except IntervistaError as exc:
                st.session_state[error_key] = str(exc)
        status.update(label="Done", state="complete")
    where.empty()
