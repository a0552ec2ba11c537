"""Rendering one interview for review. Every user-written text is shown with st.text/st.code."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from core.coding.problems.catalog import get_problem
from core.domain import ProctorEventKind, ResponseStatus
from core.proctor.warning_count import is_warning
from core.review.bundle import ReviewBundle
from core.review.erasure import safe_path
from core.review.provenance import evaluator_lines
from core.review.timeline import build_timeline, interview_origin, timeline_figure
from core.ui.format import label, local_time, md_escape, percent, score
from core.ui.recording_player import recording_player


def header(bundle: ReviewBundle, zone: ZoneInfo) -> None:
    s, d = bundle.interview.summary, bundle.interview
    st.header(md_escape(f"{s.candidate_name} — {s.title}"))
    c = st.columns(5)
    c[0].metric("Status", label(s.status))
    c[1].metric("Score", percent(s.percentage))
    c[2].metric("Overall", score(bundle.evaluation.overall_score) if bundle.evaluation else "—")
    c[3].metric("Warnings", bundle.warning_count)  # core.proctor.warning_count's definition
    c[4].metric("Decision", label(bundle.decision) if bundle.decision else "—")
    minutes = ""
    if d.started_at and s.completed_at:
        minutes = f" · took {(s.completed_at - d.started_at).total_seconds() / 60:.0f} min"
    st.caption(
        md_escape(
            f"{s.job_title} · {s.company_name} · template: {s.template_title or '—'} · "
            f"{label(s.interview_type)}, {label(s.difficulty)} · scheduled "
            f"{local_time(s.scheduled_at, zone)} · started {local_time(d.started_at, zone)} · "
            f"completed {local_time(s.completed_at, zone)}{minutes}"
        )
    )


def overview(bundle: ReviewBundle, zone: ZoneInfo) -> None:
    e = bundle.evaluation
    if e is None:
        st.info("No overall evaluation yet (it is created when the interview completes).")
    else:
        st.text(e.overall_feedback or "(no overall feedback)")
        if e.traits:
            st.dataframe(
                pd.DataFrame([{"Trait": label(k), "Score": v} for k, v in e.traits.items()]),
                hide_index=True,
            )
        _evaluated_by(e.evaluator_versions, e.created_at, zone)
    d = bundle.interview
    for title, items in (
        ("Strengths", d.strengths),
        ("Weaknesses", d.weaknesses),
        ("Recommendations", d.recommendations),
    ):
        if items:
            st.markdown(f"**{title}**")
            st.text("\n".join(f"• {i}" for i in items))


def _evaluated_by(versions: dict[str, Any], first_at: datetime, zone: ZoneInfo) -> None:
    """Engine, model and prompt version per group of questions, and when: readable fields."""
    lines = evaluator_lines(versions)
    if not lines:
        st.caption(f"Evaluated {local_time(first_at, zone)} (the engine was not recorded).")
        return
    st.caption(f"Evaluated by (first evaluated {local_time(first_at, zone)}):")
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Engine": line.engine,
                    "Model": line.model or "—",
                    "Prompt version": line.prompt_version or "—",
                    "Questions": ", ".join(line.questions) or "all",
                }
                for line in lines
            ]
        ),
        hide_index=True,
    )


def questions(bundle: ReviewBundle, data_dir: Path) -> None:
    for q in bundle.interview.questions:
        override = f" → human {score(q.override_score)}" if q.override_score is not None else ""
        flag = " · needs review" if q.needs_review else ""
        skipped = q.status is ResponseStatus.SKIPPED
        scored = "skipped by the candidate" if skipped else f"AI {score(q.score)}"
        with st.expander(f"Q{q.order} · {label(q.question_type)} · {scored}{override}{flag}"):
            st.text(q.text)
            st.caption("Answer")
            spoken_only = "(nothing typed: the answer was spoken, see below)"
            st.text("(skipped: the candidate moved on without answering)" if skipped
                    else q.answer or (spoken_only if q.audio_path else "(no answer)"))  # fmt: skip
            if q.audio_path:
                audio = safe_path(data_dir, q.audio_path)
                if audio is not None and audio.is_file():
                    st.caption("Spoken answer")
                    st.audio(str(audio))
                else:
                    st.caption("The spoken answer's file is missing.")
                st.caption(md_escape(f"Transcript ({q.transcript_note})"))
                if q.transcript:
                    st.text(q.transcript)
            if q.code:
                st.code(q.code)
            if q.feedback:
                st.caption("AI feedback")
                st.text(q.feedback)
            if q.metrics:
                st.caption(
                    md_escape(" · ".join(f"{label(k)} {v:.1f}" for k, v in q.metrics.items()))
                )
            if q.evaluator:
                st.caption(md_escape(f"Engine: {q.evaluator} {q.prompt_version}".strip()))
            if q.evaluator.startswith("offline-provisional"):
                st.info(
                    "The AI model's grade is on its way: this is the offline engine's score "
                    "until it arrives (reload to see it)."
                )
            if q.override_score is not None:
                st.caption(
                    f"Human score {score(q.override_score)} (AI {score(q.score)}) — "
                    "the reviewer's reason:"
                )
                st.text(q.override_reason or "(no reason recorded)")


def transcript(bundle: ReviewBundle, zone: ZoneInfo) -> None:
    if not bundle.chat:
        st.info("No chat messages.")
        return
    for line in bundle.chat:
        with st.chat_message("assistant" if line.role.value == "interviewer" else "user"):
            st.caption(f"{label(line.role)} · {local_time(line.created_at, zone, False)}")
            st.text(line.content)


def _problem_statements(bundle: ReviewBundle) -> None:
    for q in bundle.interview.questions:
        if not q.coding_problem_ref:
            continue
        try:
            problem = get_problem(q.coding_problem_ref)
        except KeyError:
            ref = md_escape(repr(q.coding_problem_ref))
            st.warning(f"Q{q.order}: the coding problem {ref} is not in the bank.")
            continue
        with st.expander(f"Q{q.order} problem: {problem.title} ({problem.difficulty})"):
            st.markdown(problem.statement)  # our own problem bank's markdown, not user text


def code_history(bundle: ReviewBundle, zone: ZoneInfo) -> None:
    _problem_statements(bundle)
    if not bundle.submissions:
        st.info("No code was run or submitted.")
        return
    for s in bundle.submissions:
        title = (
            f"{local_time(s.at, zone, False)} · {label(s.kind)} · {s.language} · "
            f"{s.verdict or 'no verdict'} · {s.passed}/{s.total} tests"
        )
        with st.expander(title):  # our own words and the sandbox's verdict
            st.code(s.code, language=s.language.lower())
            if s.diff_from_previous:
                st.caption("Changes since the previous attempt")
                st.code(s.diff_from_previous, language="diff")


# Events without a picture: their detail says what happened (an incident's id and message).
_EXPLAINED = frozenset(
    {ProctorEventKind.SYSTEM_ISSUE, ProctorEventKind.CONNECTION, ProctorEventKind.CAMERA_LOST}
)


def warnings(bundle: ReviewBundle, data_dir: Path, zone: ZoneInfo) -> None:
    grouped = bundle.warnings_by_kind()
    if not grouped:
        st.success("No proctoring warnings were recorded.")
        return
    st.caption(
        f"{bundle.warning_count} warning(s). Events of severity info (could not tell) and "
        "connection drops are listed here but are not counted as warnings."
    )
    for kind, items in grouped.items():
        st.subheader(f"{label(kind)} ({len(items)})")
        if not any(is_warning(w.kind, w.severity) for w in items):
            st.caption("Not counted as a warning.")
        cols = st.columns(4)
        for i, w in enumerate(items):
            with cols[i % 4]:
                thumb = safe_path(data_dir, w.thumbnail_path or "") if w.thumbnail_path else None
                if thumb and thumb.is_file():
                    st.image(str(thumb), width="stretch")
                facts = [local_time(w.started_at, zone, False)]
                facts.append(f"{w.duration_seconds or 0:.0f} s")
                if w.peak_confidence is not None:
                    facts.append(f"peak {w.peak_confidence:.2f}")
                st.caption(" · ".join(facts))
                if w.kind in _EXPLAINED and w.detail:
                    st.text(w.detail)  # e.g. "incident 3f2a…: …" for staff to quote
                full = safe_path(data_dir, w.snapshot_path or "") if w.snapshot_path else None
                if full and full.is_file():
                    with st.popover("Full size"):
                        st.image(str(full))


def timeline_and_video(bundle: ReviewBundle, data_dir: Path) -> None:
    items = build_timeline(bundle)
    if not items:
        st.info("Nothing happened on the clock yet.")
        return
    event = st.plotly_chart(
        timeline_figure(items), on_select="rerun", selection_mode="points", key="timeline"
    )
    selection = event.get("selection") if event else None  # None when nothing is picked
    points: list[dict[str, Any]] = list(selection.get("points") or []) if selection else []
    labels = [
        f"{int(i.start_s // 60):02d}:{int(i.start_s % 60):02d} · {i.lane} · {i.label}"
        for i in items
    ]
    picked = st.selectbox("Jump to", range(len(items)), format_func=lambda k: labels[k])
    start_s = (
        float(points[0].get("customdata", items[picked].start_s))
        if points
        else items[picked].start_s
    )
    origin = interview_origin(bundle)
    recording_player(bundle, data_dir, origin + timedelta(seconds=start_s) if origin else None)
