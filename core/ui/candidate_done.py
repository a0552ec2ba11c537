""" "Interview complete": the evaluation at once, the proctoring summary, camera released."""

from __future__ import annotations

import streamlit as st

from core.config import Settings
from core.db.engine import Database
from core.interview.grading import PROVISIONAL
from core.proctor.event_log import list_events, summarize
from core.proctor.warning_count import warnings_only
from core.review.bundle import load_review
from core.review.erasure import safe_path
from core.ui.candidate_welcome import proctor_key
from core.ui.format import label, md_escape, percent
from core.ui.proctor_widget import render_proctoring, stop_proctoring


def release_camera(
    settings: Settings, interview_id: int, enable_video: bool, enable_audio: bool
) -> None:
    """Stop detection and recording on the server and the stream in the browser."""
    if not enable_video:
        return
    stop_proctoring(proctor_key(interview_id))
    render_proctoring(
        interview_id, settings, key=proctor_key(interview_id), enable_audio=enable_audio
    )  # renders stopped: the browser releases it
    st.caption("Your camera and microphone have been turned off.")


def completion(db: Database, settings: Settings, interview_id: int, show_score: bool) -> None:
    st.success("Interview complete. Thank you!", icon=":material/task_alt:")
    bundle = load_review(db, interview_id)
    if bundle is None:
        return
    e = bundle.evaluation
    if e is None:
        st.info(
            "Your answers are saved. Your evaluation will be ready soon; the recruiter "
            "will be in touch."
        )
    else:
        if show_score:
            c1, c2 = st.columns(2)
            c1.metric("Overall", f"{e.overall_score:.1f} / 10")
            c2.metric("Score", percent(e.percentage))
            if e.traits:
                traits = " · ".join(f"{label(k)} {v:.1f}" for k, v in e.traits.items())
                st.caption(md_escape(traits))  # the evaluator's names
        st.text(e.overall_feedback)
        if any(q.evaluator.startswith(PROVISIONAL) for q in bundle.interview.questions):
            st.caption(
                "Some answers are still being graded by the AI model: this evaluation is "
                "updated when they are (reload the page to see it)."
            )
        for title, items in (
            ("Strengths", e.strengths),
            ("To work on", e.weaknesses),
            ("Recommendations", e.recommendations),
        ):
            if items:
                st.markdown(f"**{title}**")
                st.text("\n".join(f"• {i}" for i in items))
    events = warnings_only(list_events(db, interview_id))  # counted as Review and Analytics do
    st.markdown("**Proctoring summary**")
    if not events:
        st.text("No warnings were recorded.")
        return
    st.text(f"Warnings: {len(events)}")
    for summary in summarize(events):
        st.text(
            f"{label(summary.kind)}: {summary.count} time(s), "
            f"{summary.total_seconds:.0f} s in total"
        )
        thumbs = [ev for ev in events if ev.kind is summary.kind and ev.thumbnail_path][:4]
        cols = st.columns(4)
        for col, ev in zip(cols, thumbs, strict=False):
            thumb = safe_path(settings.data_dir, ev.thumbnail_path or "")
            full = safe_path(settings.data_dir, ev.snapshot_path or "")
            if thumb and thumb.is_file():
                col.image(str(thumb))
                if full and full.is_file():
                    with col.popover("Full size"):
                        st.image(str(full))
