"""The webrtc bridge driven with synthetic av.VideoFrames, a fake-free detector and a real DB."""

from __future__ import annotations

import time
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from core.clock import FixedClock
from core.config import Settings
from core.db.engine import Database
from core.domain import ProctorEventKind as K
from core.proctor.detection import Detector
from core.proctor.event_log import list_events, record_updates
from core.proctor.onnx_detector import OnnxYoloDetector
from core.proctor.rule_types import EventPhase
from core.ui.proctor_widget import drain_once
from core.ui.webrtc_bridge import ProctorBridge
from tests.support.proctor_events import update
from tests.support.shared import shared_path
from tests.support.video_replay import video_frames

pytestmark = [pytest.mark.shared]


def _gif_frames() -> list[np.ndarray]:
    path = shared_path("proctor", "video", "head-pose-face-detection-female-and-male.gif")
    return [image for _t, image in video_frames(path)]


def _drive(bridge: ProctorBridge, clock: FixedClock, images: list[np.ndarray], seconds: float):
    """Send frames at 30 fps of simulated time; return what the callback gave back."""
    returned = []
    for i in range(round(seconds * 30)):
        frame = av.VideoFrame.from_ndarray(images[i % len(images)], format="bgr24")
        frame.pts, frame.time_base = i * 3000, Fraction(1, 90000)
        returned.append((frame, bridge.video_frame_callback(frame)))
        clock.advance(1 / 30)
        if i % 15 == 0:
            time.sleep(0.08)  # let the worker keep up with the 2 Hz samples
    return returned


def _wait_analysed(bridge: ProctorBridge, count: int) -> None:
    deadline = time.monotonic() + 30
    while bridge.status(playing=True).frames_analysed < count and time.monotonic() < deadline:
        time.sleep(0.05)


def _bridge(settings: Settings, db: Database, interview_id: int, factory, **kw) -> ProctorBridge:
    return ProctorBridge(
        interview_id=interview_id,
        settings=settings,
        db=db,
        detector_factory=factory,
        clock=kw.pop("clock"),
        **kw,
    )


def test_two_people_reach_the_database_with_snapshots(
    settings: Settings, db: Database, interview_id: int, onnx_320: Path
) -> None:
    clock = FixedClock()
    bridge = _bridge(settings, db, interview_id, lambda: OnnxYoloDetector(onnx_320), clock=clock)
    returned = _drive(bridge, clock, _gif_frames(), seconds=4.0)
    assert all(out is sent for sent, out in returned)  # unannotated: the same frame, at once
    _wait_analysed(bridge, 6)
    bridge.stop_worker(timeout=10)
    record_updates(db, interview_id, bridge.drain_events())
    events = list_events(db, interview_id)
    assert [e.kind for e in events] == [K.MULTIPLE_PEOPLE]
    event = events[0]
    assert event.ended_at is not None and event.started_at < event.ended_at
    assert (settings.data_dir / event.snapshot_path).stat().st_size > 1000
    assert (settings.data_dir / event.thumbnail_path).stat().st_size > 500
    status = bridge.status(playing=False)
    assert status.frames_received == 120 and status.frames_sampled == 8
    assert status.detector is not None and status.detector.name == "onnxruntime"
    assert status.errors == ()


def test_annotated_frames_keep_timing_and_follow_size_changes(
    settings: Settings, db: Database, interview_id: int, onnx_320: Path
) -> None:
    clock = FixedClock()
    bridge = _bridge(
        settings, db, interview_id, lambda: OnnxYoloDetector(onnx_320), clock=clock, annotate=True
    )
    images = _gif_frames()
    _drive(bridge, clock, images, seconds=1.0)
    _wait_analysed(bridge, 1)
    smaller = [np.ascontiguousarray(img[::2, ::2]) for img in images]
    returned = _drive(bridge, clock, smaller, seconds=1.0)
    bridge.stop_worker(timeout=10)
    annotated = [(s, o) for s, o in returned if o is not s]
    assert annotated, "boxes were never drawn"
    for sent, out in annotated:
        assert (out.width, out.height, out.pts) == (sent.width, sent.height, sent.pts)


