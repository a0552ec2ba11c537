"""The proctoring widget for the candidate's interview page.

``render_proctoring(interview_id, settings, key=..., enable_audio=...)`` shows the camera
(streamlit-webrtc), runs detection on a worker thread, records MP4, and drains warnings into
the database from a fragment that reruns every second on the script thread. Use ONE stable key
per interview session: the camera then stays on across reruns and questions.
``stop_proctoring(key)`` ends the stream and the detection at the end of the interview.
"""

from __future__ import annotations

import logging

import streamlit as st
from streamlit_webrtc import WebRtcMode, webrtc_streamer

from core.bootstrap import get_database
from core.config import Settings
from core.db.engine import Database
from core.domain import ProctorEventKind
from core.proctor.factory import rule_config
from core.proctor.rule_types import RuleConfig
from core.ui.webrtc_bridge import ProctorBridge, ProctorStatus

logger = logging.getLogger(__name__)

DRAIN_EVERY_SECONDS = 1.0
_BRIDGE = "proctor_bridge::{key}"
_STOPPED = "proctor_stopped::{key}"
_STORED = "proctor_stored::{key}"

CANDIDATE_NOTICES: dict[ProctorEventKind, str] = {
    ProctorEventKind.NO_PERSON: "We can't see you right now. Please stay in front of the camera.",
    ProctorEventKind.MULTIPLE_PEOPLE: "Someone else seems to be in view. Please be alone.",
    ProctorEventKind.PHONE: "A phone seems to be in view. Please put it away.",
    ProctorEventKind.BOOK: "A book seems to be in view. Please put it away.",
    ProctorEventKind.LAPTOP: "Another laptop seems to be in view. Please put it away.",
    ProctorEventKind.CAMERA_COVERED: "Your camera looks covered or very dark. Please check it.",
    ProctorEventKind.CAMERA_LOST: "We're not receiving video from your camera. Please check it.",
    ProctorEventKind.COULD_NOT_TELL: "Your video could not be checked just now. Is it well lit?",
}  # fmt: skip
_CANNOT_SEE_LABELS = {
    "person": "people",
    "cell phone": "phones",
    "book": "books",
    "laptop": "laptops",
}


def _bridge(
    key: str,
    interview_id: int,
    settings: Settings,
    db: Database,
    rules: RuleConfig | None,
    show_boxes: bool,
) -> ProctorBridge:
    name = _BRIDGE.format(key=key)
    bridge = st.session_state.get(name)
    if bridge is None or bridge.interview_id != interview_id:
        if bridge is not None:
            bridge.stop_worker()  # the key was reused for another interview
        bridge = ProctorBridge(
            interview_id=interview_id, settings=settings, db=db, rules=rules, annotate=show_boxes
        )
        st.session_state[name] = bridge
    return bridge


def render_proctoring(
    interview_id: int,
    settings: Settings,
    *,
    key: str,
    enable_audio: bool,
    record: bool = True,
    show_boxes: bool | None = None,
    rules: RuleConfig | None = None,
    db: Database | None = None,
) -> ProctorStatus:
    """Camera + detection + recording for one interview. Call on every rerun with the same key.

    ``show_boxes`` and ``rules`` default to the settings (``proctor_show_boxes``,
    ``proctor_*`` thresholds)."""
    database = db or get_database(settings)
    boxes = settings.proctor_show_boxes if show_boxes is None else show_boxes
    bridge = _bridge(key, interview_id, settings, database, rules or rule_config(settings), boxes)
    stopped = bool(st.session_state.get(_STOPPED.format(key=key)))
    ctx = webrtc_streamer(
        key=key,
        mode=WebRtcMode.SENDRECV,
        rtc_configuration={"iceServers": settings.ice_servers},
        media_stream_constraints={"video": True, "audio": enable_audio},
        video_frame_callback=bridge.video_frame_callback,
        on_video_ended=bridge.on_video_ended,
        in_recorder_factory=bridge.recorder_factory if record else None,
        async_processing=True,
        sendback_audio=False,  # the candidate must not hear themselves
        desired_playing_state=False if stopped else None,
        video_html_attrs={"autoPlay": True, "muted": True, "style": {"width": "100%"}},
    )
    playing = bool(ctx.state.playing)
    _drain_and_show(key, interview_id, playing)
    return bridge.status(playing=playing)


def proctor_status(key: str, *, playing: bool = True) -> ProctorStatus | None:
    """The current status of the session under ``key`` (None before the first render)."""
    bridge: ProctorBridge | None = st.session_state.get(_BRIDGE.format(key=key))
    return None if bridge is None else bridge.status(playing=playing)


def stop_proctoring(key: str) -> None:
    """End the stream and detection for this key (the recording is finished and registered)."""
    st.session_state[_STOPPED.format(key=key)] = True
    bridge: ProctorBridge | None = st.session_state.get(_BRIDGE.format(key=key))
    if bridge is not None:
        bridge.stop_worker()


def drain_once(bridge: ProctorBridge, db: Database) -> int:
    """Store queued warnings; on a database error keep them for the next try. Script thread."""
    return bridge.store_events(db)


@st.fragment(run_every=DRAIN_EVERY_SECONDS)
def _drain_and_show(key: str, interview_id: int, playing: bool) -> None:
    bridge: ProctorBridge | None = st.session_state.get(_BRIDGE.format(key=key))
    if bridge is None:
        return
    stored_key = _STORED.format(key=key)
    stored = drain_once(bridge, bridge.db)
    st.session_state[stored_key] = st.session_state.get(stored_key, 0) + stored
    status = bridge.status(playing=playing)
    for kind in sorted(status.open_kinds):
        st.info(CANDIDATE_NOTICES[kind], icon=":material/visibility:")
    if status.detector is not None:
        missing = sorted(_CANNOT_SEE_LABELS[c] for c in status.detector.cannot_see)
        note = f"Checks running ({status.detector.name})."
        if missing:
            note += " This detector cannot check for: " + ", ".join(missing) + "."
        if not status.detector.confirms_absence:
            note += " It sees faces only: when no face is visible it records 'could not tell'."
        st.caption(note)
    elif status.frames_received:
        st.caption("Starting the checks…")
    for message in status.errors:
        st.error(f"Proctoring problem: {message}", icon=":material/error:")
    if status.events_dropped:
        st.warning(f"{status.events_dropped} warning updates were dropped (queue full).")
