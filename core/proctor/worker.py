"""The detection worker: one thread per session that owns its own detector instance.

The video callback hands it the newest sampled frame (never waiting); the worker runs the
detector, the rule engine and the snapshot writer, and puts ``EventUpdate`` values on a bounded
queue that the page drains into the database.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.clock import Clock, SystemClock, WallAnchor
from core.domain import ProctorEventKind
from core.proctor.detection import Detection, Detector, DetectorInfo
from core.proctor.event_queue import BoundedEventQueue
from core.proctor.frame_quality import measure_frame
from core.proctor.rule_types import EventUpdate, Observation, RuleConfig, RuleEvent
from core.proctor.rules import RuleEngine
from core.proctor.snapshots import SnapshotWriter

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class WorkerStatus:
    running: bool
    detector: DetectorInfo | None
    frames_submitted: int
    frames_analysed: int
    frames_replaced: int  # sampled but superseded by a newer frame before analysis
    errors: int
    last_error: str
    open_kinds: frozenset[ProctorEventKind]


class DetectionWorker:
    """Owns a thread, a detector (built on that thread) and a rule engine for one session."""

    def __init__(
        self,
        *,
        interview_id: int,
        detector_factory: Callable[[], Detector],
        data_dir: Path,
        events: BoundedEventQueue[EventUpdate],
        rules: RuleConfig | None = None,
        clock: Clock | None = None,
        idle_tick_seconds: float = 0.5,
    ) -> None:
        self._factory = detector_factory
        self._events = events
        self._clock = clock or SystemClock()
        self._engine = RuleEngine(rules, key_prefix=f"{uuid.uuid4().hex[:8]}-")
        self._snapshots = SnapshotWriter(data_dir, interview_id)
        self._idle_tick = idle_tick_seconds
        self._cond = threading.Condition()
        self._pending: tuple[np.ndarray, float] | None = None  # (frame, captured at)
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"proctor-detect-{interview_id}", daemon=True
        )
        self._anchor = WallAnchor(self._clock)
        self._detector_info: DetectorInfo | None = None
        # One tuple, swapped atomically: detections and the (height, width) they refer to.
        self._last: tuple[tuple[Detection, ...], tuple[int, int]] = ((), (0, 0))
        self._submitted = self._analysed = self._replaced = self._errors = 0
        self._last_error = ""

    # Any thread ------------------------------------------------------------------------
    def start(self) -> None:
        self._thread.start()

    def submit(self, frame_bgr: np.ndarray, captured_at: float | None = None) -> None:
        """Offer the newest frame; never blocks (an unanalysed older frame is replaced).

        ``captured_at`` (the clock's monotonic seconds) dates the observation; events are
        timed by when frames were captured, not by when the worker got to them.
        """
        at = self._clock.monotonic() if captured_at is None else captured_at
        with self._cond:
            if self._pending is not None:
                self._replaced += 1
            self._pending = (frame_bgr, at)
            self._submitted += 1
            self._cond.notify()

    def stop(self, timeout: float | None = None) -> None:
        """Ask the thread to close open events and exit; waits up to ``timeout`` seconds."""
        self._stop.set()
        with self._cond:
            self._cond.notify()
        if timeout is not None and self._thread.is_alive():
            self._thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread.is_alive() and not self._stop.is_set()

    @property
    def last_result(self) -> tuple[tuple[Detection, ...], tuple[int, int]]:
        """The newest detections and the (height, width) of the frame they were found in."""
        return self._last

    def status(self) -> WorkerStatus:
        return WorkerStatus(
            running=self.running,
            detector=self._detector_info,
            frames_submitted=self._submitted,
            frames_analysed=self._analysed,
            frames_replaced=self._replaced,
            errors=self._errors,
            last_error=self._last_error,
            open_kinds=self._engine.open_kinds,
        )

    # Worker thread ---------------------------------------------------------------------
    def _run(self) -> None:
        detector: Detector | None = None
        load_error = ""
        try:
            detector = self._factory()
            self._detector_info = detector.info
        except Exception as exc:  # shown to the page; events say "could not tell"
            load_error = f"detector could not start: {exc}"
            self._record_error(load_error, exc)
        try:
            while not self._stop.is_set():
                with self._cond:
                    if self._pending is None:
                        self._cond.wait(self._idle_tick)
                    pending, self._pending = self._pending, None
                if self._stop.is_set():
                    break
                if pending is None:
                    self._publish(self._engine.update(self._clock.monotonic(), None))
                else:
                    frame, captured_at = pending
                    observation = self._observe(detector, frame, load_error)
                    self._publish(self._engine.update(captured_at, observation))
        except Exception as exc:  # the worker must say it died, never vanish
            self._record_error(f"detection worker stopped: {exc}", exc)
        finally:
            self._publish(self._engine.close_all(self._clock.monotonic()))

    def _observe(
        self, detector: Detector | None, frame: np.ndarray, load_error: str
    ) -> Observation:
        quality = measure_frame(frame)
        if detector is None:
            return Observation(None, quality, frame, load_error)
        try:
            detections = detector.detect(frame)
        except Exception as exc:  # one bad frame: reported as "could not tell"
            self._record_error(f"detector failed on a frame: {exc}", exc)
            return Observation(None, quality, frame, str(exc))
        self._analysed += 1
        self._last = (detections, (frame.shape[0], frame.shape[1]))
        return Observation(detections, quality, frame, absence_known=detector.info.confirms_absence)

    def _record_error(self, message: str, exc: BaseException) -> None:
        self._errors += 1
        self._last_error = message
        logger.error("%s", message, exc_info=exc)

    def _publish(self, events: list[RuleEvent]) -> None:
        for event in events:
            snapshot = thumbnail = None
            if event.evidence is not None:
                try:
                    paths = self._snapshots.write(
                        event.key, event.evidence.frame, event.evidence.detections
                    )
                    snapshot, thumbnail = paths.full, paths.thumbnail
                except OSError as exc:
                    self._record_error(f"snapshot not written: {exc}", exc)
            self._events.put(
                EventUpdate.from_rule(
                    event,
                    self._anchor.wall,
                    detector=self._detector_info.name if self._detector_info else "none",
                    snapshot_path=snapshot,
                    thumbnail_path=thumbnail,
                )
            )
