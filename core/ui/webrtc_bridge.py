"""The per-session bridge between streamlit-webrtc's threads and the Streamlit script.

It does not import streamlit, so it is tested (and benchmarked) with synthetic frames.
Threads: ``video_frame_callback``, ``on_video_ended`` and ``recorder_factory`` run on
streamlit-webrtc/aiortc threads and never block; the detection worker has its own thread;
``drain_events``/``status`` run on the script thread.
"""

from __future__ import annotations

import logging
import math
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

import av
import numpy as np

from core.clock import Clock, SystemClock
from core.config import Settings
from core.db.engine import Database
from core.domain import ProctorEventKind
from core.proctor.detection import Detection, Detector, DetectorInfo
from core.proctor.event_log import record_updates
from core.proctor.event_queue import BoundedEventQueue
from core.proctor.factory import build_detector
from core.proctor.media_session import MediaSession
from core.proctor.recorder import SafeMediaRecorder, recording_path
from core.proctor.recordings import RecordingView, register_recording
from core.proctor.rule_types import EventUpdate, RuleConfig
from core.proctor.snapshots import draw_detections
from core.proctor.worker import DetectionWorker

logger = logging.getLogger(__name__)

MAX_SHOWN_ERRORS = 5


@dataclass(frozen=True)
class ProctorStatus:
    """What the page can show: honest about what runs, what it cannot see, what failed."""

    playing: bool
    detector: DetectorInfo | None
    frames_received: int
    frames_sampled: int
    frames_analysed: int
    frame_size: tuple[int, int] | None  # (width, height) of the newest frame
    media_seconds: float  # span of frame timestamps received since the camera (re)started
    open_kinds: frozenset[ProctorEventKind]
    events_dropped: int
    errors: tuple[str, ...]  # for staff and logs only: may name files
    recordings: tuple[RecordingView, ...]
    incidents: tuple[str, ...] = ()  # ids of problems on our side (the candidate may see these)
    reconnecting: bool = False  # the video stopped and the browser is reconnecting
    camera_away: bool = False  # no video for longer than the interview allows ("camera lost")


