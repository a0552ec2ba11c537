"""The Review page's recording: the interview's segments as one video, gaps marked, share shown."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import streamlit as st

from core.proctor.joined import JoinedRecording, joined_recording
from core.review.bundle import ReviewBundle
from core.review.erasure import safe_path
from core.ui.format import md_escape


def _clock(seconds: float) -> str:
    seconds = max(0, round(seconds))
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def _load(bundle: ReviewBundle, data_dir: Path) -> JoinedRecording:
    return joined_recording(
        bundle.recordings,
        data_dir,
        bundle.interview.summary.id,
        started_at=bundle.interview.started_at,
        ended_at=bundle.interview.summary.completed_at,
    )


def recording_player(bundle: ReviewBundle, data_dir: Path, at: datetime | None) -> None:
    """One continuous video of the interview, started where ``at`` happened."""
    if not bundle.recordings:
        st.info("There is no recording for this interview.")
        return
    with st.spinner("Preparing the recording…"):
        joined = _load(bundle, data_dir)
    if not joined.segments:
        st.warning("The recording's files are missing (they may have been purged by retention).")
        return
    share = joined.share
    summary = f"Recorded: {_clock(joined.recorded_seconds)}"
    if share is not None and joined.span_seconds:
        summary += f" of {_clock(joined.span_seconds)} ({share:.0%} of the interview)"
    summary += f" in {len(joined.segments)} part(s)."
    if joined.complete:
        st.caption(summary)
    else:
        st.warning(f"The recording is incomplete. {summary}", icon=":material/videocam_off:")
    if joined.gaps:
        st.text(
            "\n".join(
                f"• at {_clock(g.video_at)} in the video: {g.seconds:.0f} s not recorded"
                for g in joined.gaps
            )
        )
    if joined.unreadable:
        st.caption(f"{len(joined.unreadable)} part(s) could not be read and are left out.")
    start = int(joined.video_position(at)) if at is not None else 0
    if joined.path is not None:
        path = safe_path(data_dir, joined.path)
        if path is not None and path.is_file():
            st.video(str(path), start_time=start)
            return
    if joined.note:
        st.caption(f"The parts are played one after another: {md_escape(joined.note)}.")
    for number, segment in enumerate(joined.segments, start=1):
        path = safe_path(data_dir, segment.path)
        if path is not None and path.is_file():
            st.caption(f"Part {number} · {_clock(segment.seconds)}")
            st.video(str(path))
