"""The interviewer's follow-up, answered before the next question (``core.interview.follow_ups``).

The reply is saved as a draft while the candidate types (like an answer), so a reload or a
second tab finds it; buttons record the press in ``on_click`` so a rerun cannot lose it.
"""

from __future__ import annotations

import streamlit as st

from core.clock import utcnow
from core.db.engine import Database
from core.interview import flow
from core.interview import room as use_cases
from core.staff.permissions import CandidatePrincipal
from core.ui.resources import app_evaluator, app_grading, app_interviewer

_PRESSED = "follow_up_action"  # ("answer" | "move_on", follow-up id)


def _press(action: str, follow_up_id: int) -> None:
    st.session_state[_PRESSED] = (action, follow_up_id)


def _save_draft(db: Database, interview_id: int, follow_up_id: int, token: str) -> None:
    text = st.session_state.get(f"follow_up_{follow_up_id}")
    if text is None:
        return
    try:
        use_cases.save_follow_up_draft(
            db,
            CandidatePrincipal(interview_id),
            interview_id,
            follow_up_id,
            text=text,
            token=token,
            now=utcnow(),
        )
    except flow.FlowError:  # another tab took over, or time is up: the page says so
        return


def follow_up_panel(db: Database, view: flow.CandidateInterview, token: str) -> None:
    """Runs on the script thread. Scoring the reply may take the evaluator's time (spinner)."""
    f = view.follow_up
    assert f is not None
    question = next((q for q in view.questions if q.id == f.question_id), None)
    st.subheader(f"Question {f.question_order} of {len(view.questions)}: a follow-up")
    if question is not None:
        with st.expander("The question and your answer"):
            st.text(question.text)
            st.caption("Your answer")
            st.text(question.draft_text or "(no text)")
    with st.chat_message("assistant"):
        st.text(f.text)
    key = f"follow_up_{f.id}"
    if key not in st.session_state:
        st.session_state[key] = f.draft_text
    text = st.text_area(
        "Your answer to the follow-up",
        key=key,
        height=180,
        max_chars=flow.MAX_ANSWER_CHARS,
        on_change=_save_draft,
        args=(db, view.id, f.id, token),
    )
    st.caption("The interviewer moves on to the next question after this.")
    c1, c2 = st.columns(2)
    c1.button("Submit follow-up answer", type="primary", on_click=_press, args=("answer", f.id))
    c2.button("Move on without answering", on_click=_press, args=("move_on", f.id))
    pressed = st.session_state.get(_PRESSED)
    if pressed is None or pressed[1] != f.id:
        return
    del st.session_state[_PRESSED]
    principal = CandidatePrincipal(view.id)
    if pressed[0] == "answer":
        if not text.strip():
            st.warning("Type an answer first, or move on without answering.")
            return
        with st.spinner("Saving your answer…"):
            use_cases.answer_follow_up(
                db,
                app_evaluator(),
                app_interviewer(),
                principal,
                view.id,
                f.id,
                text=text,
                token=token,
                now=utcnow(),
                grading=app_grading(),
            )
    else:
        use_cases.skip_follow_up(db, principal, view.id, f.id, token=token, now=utcnow())
    st.rerun()
