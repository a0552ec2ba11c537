"""The interview room: question, answer, chat, camera and time — one rerun at a time.

Drafts are saved on every rerun in which the text changed; time is computed on the server.
"""

from __future__ import annotations

import logging

import streamlit as st

from core.clock import utcnow
from core.config import Settings
from core.db.engine import Database
from core.domain import QuestionType
from core.interview import flow, media
from core.interview import room as use_cases
from core.staff.permissions import CandidatePrincipal
from core.ui.candidate_coding import coding_panel
from core.ui.format import label
from core.ui.resources import app_evaluator, app_interviewer, app_settings

logger = logging.getLogger(__name__)
FINISHED = "finished_interview_id"


def finish(db: Database, interview_id: int, reason: str) -> None:
    with st.spinner("Finishing and preparing your evaluation…"):
        use_cases.finish(
            db,
            app_evaluator(),
            CandidatePrincipal(interview_id),
            interview_id,
            now=utcnow(),
            reason=reason,
        )
    st.session_state[FINISHED] = interview_id
    st.rerun()


@st.fragment(run_every=10)
def _clock(db: Database, interview_id: int) -> None:
    """The overall time, refreshed every 10 s (not every second: calmer for screen readers)."""
    view = flow.load(db, interview_id)
    left = view.seconds_left(utcnow())
    if left is None:
        return
    if left <= 0 and view.status.value == "in_progress":
        finish(db, interview_id, "time_up")
    minutes = int(left // 60)
    text = f"About {minutes} min left" if minutes >= 1 else "Less than a minute left"
    (st.warning if minutes < 5 else st.caption)(text)


def _answer_panel(
    db: Database, view: flow.CandidateInterview, q: flow.CandidateQuestion, token: str, code: str
) -> None:
    key = f"answer_{q.id}"
    label_text = "Explain your approach" if code else "Your answer"
    text = st.text_area(
        label_text,
        value=q.draft_text,
        key=key,
        height=200 if code else 240,
        max_chars=flow.MAX_ANSWER_CHARS,
    )
    if text != q.draft_text:
        flow.save_draft(db, view.id, q.id, text=text, code=code, token=token, now=utcnow())
        st.caption("Draft saved.")
    if view.enable_audio:
        _voice_answer(db, view, q, token)
    c1, c2 = st.columns(2)
    if c1.button("Submit answer", type="primary", key=f"submit_{q.id}"):
        with st.spinner("Saving your answer…"):
            use_cases.submit_answer(
                db,
                app_evaluator(),
                app_interviewer(),
                CandidatePrincipal(view.id),
                view.id,
                q.id,
                text=text,
                code=code,
                token=token,
                now=utcnow(),
            )
        st.rerun()
    if view.allow_skip and c2.button("Skip for now", key=f"skip_{q.id}"):
        flow.skip(db, view.id, q.id, token=token, now=utcnow())
        st.rerun()


def _voice_answer(
    db: Database, view: flow.CandidateInterview, q: flow.CandidateQuestion, token: str
) -> None:
    """Answer by voice: the recording is stored with the response for the reviewers."""
    recorded = st.audio_input(
        "Or answer by voice (recorded for the reviewers)", key=f"audio_{q.id}"
    )
    if recorded is not None and st.session_state.get(f"audio_saved_{q.id}") != recorded.file_id:
        media.save_audio(
            db,
            app_settings().data_dir,
            view.id,
            q.id,
            audio=recorded.getvalue(),
            token=token,
            now=utcnow(),
        )
        st.session_state[f"audio_saved_{q.id}"] = recorded.file_id
    if q.audio_path or st.session_state.get(f"audio_saved_{q.id}"):
        st.caption(
            "Your spoken answer is saved. Spoken answers are not transcribed: the "
            "automatic score uses your typed answer; reviewers listen to the recording."
        )


def _chat_panel(
    db: Database, view: flow.CandidateInterview, q: flow.CandidateQuestion, token: str
) -> None:
    st.markdown("**Interviewer**")
    box = st.container(height=260)
    for entry in media.chat_history(db, view.id):
        with box.chat_message("assistant" if entry.role == "interviewer" else "user"):
            st.text(entry.content)
    asked = st.chat_input("Ask the interviewer a question", max_chars=2000)
    if asked:
        reply = use_cases.ask_interviewer(
            db,
            app_interviewer(),
            CandidatePrincipal(view.id),
            view.id,
            q.id,
            asked,
            token=token,
            now=utcnow(),
        )
        if reply.answered:
            st.rerun()
        st.caption(reply.reply)


def room(db: Database, settings: Settings, view: flow.CandidateInterview, token: str) -> None:
    q = view.current
    top = st.columns([3, 1])
    top[0].progress(
        view.answered / max(1, len(view.questions)),
        text=f"{view.answered} of {len(view.questions)} answered",
    )
    with top[1]:
        _clock(db, view.id)
    if q is None:
        st.success("You have answered every question.")
        if st.button("Finish the interview", type="primary"):
            finish(db, view.id, "all_answered")
        return
    if q.started_at is None:
        flow.mark_seen(db, view.id, q.id, token=token, now=utcnow())
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.subheader(f"Question {q.order} of {len(view.questions)}")
        st.caption(f"{label(q.question_type)} · about {q.expected_minutes} min")
        st.text(q.text)
        code = q.draft_code
        if q.question_type is QuestionType.CODING and q.coding_problem_ref:
            code = coding_panel(db, view, q, token)
        _answer_panel(db, view, q, token, code)
        skipped = [x for x in view.questions if x.status and x.status.value == "skipped"]
        if skipped:
            back = st.selectbox(
                "Go back to a skipped question",
                skipped,
                format_func=lambda x: f"Question {x.order}",
            )
            if st.button("Open it"):
                flow.go_to(db, view.id, back.order, token=token, now=utcnow())
                st.rerun()
    with right:
        _chat_panel(db, view, q, token)
    with st.expander("End the interview early"):
        sure = st.checkbox("I want to end now; unanswered questions score zero.")
        if st.button("End interview", disabled=not sure):
            finish(db, view.id, "ended_by_candidate")
