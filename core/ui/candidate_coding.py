"""The coding panel: problem, ACE editor in the job's language, Run and Submit with results."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit_ace import st_ace

from core.clock import utcnow
from core.coding.attempts import CodingError, latest_run, run_code
from core.coding.problems.catalog import ProblemView, get_problem
from core.coding.sandbox.models import SandboxUnavailable
from core.db.engine import Database
from core.domain import CodingLanguage, SubmissionKind
from core.interview import flow
from core.ui.resources import app_sandbox

ACE_MODES = {
    "PYTHON": "python",
    "JAVASCRIPT": "javascript",
    "JAVA": "java",
    "PHP": "php",
    "RUBY": "ruby",
    "CSHARP": "csharp",
    "SQL": "sql",
}


def _language(view: flow.CandidateInterview, problem: ProblemView) -> CodingLanguage:
    wanted = view.coding_language
    if wanted in problem.languages:
        return CodingLanguage(wanted)
    return CodingLanguage(problem.languages[0])


def _show_results(results: dict[str, object]) -> None:
    verdict = str(results.get("verdict", "")).replace("_", " ")
    passed, total = results.get("passed", 0), results.get("total", 0)
    (st.success if verdict == "accepted" else st.warning)(
        f"{verdict.capitalize()}: {passed} of {total} tests passed"
    )
    compile_errors = results.get("compile_errors") or []
    for message in compile_errors if isinstance(compile_errors, list) else []:
        line = message.get("line")
        st.code(
            f"line {line}: {message.get('message')}" if line else str(message.get("message")),
            language=None,
        )
    tests = results.get("tests") or []
    rows = [
        {
            "Test": t["index"] + 1,
            "Result": t["status"],
            "Input": str(t.get("args")) if t.get("visible") else "hidden",
            "Expected": str(t.get("expected")) if t.get("visible") else "hidden",
            "Got": str(t.get("actual")) if t.get("visible") else "hidden",
        }
        for t in (tests if isinstance(tests, list) else [])
    ]
    if rows:
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    if results.get("stderr_excerpt"):
        st.code(str(results["stderr_excerpt"]), language=None)
    if results.get("sandboxed") is False:
        st.error("This server runs code WITHOUT a sandbox (development setting).")


def coding_panel(
    db: Database, view: flow.CandidateInterview, q: flow.CandidateQuestion, token: str
) -> str:
    """Render the problem and editor; return the current code (saved as a draft on change)."""
    try:
        problem = get_problem(q.coding_problem_ref or "")
    except KeyError:
        st.error("This coding problem is missing. Answer in words below and tell the recruiter.")
        return q.draft_code
    language = _language(view, problem)
    with st.expander(f"Problem: {problem.title}", expanded=True):
        st.markdown(problem.statement)  # our own problem bank's markdown, not user text
        if problem.sql_schema:
            for table in problem.sample_tables:
                st.caption(f"Table {table.name} (sample rows)")
                st.dataframe(
                    pd.DataFrame(list(table.rows), columns=list(table.columns)), hide_index=True
                )
        elif language.value in problem.signatures:
            st.code(problem.signatures[language.value], language=ACE_MODES[language.value])
    st.caption(f"Language: {language.label}. Run checks the examples; Submit runs every test.")
    code = st_ace(
        value=q.draft_code or problem.starters.get(language.value, ""),
        language=ACE_MODES[language.value],
        theme="chrome",
        key=f"code_{q.id}",
        min_lines=14,
        font_size=14,
        auto_update=True,
        show_gutter=True,
    )
    code = code if isinstance(code, str) else q.draft_code
    if code != q.draft_code:
        text = st.session_state.get(f"answer_{q.id}", q.draft_text)
        flow.save_draft(db, view.id, q.id, text=text, code=code, token=token, now=utcnow())
    sandbox = app_sandbox()
    if isinstance(sandbox, SandboxUnavailable):
        st.error(f"Code cannot be run on this server: {sandbox}")
        return code
    run, submit = st.columns(2)
    kind = (
        SubmissionKind.RUN
        if run.button("Run examples", key=f"run_{q.id}")
        else SubmissionKind.SUBMIT
        if submit.button("Submit code", key=f"sub_{q.id}")
        else None
    )
    if kind is not None:
        with st.spinner("Running your code…"):
            try:
                run_code(
                    db,
                    sandbox,
                    interview_id=view.id,
                    question_id=q.id,
                    language=language,
                    code=code,
                    kind=kind,
                    now=utcnow(),
                )
            except CodingError as exc:
                st.error(str(exc))
    last = latest_run(db, q.id)
    if last is not None:
        st.caption(f"Last {last.kind.value} at {last.at:%H:%M:%S} UTC")
        _show_results(last.results)
    return code
