"""Keeping one streamlit-webrtc connection alive across reruns, reloads and drops.

streamlit-webrtc (0.6x) was made for a page that starts and stops a stream; an interview needs
one that survives back-to-back reruns and reconnects by itself. Three of its behaviours froze
a reconnect until ICE gave up (15–20 s); each function here works around one, called by
``render_proctoring`` around ``webrtc_streamer`` on the script thread. They use the component's
private hooks (``_reset_context``, ``_last_rendered_run_count``, ``_sdp_answer_json``): pinned by
``requirements.txt`` and exercised by ``tests/e2e/test_media_session.py``.

``restart_if_stuck`` (from the widget's fragment) and ``restarting`` ask the browser for a new
attempt when one has been connecting too long (``ConnectWatch``).
"""

from __future__ import annotations

import logging
import time
import weakref

import streamlit as st
from streamlit_webrtc.component import (
    _reset_context,
    compile_state,
    generate_frontend_component_key,
)
from streamlit_webrtc.session_info import get_script_run_count, get_this_session_info

from core.proctor.media_session import ConnectWatch

logger = logging.getLogger(__name__)

_OFFER = "proctor_offer::{key}"  # (weakref to the server's peer, the browser offer it answered)
WANTED = "proctor_wanted::{key}"  # the desired_playing_state of the last full run
_CONNECTING = "proctor_connecting::{key}"  # ConnectWatch: how long the browser is connecting
_RESTART = "proctor_restart::{key}"  # monotonic time a new offer was asked for
RESTART_HOLD_SECONDS = 3.0  # how long the page says "off" to make the browser stop for a restart


def _offer_and_worker(key: str) -> tuple[str | None, object | None]:
    ctx = st.session_state.get(key)
    value = st.session_state.get(generate_frontend_component_key(key))
    offer = value.get("sdpOffer") if isinstance(value, dict) else None
    sdp = offer.get("sdp") if isinstance(offer, dict) else None
    return sdp, ctx._get_worker() if ctx is not None else None


def keep_context_across_runs(key: str) -> None:
    """streamlit-webrtc resets its context (stops the server's peer, forgets the answer) when
    the session's run counter moved on by more than one since the component last rendered —
    meant for a page left and come back to. But the counter is advanced when the event loop
    sends a run's "finished" message, which can come after the next run has started (back-
    to-back reruns: exactly while the browser connects). The reset then kills a healthy peer,
    a new one answers the same offer, and the browser (which already applied the first answer)
    hangs "connecting" until ICE gives up 15–20 s later. This component is rendered in every
    full run of its page, and a really remounted component says so itself (it reports neither
    playing nor signalling, and streamlit-webrtc then resets): skip that check."""
    ctx = st.session_state.get(key)
    if ctx is None or getattr(ctx, "_last_rendered_run_count", None) is None:
        return
    info = get_this_session_info()
    count = get_script_run_count(info) if info else None
    if count is not None and count > ctx._last_rendered_run_count + 1:
        logger.info("camera %s: run counter skipped ahead: keeping the peer", key)
    ctx._last_rendered_run_count = None


def drop_peer_of_an_old_offer(key: str) -> None:
    """When the browser reconnects at once (it stopped after a drop and started again before
    the server saw it stop), streamlit-webrtc keeps the dead server peer and never answers the
    new offer: the camera would hang "connecting". Drop that peer; a new one answers.

    The peer is remembered by a weak reference, not by ``id()``: a new peer often gets the
    address of the old one, and would then be taken for the old one and dropped right after
    it answered (the browser would hang "connecting" until ICE gives up, 15–20 s later)."""
    sdp, worker = _offer_and_worker(key)
    seen = st.session_state.get(_OFFER.format(key=key))
    if sdp and worker is not None and seen and seen[0]() is worker and seen[1] != sdp:
        logger.info("camera %s reconnected with a new offer: replacing the old peer", key)
        ctx = st.session_state[key]
        _reset_context(ctx)
        ctx._set_state(compile_state(st.session_state[generate_frontend_component_key(key)]))


def forget_applied_answer(key: str) -> None:
    """Once the browser plays, stop sending it the server's answer: after a drop it starts
    again at once and would apply that old answer to its new connection (which then cannot
    connect until its ICE gives up, 15–20 s later) instead of waiting for the new one."""
    ctx = st.session_state.get(key)
    if ctx is not None and ctx.state.playing and ctx._is_sdp_answer_sent and ctx._sdp_answer_json:
        ctx._sdp_answer_json = None


def remember_offer(key: str) -> None:
    sdp, worker = _offer_and_worker(key)
    seen = st.session_state.get(_OFFER.format(key=key))
    if sdp and worker is not None and (not seen or seen[0]() is not worker):
        st.session_state[_OFFER.format(key=key)] = (weakref.ref(worker), sdp)


def connect_watch(key: str) -> ConnectWatch:
    watch: ConnectWatch | None = st.session_state.get(_CONNECTING.format(key=key))
    if watch is None:
        watch = ConnectWatch()
        st.session_state[_CONNECTING.format(key=key)] = watch
    return watch


def restart_if_stuck(key: str) -> bool:
    """The browser has been connecting (an offer out, no video) too long: its attempt will
    not succeed (it applied an answer that does not fit, or its offer was never answered) and
    would only fail after ICE gives up, 15–20 s later. Ask for a new attempt now. Fragment."""
    ctx = st.session_state.get(key)
    wanted = st.session_state.get(WANTED.format(key=key)) is True
    if ctx is None or st.session_state.get(_RESTART.format(key=key)) is not None:
        return False
    watch = connect_watch(key)
    if not watch.due(time.monotonic(), ctx.state.playing, ctx.state.signalling, wanted):
        return False
    logger.info(
        "camera %s: connecting for %.1f s without video: restarting it (attempt %d)",
        key,
        watch.last_wait,
        watch.restarts,
    )
    st.session_state[_RESTART.format(key=key)] = time.monotonic()
    return True


def restarting(key: str, desired: bool | None) -> bool | None:
    """While a restart is asked for, say "off" until the browser has stopped (or for at most
    ``RESTART_HOLD_SECONDS``); then "on" again: the browser starts with a new offer."""
    name = _RESTART.format(key=key)
    asked = st.session_state.get(name)
    if asked is None:
        return desired
    ctx = st.session_state.get(key)
    idle = ctx is None or not (ctx.state.playing or ctx.state.signalling)
    if desired is not True or idle or time.monotonic() - asked > RESTART_HOLD_SECONDS:
        del st.session_state[name]
        return desired
    return False
