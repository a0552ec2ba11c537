"""The candidate's arrival: welcome, consent, device check, accommodations, start."""

from __future__ import annotations

import streamlit as st

from core.config import Settings
from core.interview.flow import CandidateInterview
from core.ui.candidate_voice import mic_check
from core.ui.format import md_escape
from core.ui.proctor_widget import render_proctoring
from core.ui.system_status import candidate_capability_notes
from core.ui.webrtc_bridge import ProctorStatus

CONSENT = "consent"
_START = "start_pressed"


def proctor_key(interview_id: int) -> str:
    """One stable webrtc key per interview: the camera stays on from the check to the end."""
    return f"proctor-{interview_id}"


def consent_text(view: CandidateInterview, settings: Settings) -> str:
    media = "camera video and microphone audio" if view.enable_audio else "camera video"
    return (
        f"I agree that my {media} is recorded during this interview and analysed automatically "
        "to check that I work alone (for example: no phone, no other person in view). "
        f"Recordings and snapshots are kept for {settings.recording_retention_days} days and "
        f"then deleted; my answers and scores are kept by {settings.organisation_name}."
    )


def camera(
    view: CandidateInterview, settings: Settings, *, active: bool = True
) -> ProctorStatus | None:
    """The camera, always first in the sidebar: the same place in every step, so the stream
    keeps running from the device check to the end (a moved component would restart).

    Once it has worked, it starts by itself (on a reload or in a new tab) and comes back by
    itself after a dropped connection. ``active=False`` (another tab holds the
    interview) turns it off here without moving it."""
    if not view.enable_video:
        return None
    started = view.status.value != "scheduled"
    if not (started or st.session_state.get(CONSENT)):
        return None
    with st.sidebar:
        st.caption("Your camera")
        return render_proctoring(
            view.id,
            settings,
            key=proctor_key(view.id),
            enable_audio=view.enable_audio,
            active=active,
            judge_gaps=started,
        )


def welcome(view: CandidateInterview, settings: Settings, status: ProctorStatus | None) -> bool:
    """Render the welcome step; return True when the candidate presses Start."""
    minutes = round(view.duration_minutes * view.time_multiplier)
    st.subheader(md_escape(view.title))
    st.text(
        f"Company: {view.company or '—'}\nRole: {view.job_role or '—'}\n"
        f"Time: {minutes} minutes for {len(view.questions)} questions"
    )
    if view.time_multiplier != 1.0:
        st.info(
            f"Your recruiter has given you extra time (×{view.time_multiplier:g}): "
            f"{minutes} minutes instead of {view.duration_minutes}."
        )
    st.markdown("**What happens**")
    st.text(
        "• One question at a time, each with a suggested time; the overall time is shown.\n"
        "• Type your answer; you can ask the interviewer to clarify in the chat.\n"
        "• Coding questions have an editor: Run checks the examples, Submit the full tests.\n"
        "• Your work is saved as you type; if the page reloads, you continue where you were.\n"
        "• At the end you see your evaluation at once."
    )
    needs_camera = view.enable_video
    if needs_camera or view.enable_audio:
        agreed = st.checkbox(consent_text(view, settings), key=CONSENT)
    else:
        agreed = True
    camera_ok = True
    if needs_camera and agreed:
        st.markdown(
            "**Camera check** — press START under *Your camera* (left) and allow the camera "
            "in your browser. It then stays on until the end and comes back by itself if the "
            "connection drops."
        )
        camera_ok = status is not None and status.playing
        if (
            status is not None
            and status.playing
            and status.frames_analysed
            and not status.open_kinds
        ):
            st.success("We can see you. You're ready.", icon=":material/check_circle:")
        elif not camera_ok:
            st.caption("The camera is not on yet.")
    if needs_camera or view.enable_audio:
        candidate_capability_notes(settings, audio=view.enable_audio)
    if view.enable_audio and agreed:
        st.markdown("**Microphone check** — record a few words; you should see the level move.")
        mic_check(view.id, st.audio_input("Test your microphone (not stored)", key="mic_check"))
    disabled = not agreed or not camera_ok
    if disabled:
        st.caption(
            "Agree to the recording and turn on your camera to start."
            if needs_camera
            else "Agree to the recording to start."
        )
    # The press is kept in on_click (before the page runs): a rerun the camera asks for in the
    # same moment must not swallow it.
    st.button(
        "Start the interview",
        type="primary",
        disabled=disabled,
        key="start_interview",
        on_click=_pressed_start,
    )
    return bool(st.session_state.pop(_START, False)) and not disabled


def _pressed_start() -> None:
    st.session_state[_START] = True
