"""The proctoring widget for the candidate's interview page.

``render_proctoring(interview_id, settings, key=..., enable_audio=...)`` shows the camera
(streamlit-webrtc), runs detection on a worker thread, records MP4, and drains warnings into
the database from a fragment that reruns every second on the script thread. Use ONE stable key
per interview and call it at the same place on every rerun: the component is then never
re-mounted and the stream stays on across reruns and questions.

The candidate presses START once; from then on the page holds the camera on:
``desired_playing_state=True`` makes the browser start the camera by itself (on a reload, in a
new tab) and again after the connection dropped; the candidate sees a calm "reconnecting"
note meanwhile.
Gaps are judged per interview by ``MediaSession`` (core/proctor/media_session.py).
``stop_proctoring(key)`` ends the stream, the detection and the media session at the end.
"""

from __future__ import annotations

import time

import streamlit as st
from streamlit_webrtc import WebRtcMode, webrtc_streamer

from core.bootstrap import get_database
from core.config import Settings
from core.db.engine import Database
from core.domain import InterviewStatus, ProctorEventKind
from core.interview.view import load as load_interview
from core.proctor.factory import rule_config
from core.proctor.media_session import MediaSession, end_media_session, media_session_for
from core.proctor.rule_types import RuleConfig
from core.ui.webrtc_bridge import ProctorBridge, ProctorStatus
from core.ui.webrtc_reconnect import (
    WANTED,
    connect_watch,
    drop_peer_of_an_old_offer,
    forget_applied_answer,
    keep_context_across_runs,
    remember_offer,
    restart_if_stuck,
    restarting,
)

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
    ProctorEventKind.CONNECTION: "Reconnecting your camera…",
    ProctorEventKind.SYSTEM_ISSUE: "",
}  # fmt: skip
RECONNECTING = (
    "Reconnecting your camera… You can keep working: your answers are saved and the "
    "camera comes back by itself."
)
CAMERA_AWAY = (
    "We haven't received video from your camera for a while. Check that it is connected, not "
    "in use by another app, and allowed for this site (the camera icon in the address bar). "
    "The page reconnects by itself as soon as it can; reload it if nothing changes."
)
OUR_PROBLEM = (
    "Something on our side is not working as it should with the camera checks. It has been "
    "reported to the team (reference {ref}); you don't need to do anything — please carry on."
)
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
    media: MediaSession | None,
) -> ProctorBridge:
    name = _BRIDGE.format(key=key)
    bridge = st.session_state.get(name)
    if (
        bridge is None
        or bridge.interview_id != interview_id
        or (media is not None and bridge.media is not media)
    ):
        if bridge is not None:
            bridge.stop_worker()  # the key was reused for another interview
        bridge = ProctorBridge(
            interview_id=interview_id,
            settings=settings,
            db=db,
            rules=rules,
            annotate=show_boxes,
            media=media,
        )
        st.session_state[name] = bridge
    return bridge


