"""The shared videos through onnxruntime yolo11n 480x640 and the default rules."""

from __future__ import annotations

import pytest

from core.domain import ProctorEventKind as K
from core.proctor.onnx_detector import OnnxYoloDetector
from core.proctor.rule_types import EventPhase
from tests.support.shared import shared_path
from tests.support.video_replay import AnalysedFrame, analyse, replay

pytestmark = [pytest.mark.shared, pytest.mark.slow]

# Where nobody is in frame in one-by-one-person-detection.mp4 (139.4 s), found by viewing
# extracted frames (a person is gone / fully in view) and confirmed per frame at 10 fps.
EMPTY_STRETCHES = [
    (0.0, 6.3),
    (19.6, 22.8),  # 3.2 s: just over the 3 s debounce
    (44.8, 50.6),
    (70.0, 74.5),
    (86.7, 92.6),
    (119.8, 123.5),
    (135.9, 139.3),
]
TOLERANCE = 0.6  # seconds: a person half out of frame at the edges of each stretch


@pytest.fixture(scope="module")
def detector() -> OnnxYoloDetector:
    return OnnxYoloDetector(shared_path("models", "yolo11n_480x640.onnx"))


@pytest.fixture(scope="module")
def one_by_one(detector: OnnxYoloDetector) -> list[AnalysedFrame]:
    return analyse(shared_path("proctor", "video", "one-by-one-person-detection.mp4"), detector)


def _closed(events: list) -> list:
    return [e for e in events if e.phase is EventPhase.CLOSED]


@pytest.mark.parametrize("rate_hz", [None, 2.0], ids=["every-frame", "2Hz"])
def test_book_video_gives_no_warning(detector: OnnxYoloDetector, rate_hz: float | None) -> None:
    frames = analyse(shared_path("proctor", "video", "book.mkv"), detector)
    phone_frames = [f for f in frames if any(d.class_name == "cell phone" for d in f.detections)]
    assert phone_frames, "the hands-as-phone false positive this test is about did not occur"
    assert replay(frames, rate_hz=rate_hz) == []


def test_two_people_gif_gives_multiple_people(detector: OnnxYoloDetector) -> None:
    path = shared_path("proctor", "video", "head-pose-face-detection-female-and-male.gif")
    events = replay(analyse(path, detector, keep_frames=True), rate_hz=2.0)
    (closed,) = _closed(events)
    assert closed.kind is K.MULTIPLE_PEOPLE
    assert closed.started_at == pytest.approx(0.0)
    assert closed.peak_confidence is not None and closed.peak_confidence > 0.8
    assert closed.evidence is not None and closed.evidence.frame.shape == (270, 480, 3)


def test_no_person_events_match_the_empty_stretches(one_by_one: list[AnalysedFrame]) -> None:
    closed = _closed(replay(one_by_one, rate_hz=None))
    assert {e.kind for e in closed} == {K.NO_PERSON}
    spans = [(e.started_at, e.ended_at) for e in closed]
    print("no-person events (s):", [(round(a, 1), round(b or 0, 1)) for a, b in spans])
    assert len(spans) == len(EMPTY_STRETCHES)
    for (start, end), (want_start, want_end) in zip(spans, EMPTY_STRETCHES, strict=True):
        assert start == pytest.approx(want_start, abs=TOLERANCE)
        assert end == pytest.approx(want_end, abs=TOLERANCE)


def test_at_two_hertz_the_long_stretches_are_found(one_by_one: list[AnalysedFrame]) -> None:
    """At the default 2 Hz only 2.5 s of the 3.2 s stretch is observed: below the debounce."""
    closed = _closed(replay(one_by_one, rate_hz=2.0))
    expected = [s for s in EMPTY_STRETCHES if s != (19.6, 22.8)]
    assert {e.kind for e in closed} == {K.NO_PERSON}
    assert len(closed) == len(expected)
    for event, (want_start, want_end) in zip(closed, expected, strict=True):
        assert event.started_at == pytest.approx(want_start, abs=TOLERANCE)
        assert event.ended_at == pytest.approx(want_end, abs=TOLERANCE)