class ProctorBridge:
    """Held in ``st.session_state``, one per interview session (stable widget key)."""

    def __init__(
        self,
        *,
        interview_id: int,
        settings: Settings,
        db: Database,
        rules: RuleConfig | None = None,
        annotate: bool = False,
        detector_factory: Callable[[], Detector] | None = None,
        clock: Clock | None = None,
        event_queue_size: int = 256,
        media: MediaSession | None = None,
    ) -> None:
        self.interview_id = interview_id
        self.media = media
        self._settings = settings
        self._db = db
        # With a media session, gaps in the video are judged across reconnects there; the
        # per-connection engine would call every short drop "camera lost".
        self._rules = (
            replace(rules or RuleConfig(), camera_lost_seconds=math.inf) if media else rules
        )
        self._annotate = annotate
        self._factory = detector_factory or (lambda: build_detector(settings))
        self._clock = clock or SystemClock()
        self._interval = 1.0 / settings.detection_rate_hz
        self.events: BoundedEventQueue[EventUpdate] = BoundedEventQueue(event_queue_size)
        self._lock = threading.Lock()
        self._store_lock = threading.Lock()
        self._worker: DetectionWorker | None = None
        self._last_sample = float("-inf")
        self._received = 0
        self._sampled = 0
        self._frame_size: tuple[int, int] | None = None
        self._media_span: tuple[float, float] | None = None  # first, last frame.time
        self._errors: deque[str] = deque(maxlen=MAX_SHOWN_ERRORS)
        self._recordings: list[RecordingView] = []
        self._detector_info: DetectorInfo | None = None
        self._retry: list[EventUpdate] = []  # drained but not yet stored (DB was down)
        self._incidents: deque[str] = deque(maxlen=MAX_SHOWN_ERRORS)
        self._reported_worker_error = ""

    @property
    def db(self) -> Database:
        return self._db

    # streamlit-webrtc threads ----------------------------------------------------------
    def video_frame_callback(self, frame: av.VideoFrame) -> av.VideoFrame:
        """Sample for detection and return at once (annotated if enabled). aiortc thread."""
        try:
            if self.media is not None:
                self.media.frame_seen()
            now = self._clock.monotonic()
            self._received += 1
            self._frame_size = (frame.width, frame.height)
            image: np.ndarray | None = None
            if now - self._last_sample >= self._interval:
                self._last_sample = now
                image = frame.to_ndarray(format="bgr24")
                self._sampled += 1
                self._ensure_worker().submit(image, now)
            if frame.time is not None:
                first = self._media_span[0] if self._media_span else frame.time
                self._media_span = (first, frame.time)
            if not self._annotate or self._worker is None:
                return frame
            detections, size = self._worker.last_result
            if not detections:
                return frame
            if image is None:
                image = frame.to_ndarray(format="bgr24")
            annotated = draw_detections(image, _rescale(detections, size, image.shape[:2]))
            out = av.VideoFrame.from_ndarray(annotated, format="bgr24")
            out.pts, out.time_base = frame.pts, frame.time_base
            return out
        except Exception as exc:  # streamlit-webrtc would swallow it: record and show it
            self._error(f"video callback failed: {exc}", exc)
            return frame

    def on_video_ended(self) -> None:
        """The camera track ended (STOP or the browser went away). aiortc thread.

        Detection stops and its last events (the closing of open warnings) are stored by a
        short-lived thread: the page that would drain them may already be gone.
        """
        self.stop_worker()
        threading.Thread(target=self._final_store, name="proctor-final-store", daemon=True).start()

    def _final_store(self) -> None:
        with self._lock:
            worker = self._worker
        if worker is not None:
            worker.stop(timeout=30)
        self.store_events()

    def recorder_factory(self) -> SafeMediaRecorder:
        """A new MP4 recorder per START. streamlit-webrtc thread."""

        def next_path() -> Path:  # a new segment when video comes back after a stall
            return recording_path(self._settings.data_dir, self.interview_id, self._clock.now())

        recorder = SafeMediaRecorder(
            next_path(),
            on_finished=self._register_recording,
            clock=self._clock,
            next_path=next_path,
        )
        if self.media is not None:
            self.media.add_recorder(recorder)  # its watchdog finalizes a stalled recording
        return recorder

    def _register_recording(self, path: Path, started_at: datetime) -> None:
        """Runs on the recorder's own thread after STOP: waits until the file decodes."""
        try:
            view = register_recording(
                self._db,
                data_dir=self._settings.data_dir,
                interview_id=self.interview_id,
                path=path,
                started_at=started_at,
            )
        except Exception as exc:  # shown on the page; the file stays on disk
            self._error(f"recording {path.name} not registered: {exc}", exc)
            return
        with self._lock:
            self._recordings.append(view)

    # Worker management -------------------------------------------------------------------
    def _ensure_worker(self) -> DetectionWorker:
        worker = self._worker
        if worker is not None and worker.running:
            return worker
        with self._lock:
            if self._worker is None or not self._worker.running:
                self._media_span = None  # a new camera session starts
                self._worker = DetectionWorker(
                    interview_id=self.interview_id,
                    detector_factory=self._factory,
                    data_dir=self._settings.data_dir,
                    events=self.events,
                    rules=self._rules,
                    clock=self._clock,
                )
                self._worker.start()
            return self._worker

    def stop_worker(self, timeout: float | None = None) -> None:
        """Stop detection (open events are closed and queued). Any thread."""
        with self._lock:
            worker = self._worker
        if worker is not None:
            worker.stop(timeout)

    def _error(self, message: str, exc: BaseException | None = None) -> None:
        """A problem on our side: an incident for staff (logged with an id and stored as a
        proctoring event); the candidate's page shows only a calm message."""
        if self.media is not None:
            self._incidents.append(self.media.incident(message, exc))
        else:
            logger.error("%s", message, exc_info=exc)
        self._errors.append(message)

    # Script thread -----------------------------------------------------------------------
    def drain_events(self) -> list[EventUpdate]:
        """Everything queued since the last drain, plus anything not stored last time."""
        pending, self._retry = self._retry, []
        return pending + self.events.drain()

    def store_events(self, db: Database | None = None) -> int:
        """Drain the queue into the database; on failure keep everything for the next try.

        Serialised by a lock so the page's fragment and the end-of-stream thread never store
        the same warning's opening and closing out of order. Returns how many were stored.
        """
        with self._store_lock:
            updates = self.drain_events()
            if not updates:
                return 0
            try:
                record_updates(db or self._db, self.interview_id, updates)
            except Exception as exc:  # kept, retried, shown: nothing is lost
                self.keep_for_retry(updates, str(exc))
                return 0
            return len(updates)

    def keep_for_retry(self, updates: list[EventUpdate], reason: str) -> None:
        """Storing failed: keep the updates (in order) for the next drain, and say why."""
        self._retry = updates + self._retry
        self._error(f"warnings not saved yet (will retry): {reason}")

    def status(self, *, playing: bool) -> ProctorStatus:
        worker = self._worker
        worker_status = worker.status() if worker is not None else None
        errors = list(self._errors)
        if worker_status is not None and worker_status.last_error:
            errors.append(worker_status.last_error)
            if self.media is not None and worker_status.last_error != self._reported_worker_error:
                self._reported_worker_error = worker_status.last_error
                self._incidents.append(self.media.incident(worker_status.last_error))
        if worker_status is not None and worker_status.detector is not None:
            self._detector_info = worker_status.detector
        with self._lock:
            recordings = tuple(self._recordings)
        return ProctorStatus(
            playing=playing,
            detector=self._detector_info,
            frames_received=self._received,
            frames_sampled=self._sampled,
            frames_analysed=worker_status.frames_analysed if worker_status else 0,
            frame_size=self._frame_size,
            media_seconds=(self._media_span[1] - self._media_span[0]) if self._media_span else 0.0,
            open_kinds=worker_status.open_kinds if worker_status else frozenset(),
            events_dropped=self.events.dropped,
            errors=tuple(dict.fromkeys(errors)),
            recordings=recordings,
            incidents=tuple(self._incidents),
            reconnecting=self.media.reconnecting() if self.media is not None else False,
            camera_away=self.media.camera_away if self.media is not None else False,
        )


def _rescale(
    detections: tuple[Detection, ...], source: tuple[int, int], target: tuple[int, ...]
) -> tuple[Detection, ...]:
    """Map boxes found in a (h, w) frame onto a frame of another size (size changes)."""
    if source == (target[0], target[1]) or 0 in source:
        return detections
    sy, sx = target[0] / source[0], target[1] / source[1]
    return tuple(
        Detection(d.class_name, d.confidence, d.x1 * sx, d.y1 * sy, d.x2 * sx, d.y2 * sy)
        for d in detections
    )
