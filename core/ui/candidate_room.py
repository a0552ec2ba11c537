"""The interview room: question, answer, chat, camera and time — one rerun at a time.

Drafts are saved while the candidate types (``draft_keeper``: the browser commits the text box
after a short pause, without leaving it), on every rerun in which the text changed; time is
computed on the server. Buttons record what was pressed in ``on_click`` (before the page runs),
so a press is never lost to a rerun that another part of the page (the camera) asks for.
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
from core.ui.candidate_follow_up import follow_up_panel
from core.ui.candidate_voice import read_aloud, voice_answer, voice_message
from core.ui.draft_keeper import draft_keeper
from core.ui.format import label, md_escape
from core.ui.resources import app_evaluator, app_grading, app_interviewer, app_spoken_answers

logger = logging.getLogger(__name__)
FINISHED = "finished_interview_id"
_ACTION = "room_action"  # (action, question id or order), set by on_click, done once
_BASE = "answer_base_{qid}"  # the text this tab last loaded or saved for a question
_CHAT = "chat_pending"  # a chat message sent, not yet handled


def _press(action: str, target: int) -> None:
    st.session_state[_ACTION] = (action, target)


def _chat_sent() -> None:
    st.session_state[_CHAT] = st.session_state.get("chat_box")


def _open_selected() -> None:
    st.session_state[_ACTION] = ("open", st.session_state.get("back_to"))


def keep_unsaved_text(db: Database, view: flow.CandidateInterview, token: str) -> None:
    """Another tab took over: save what this tab typed since its last save, first."""
    for q in view.questions:
        base = st.session_state.get(_BASE.format(qid=q.id))
        local = st.session_state.get(f"answer_{q.id}")
        if base is None or local is None or local == base:
            continue
        try:
            flow.save_draft_of_replaced_tab(db, view.id, q.id, text=local, now=utcnow())
            st.session_state[_BASE.format(qid=q.id)] = local
            st.caption("What you typed here was saved.")
        except flow.FlowError as exc:  # e.g. already submitted in the other tab
            logger.info("draft of a replaced tab not saved: %s", exc)


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


@st.fragment(run_every=2)
def _watch_takeover(db: Database, interview_id: int, token: str) -> None:
    """Another tab took the interview over: run this page again at once, so it saves what
    was typed here, turns its camera off and says where the interview continues."""
    if not flow.owns_session(db, interview_id, token):
        st.rerun(scope="app")


def _save_typed_draft(db: Database, interview_id: int, qid: int, code: str, token: str) -> None:
    """Save the text the browser just committed, first thing in the rerun (a callback runs
    before the page): a reload right after typing reads the draft from a new session, which
    must not start before this save — on a busy server the page itself takes seconds."""
    text = st.session_state.get(f"answer_{qid}")
    if text is None or text == st.session_state.get(_BASE.format(qid=qid)):
        return
    try:
        flow.save_draft(db, interview_id, qid, text=text, code=code, token=token, now=utcnow())
    except flow.FlowError as exc:  # another tab took over: the page saves it as replaced
        logger.info("draft not saved from the callback: %s", exc)
        return
    st.session_state[_BASE.format(qid=qid)] = text


def _answer_panel(
    db: Database, view: flow.CandidateInterview, q: flow.CandidateQuestion, token: str, code: str
) -> None:
    key, base_key = f"answer_{q.id}", _BASE.format(qid=q.id)
    label_text = "Explain your approach" if code else "Your answer"
    base = st.session_state.get(base_key)
    local = st.session_state.get(key)
    if base is None or local is None or (local == base and q.draft_text != base):
        # First time here in this tab, or no unsaved change here and the saved text is newer
        # (another tab typed it): show the saved text.
        st.session_state[key] = st.session_state[base_key] = q.draft_text
    text = st.text_area(
        label_text,
        key=key,
        height=200 if code else 240,
        max_chars=flow.MAX_ANSWER_CHARS,
        on_change=_save_typed_draft,
        args=(db, view.id, q.id, code, token),
    )
    if text != st.session_state[base_key]:  # not saved by the callback (it failed): try again
        flow.save_draft(db, view.id, q.id, text=text, code=code, token=token, now=utcnow())
        st.session_state[base_key] = text
    # Always one line here: a note that comes and goes would move the buttons under the
    # pointer between mouse down and up, and the press would be lost.
    st.caption("Your draft is saved as you type.")
    if view.enable_audio:
        voice_answer(db, view, q, token)
    c1, c2 = st.columns(2)
    c1.button(
        "Submit answer",
        type="primary",
        key=f"submit_{q.id}",
        on_click=_press,
        args=("submit", q.id),
    )
    if view.allow_skip:
        c2.button("Skip for now", key=f"skip_{q.id}", on_click=_press, args=("skip", q.id))
    action = st.session_state.get(_ACTION)
    if action == ("submit", q.id):
        del st.session_state[_ACTION]
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
                spoken=app_spoken_answers() if view.enable_audio else None,
                grading=app_grading(),
            )
        st.rerun()
    if action == ("skip", q.id):
        del st.session_state[_ACTION]
        flow.skip(db, view.id, q.id, token=token, now=utcnow())
        st.rerun()


def _chat_panel(
    db: Database, view: flow.CandidateInterview, q: flow.CandidateQuestion, token: str
) -> None:
    st.markdown("**Interviewer**")
    box = st.container(height=260)
    for entry in media.chat_history(db, view.id):
        with box.chat_message("assistant" if entry.role == "interviewer" else "user"):
            st.text(entry.content)
    st.chat_input(
        "Ask the interviewer a question", max_chars=2000, key="chat_box", on_submit=_chat_sent
    )
    asked = st.session_state.pop(_CHAT, None)  # kept until handled, even across reruns
    if view.enable_audio and not asked:
        asked = voice_message(view, q)
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
        st.caption(md_escape(reply.reply))  # may repeat the question or the candidate's text


def room(db: Database, settings: Settings, view: flow.CandidateInterview, token: str) -> None:
    q = view.current
    top = st.columns([3, 1])
    skipped = [x for x in view.questions if x.status and x.status.value == "skipped"]
    progress = f"{view.answered} of {len(view.questions)} answered"
    top[0].progress(
        view.answered / max(1, len(view.questions)),
        text=progress + (f" · {len(skipped)} skipped" if skipped else ""),
    )
    with top[1]:
        _clock(db, view.id)
        _watch_takeover(db, view.id, token)
    draft_keeper()
    action = st.session_state.get(_ACTION)
    if action is not None and action[0] == "open":
        del st.session_state[_ACTION]
        if action[1] is not None:
            flow.go_to(db, view.id, int(action[1]), token=token, now=utcnow())
            st.rerun()
    pressed_for = action[1] if action is not None and action[0] in ("submit", "skip") else None
    if pressed_for is not None and (q is None or pressed_for != q.id):
        del st.session_state[_ACTION]  # pressed for a question that is no longer shown
    if action == ("finish", 0):
        del st.session_state[_ACTION]
        finish(db, view.id, "all_answered" if q is None else "ended_by_candidate")
    if view.follow_up is not None:  # asked after the last answer: before anything else
        asked_on = next(x for x in view.questions if x.id == view.follow_up.question_id)
        left, right = st.columns([3, 2], gap="large")
        with left:
            follow_up_panel(db, view, token)
        with right:
            _chat_panel(db, view, asked_on, token)
        return
    if q is None:
        if skipped:
            st.info(
                f"You have answered every question you did not skip ({len(skipped)} skipped). "
                "Go back to a skipped one, or finish: skipped questions score zero."
            )
            _back_to_skipped(skipped)
        else:
            st.success("You have answered every question.")
        st.button(
            "Finish the interview",
            type="primary",
            key="finish",
            on_click=_press,
            args=("finish", 0),
        )
        return
    if q.started_at is None:
        flow.mark_seen(db, view.id, q.id, token=token, now=utcnow())
    st.subheader(f"Question {q.order} of {len(view.questions)}")
    st.caption(f"{label(q.question_type)} · about {q.expected_minutes} min")
    st.text(q.text)
    if view.read_aloud:
        read_aloud(q.text)
    code = q.draft_code
    if q.question_type is QuestionType.CODING and q.coding_problem_ref:
        code = coding_panel(db, view, q, token)  # full width, above the answer and the chat
    left, right = st.columns([3, 2], gap="large")
    with left:
        _answer_panel(db, view, q, token, code)
        others = [x for x in skipped if x.id != q.id]
        if others:
            _back_to_skipped(others)
    with right:
        _chat_panel(db, view, q, token)
    with st.expander("End the interview early"):
        sure = st.checkbox("I want to end now; unanswered questions score zero.", key="end_sure")
        st.button(
            "End interview", disabled=not sure, key="end_now", on_click=_press, args=("finish", 0)
        )


def _back_to_skipped(skipped: list[flow.CandidateQuestion]) -> None:
    orders = [x.order for x in skipped]
    back = st.selectbox(
        "Go back to a skipped question",
        orders,
        format_func=lambda order: f"Question {order}",
        key="back_to",
    )
    if back is not None:
        st.button("Open it", key="open_skipped", on_click=_open_selected)
