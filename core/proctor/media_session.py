"""One media session per interview: the camera's video across reconnects, reloads and tabs.

Streamlit gives each tab (and each reload) its own session and streamlit-webrtc its own peer
connection, but the candidate has one camera and one interview. ``MediaSession`` is held per
interview in this process (``media_session_for``) and outlives them all:

- it sees every video frame (``frame_seen``) and judges gaps with ``ConnectionRules``: a short
  drop is a connection event (info), video missing past ``away_seconds`` is "camera lost";
- a watchdog thread ticks the rules, finalizes recorders whose video stalled (so every segment
  gets its trailer even when the browser vanished without closing the connection) and stores
  the events, also when no page is open;
- problems on our side become incidents: logged with an id for staff and stored as a
  SYSTEM_ISSUE event; the candidate sees only a calm message.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from typing import Protocol

from core.clock import Clock, SystemClock, WallAnchor
from core.db.uow import Tx
from core.domain import ProctorEventKind, Severity
from core.proctor.event_log import record_updates
from core.proctor.rule_types import EventPhase, EventUpdate, RuleEvent
from core.proctor.rules import ConnectionRules

logger = logging.getLogger(__name__)

TICK_SECONDS = 1.0
STALLED_AFTER_SECONDS = 1.0  # a watchdog tick this late: the process was starved (not counted)
STALL_SECONDS = 8.0  # a recorder without frames this long is finalized (its track is dead)
STATUS_CHECK_TICKS = 15  # how often the watchdog asks whether the interview still runs
RESTART_AFTER_SECONDS = 4.0  # an offer without a connection this long gets a new attempt
LONGEST_RESTART_AFTER_SECONDS = 20.0  # the wait grows per failed attempt up to this


class Finalizable(Protocol):
    """What the watchdog needs from a recorder (``SafeMediaRecorder``)."""

    @property
    def finished(self) -> bool: ...

    def seconds_since_frame(self, now: float) -> float | None: ...

    def finalize_soon(self) -> None: ...


class ConnectWatch:
    """When to ask the browser for a new connection attempt (one per page; script thread).

    On loopback or a LAN an answered offer connects within a second or two; an attempt still
    "connecting" after ``after`` seconds has failed (the browser would only notice when ICE
    gives up, 15–20 s later). Each further failed attempt waits ``after`` seconds longer (up
    to ``longest``), so a slow network is not restarted in a loop."""

    def __init__(
        self, after: float = RESTART_AFTER_SECONDS, longest: float = LONGEST_RESTART_AFTER_SECONDS
    ) -> None:
        self._after = after
        self._longest = longest
        self._since: float | None = None
        self.restarts = 0  # attempts asked for since video last played
        self.last_wait = 0.0  # how long the last restarted attempt had been connecting

    def limit(self) -> float:
        return min(self._after * (1 + self.restarts), self._longest)

    def observe(self, now: float, playing: bool, signalling: bool, wanted: bool) -> None:
        """Note what the browser reports: playing, connecting (an offer out) or neither."""
        if playing:
            self._since, self.restarts = None, 0
        elif not (wanted and signalling):
            self._since = None
        elif self._since is None:
            self._since = now

    def due(self, now: float, playing: bool, signalling: bool, wanted: bool) -> bool:
        """``observe``, then: is a new attempt due now? (Counts it when it is.)"""
        self.observe(now, playing, signalling, wanted)
        if self._since is None or now - self._since < self.limit():
            return False
        self.last_wait, self._since = now - self._since, None
        self.restarts += 1
        return True


class MediaSession:
    """Thread-safe. ``frame_seen`` is cheap (called for every frame on aiortc's thread)."""

    def __init__(
        self,
        interview_id: int,
        *,
        db: Tx,
        away_seconds: float,
        min_gap_seconds: float = 2.0,
        stall_seconds: float = STALL_SECONDS,
        clock: Clock | None = None,
        still_running: Callable[[], bool] | None = None,
        judging: bool = True,
    ) -> None:
        self.interview_id = interview_id
        self._db = db
        self._clock = clock or SystemClock()
        self._away, self._min_gap = away_seconds, min_gap_seconds
        self._rules = self._new_rules()
        self._judging = judging
        self._stall = stall_seconds
        self._still_running = still_running
        self._lock = threading.Lock()
        self._store_lock = threading.Lock()
        self._pending: list[EventUpdate] = []
        self._recorders: list[Finalizable] = []
        self._incidents: list[str] = []
        self._anchor = WallAnchor(self._clock)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._ticks = 0
        self.ended = False

    # Any thread ------------------------------------------------------------------------
    def frame_seen(self) -> None:
        now = self._clock.monotonic()
        with self._lock:
            self._queue(self._rules.frame(now))

    def judge_gaps(self) -> None:
        """From now on gaps in the video count (the interview has started). Before, during the
        camera check, the candidate may turn the camera on and off or leave the page: nothing
        is recorded against them. Video missing at this moment is judged from now on."""
        with self._lock:
            if self._judging:
                return
            had_video = self._rules.started
            self._judging, self._rules = True, self._new_rules()
            if had_video:
                self._rules.frame(self._clock.monotonic())

    def add_recorder(self, recorder: Finalizable) -> None:
        with self._lock:
            self._recorders.append(recorder)

    def missing_seconds(self) -> float:
        """How long the video has been missing (0 while it flows, before it starts, at end)."""
        with self._lock:
            return self._rules.missing_for(self._clock.monotonic())

    @property
    def had_video(self) -> bool:
        """Video arrived at least once in this session (from any tab)."""
        with self._lock:
            return self._rules.started

    @property
    def camera_away(self) -> bool:
        """Video has been missing longer than ``away_seconds`` (a "camera lost" warning runs)."""
        with self._lock:
            return self._rules.lost

    def reconnecting(self) -> bool:
        """Video stopped after it had started: the browser is (or should be) reconnecting."""
        return self.missing_seconds() >= self._rules.min_gap_seconds

    def incident(self, message: str, exc: BaseException | None = None) -> str:
        """Log a problem on our side for staff; return its id (never show ``message`` to the
        candidate: it may name files)."""
        incident_id = uuid.uuid4().hex[:10]
        logger.error(
            "proctoring incident %s (interview %s): %s",
            incident_id,
            self.interview_id,
            message,
            exc_info=exc,
        )
        now = self._clock.now()
        update = EventUpdate(
            key=f"incident-{incident_id}",
            kind=ProctorEventKind.SYSTEM_ISSUE,
            severity=Severity.INFO,
            phase=EventPhase.CLOSED,
            started_at=now,
            ended_at=now,
            peak_confidence=None,
            detail=f"incident {incident_id}: {message}"[:500],
            detector="system",
            snapshot_path=None,
            thumbnail_path=None,
        )
        with self._lock:
            self._pending.append(update)
            self._incidents.append(incident_id)
        return incident_id

    @property
    def incidents(self) -> tuple[str, ...]:
        with self._lock:
            return tuple(self._incidents)

    def start(self) -> None:
        """Start the watchdog thread (once)."""
        with self._lock:
            if self._thread is not None or self.ended:
                return
            self._thread = threading.Thread(
                target=self._run, name=f"media-session-{self.interview_id}", daemon=True
            )
            self._thread.start()

    def tick(self) -> int:
        """One watchdog pass: judge the gap, finalize stalled recorders, store events."""
        now = self._clock.monotonic()
        with self._lock:
            self._queue(self._rules.tick(now))
            stalled = [r for r in self._recorders if _stalled(r, now, self._stall)]
            self._recorders = [r for r in self._recorders if not r.finished]
        for recorder in stalled:
            logger.info("interview %s: finalizing a stalled recording", self.interview_id)
            recorder.finalize_soon()
        return self.store()

    def store(self) -> int:
        """Write queued events; on a database error keep them for the next pass."""
        with self._store_lock:
            with self._lock:
                updates, self._pending = self._pending, []
            if not updates:
                return 0
            try:
                record_updates(self._db, self.interview_id, updates)
            except Exception:  # kept and retried: nothing is lost
                logger.exception("interview %s: events not stored yet", self.interview_id)
                with self._lock:
                    self._pending = updates + self._pending
                return 0
            return len(updates)

    def end(self) -> None:
        """The interview's media is over: close an open warning, finalize recorders, store."""
        with self._lock:
            if self.ended:
                return
            self.ended = True
            self._queue(self._rules.end(self._clock.monotonic()))
            recorders, self._recorders = self._recorders, []
        self._stop.set()
        for recorder in recorders:
            if not recorder.finished:
                recorder.finalize_soon()
        self.store()

    # Internals ---------------------------------------------------------------------------
    def _new_rules(self) -> ConnectionRules:
        return ConnectionRules(
            away_seconds=self._away,
            min_gap_seconds=self._min_gap,
            key_prefix=f"{uuid.uuid4().hex[:8]}-",
        )

    def _queue(self, events: list[RuleEvent]) -> None:
        if not self._judging:
            return
        for event in events:
            self._pending.append(
                EventUpdate.from_rule(event, self._anchor.wall, detector="connection")
            )

    def server_stalled(self, seconds: float) -> None:
        """This process could not run for ``seconds`` (see ``ConnectionRules.server_stalled``)."""
        logger.warning(
            "interview %s: the server stalled for %.1f s: not counted as camera time",
            self.interview_id,
            seconds,
        )
        with self._lock:
            self._rules.server_stalled(self._clock.monotonic(), seconds)

    def _run(self) -> None:
        """The watchdog thread: a tick a second; a tick that comes late by more than
        ``STALLED_AFTER_SECONDS`` means the whole process was starved of CPU."""
        previous = self._clock.monotonic()
        while not self._stop.wait(TICK_SECONDS):
            try:
                now = self._clock.monotonic()
                late, previous = now - previous - TICK_SECONDS, now
                if late >= STALLED_AFTER_SECONDS:
                    self.server_stalled(late)
                self.tick()
                self._ticks += 1
                checking = self._still_running and self._ticks % STATUS_CHECK_TICKS == 0
                if checking and self._still_running is not None and not self._still_running():
                    self.end()
            except Exception:  # the watchdog must keep going
                logger.exception("media session watchdog of interview %s", self.interview_id)


def _stalled(recorder: Finalizable, now: float, limit: float) -> bool:
    if recorder.finished:
        return False
    silent = recorder.seconds_since_frame(now)
    return silent is not None and silent >= limit


_SESSIONS: dict[int, MediaSession] = {}
_SESSIONS_LOCK = threading.Lock()


def media_session_for(interview_id: int, factory: Callable[[], MediaSession]) -> MediaSession:
    """The live session of this interview in this process (made by ``factory`` if none)."""
    with _SESSIONS_LOCK:
        session = _SESSIONS.get(interview_id)
        if session is None or session.ended:
            session = factory()
            _SESSIONS[interview_id] = session
        return session


def end_media_session(interview_id: int) -> None:
    """End and forget the interview's session (at completion)."""
    with _SESSIONS_LOCK:
        session = _SESSIONS.pop(interview_id, None)
    if session is not None:
        session.end()