def _media_session(interview_id: int, settings: Settings, db: Database) -> MediaSession:
    def still_running() -> bool:
        status = load_interview(db, interview_id).status
        return status in (InterviewStatus.SCHEDULED, InterviewStatus.IN_PROGRESS)

    session = media_session_for(
        interview_id,
        lambda: MediaSession(
            interview_id,
            db=db,
            away_seconds=settings.proctor_camera_away_seconds,
            still_running=still_running,
            judging=False,  # until a page says the interview runs (``judge_gaps``)
        ),
    )
    session.start()
    return session


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
    active: bool = True,
    auto_start: bool = True,
    judge_gaps: bool = True,
) -> ProctorStatus:
    """Camera + detection + recording for one interview. Call on every rerun with the same key,
    at the same place in the page (whatever else changes): the stream then never restarts.

    ``active=False`` (another tab holds the interview) turns this tab's camera off without
    moving the component. ``judge_gaps=False`` (the camera check before the start): gaps in
    the video are not recorded yet. ``auto_start=False`` leaves START/STOP to the person.
    ``show_boxes`` and ``rules`` default to the settings (``proctor_show_boxes``,
    ``proctor_*`` thresholds)."""
    database = db or get_database(settings)
    boxes = settings.proctor_show_boxes if show_boxes is None else show_boxes
    stopped = bool(st.session_state.get(_STOPPED.format(key=key)))
    media = None if stopped else _media_session(interview_id, settings, database)
    if media is not None and judge_gaps:
        media.judge_gaps()
    bridge = _bridge(
        key, interview_id, settings, database, rules or rule_config(settings), boxes, media
    )
    keep_context_across_runs(key)
    drop_peer_of_an_old_offer(key)
    forget_applied_answer(key)
    desired = restarting(key, _desired(stopped, active, auto_start, media))
    st.session_state[WANTED.format(key=key)] = desired
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
        desired_playing_state=desired,
        media_toggle_controls=False,  # a muted camera would look like a covered one
        video_html_attrs={"autoPlay": True, "muted": True, "style": {"width": "100%"}},
    )
    remember_offer(key)
    watch = connect_watch(key)
    watch.observe(time.monotonic(), ctx.state.playing, ctx.state.signalling, desired is True)
    playing = bool(ctx.state.playing)
    _drain_and_show(key, interview_id, playing)
    return bridge.status(playing=playing)


def _desired(
    stopped: bool, active: bool, auto_start: bool, media: MediaSession | None
) -> bool | None:
    """False: off. True: the browser starts the camera by itself and again after a drop.
    None: the person presses START — the first time, until video has come through once: a
    browser that refuses the camera would otherwise be asked again and again in a loop."""
    if stopped or not active:
        return False
    if auto_start and media is not None and media.had_video:
        return True
    return None


def proctor_status(key: str, *, playing: bool = True) -> ProctorStatus | None:
    """The current status of the session under ``key`` (None before the first render)."""
    bridge: ProctorBridge | None = st.session_state.get(_BRIDGE.format(key=key))
    return None if bridge is None else bridge.status(playing=playing)


def stop_proctoring(key: str) -> None:
    """End the stream, detection and media session for this key (recordings are finalized
    and registered)."""
    st.session_state[_STOPPED.format(key=key)] = True
    bridge: ProctorBridge | None = st.session_state.get(_BRIDGE.format(key=key))
    if bridge is not None:
        bridge.stop_worker()
        end_media_session(bridge.interview_id)


def drain_once(bridge: ProctorBridge, db: Database) -> int:
    """Store queued warnings; on a database error keep them for the next try. Script thread."""
    return bridge.store_events(db)


@st.fragment(run_every=DRAIN_EVERY_SECONDS)
def _drain_and_show(key: str, interview_id: int, playing: bool) -> None:
    bridge: ProctorBridge | None = st.session_state.get(_BRIDGE.format(key=key))
    if bridge is None:
        return
    if restart_if_stuck(key):
        st.rerun(scope="app")  # the full run tells the browser to stop, then to start again
    stored_key = _STORED.format(key=key)
    stored = drain_once(bridge, bridge.db)
    if bridge.media is not None:
        stored += bridge.media.store()  # connection events and incidents (its watchdog too)
    st.session_state[stored_key] = st.session_state.get(stored_key, 0) + stored
    status = bridge.status(playing=playing)
    if status.camera_away:
        st.warning(CAMERA_AWAY, icon=":material/videocam_off:")
    elif status.reconnecting:
        st.info(RECONNECTING, icon=":material/sync:")
    for kind in sorted(status.open_kinds):
        if CANDIDATE_NOTICES.get(kind):
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
    if status.incidents:  # never the message itself: it is for staff and may name files
        st.info(OUR_PROBLEM.format(ref=status.incidents[-1]), icon=":material/support_agent:")
    elif status.errors:
        st.info(OUR_PROBLEM.format(ref="logged"), icon=":material/support_agent:")