def test_a_broken_detector_is_shown_and_reported_as_could_not_tell(
    settings: Settings, db: Database, interview_id: int
) -> None:
    def broken() -> Detector:
        raise RuntimeError("weights corrupted")

    clock = FixedClock()
    bridge = _bridge(settings, db, interview_id, broken, clock=clock)
    _drive(bridge, clock, _gif_frames(), seconds=5.0)
    deadline = time.monotonic() + 10
    while len(bridge.events) == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    bridge.stop_worker(timeout=10)
    record_updates(db, interview_id, bridge.drain_events())
    assert {e.kind for e in list_events(db, interview_id)} == {K.COULD_NOT_TELL}
    assert any("weights corrupted" in e for e in bridge.status(playing=True).errors)


def test_a_callback_error_is_recorded_and_the_frame_still_returned(
    settings: Settings, db: Database, interview_id: int
) -> None:
    bridge = _bridge(settings, db, interview_id, None, clock=FixedClock())

    class NotAFrame:
        width, height = 640, 480

        def to_ndarray(self, format: str) -> np.ndarray:
            raise ValueError("decoder exploded")

    thing = NotAFrame()
    assert bridge.video_frame_callback(thing) is thing  # type: ignore[arg-type]
    assert any("decoder exploded" in e for e in bridge.status(playing=True).errors)


def test_events_kept_when_the_database_write_fails(
    settings: Settings, db: Database, interview_id: int
) -> None:
    bridge = _bridge(settings, db, interview_id, None, clock=FixedClock())
    bridge.events.put(update("k-1", K.PHONE, EventPhase.OPENED, start=0))
    unmigrated = Database(f"sqlite:///{settings.data_dir / 'empty.db'}")  # no tables
    assert drain_once(bridge, unmigrated) == 0
    unmigrated.dispose()
    assert bridge.status(playing=True).errors
    assert drain_once(bridge, db) == 1
    assert [e.key for e in list_events(db, interview_id)] == ["k-1"]


def test_end_of_stream_stores_the_closing_without_the_page(
    settings: Settings, db: Database, interview_id: int, onnx_320: Path
) -> None:
    clock = FixedClock()
    bridge = _bridge(settings, db, interview_id, lambda: OnnxYoloDetector(onnx_320), clock=clock)
    _drive(bridge, clock, _gif_frames(), seconds=4.0)
    _wait_analysed(bridge, 6)
    bridge.on_video_ended()  # what streamlit-webrtc calls on STOP; no page drains afterwards
    deadline = time.monotonic() + 30
    events = list_events(db, interview_id)
    while not (events and events[0].ended_at) and time.monotonic() < deadline:
        time.sleep(0.1)
        events = list_events(db, interview_id)
    assert [(e.kind, e.ended_at is not None) for e in events] == [(K.MULTIPLE_PEOPLE, True)]


def test_a_face_only_detector_never_reports_no_person(
    settings: Settings, db: Database, interview_id: int
) -> None:
    """The worker passes the detector's ``confirms_absence`` on: with the Haar fallback, a
    bright, detailed frame with no face is "could not tell", not "no person"."""
    from core.proctor.haar_detector import HaarFaceDetector

    noise = np.random.default_rng(7).integers(40, 220, size=(480, 640, 3), dtype=np.uint8)
    assert HaarFaceDetector().detect(noise) == ()
    clock = FixedClock()
    bridge = _bridge(settings, db, interview_id, HaarFaceDetector, clock=clock)
    _drive(bridge, clock, [noise], seconds=6.0)
    _wait_analysed(bridge, 10)
    bridge.stop_worker(timeout=10)
    record_updates(db, interview_id, bridge.drain_events())
    assert {e.kind for e in list_events(db, interview_id)} == {K.COULD_NOT_TELL}
