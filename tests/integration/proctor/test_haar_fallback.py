"""The zero-download fallback (OpenCV's Haar face cascade) on the shared videos."""

from __future__ import annotations

import pytest

from core.domain import ProctorEventKind as K
from core.proctor.factory import build_detector_for
from core.proctor.haar_detector import HaarFaceDetector
from core.proctor.rule_types import EventPhase
from tests.support.shared import shared_path
from tests.support.video_replay import analyse, replay

pytestmark = [pytest.mark.shared, pytest.mark.slow]


@pytest.fixture(scope="module")
def haar() -> HaarFaceDetector:
    detector = build_detector_for("auto", "")  # no weights configured: the fallback
    assert isinstance(detector, HaarFaceDetector)
    return detector


@pytest.mark.parametrize("rate_hz", [None, 2.0], ids=["every-frame", "2Hz"])
def test_book_video_one_face_and_no_warning(haar: HaarFaceDetector, rate_hz: float | None) -> None:
    frames = analyse(shared_path("proctor", "video", "book.mkv"), haar)
    faces = [len(f.detections) for f in frames]
    assert len(faces) == 109
    assert sum(n == 1 for n in faces) >= 104, faces  # measured: 106 of 109
    assert max(faces) == 1  # never two heads for one person
    assert replay(frames, rate_hz=rate_hz, absence_known=False) == []


def test_seeing_no_face_is_could_not_tell_never_no_person(haar: HaarFaceDetector) -> None:
    # People in this video walk past side-on or far away: the cascade finds no frontal face,
    # whether somebody is there or not. That must not become "no person".
    path = shared_path("proctor", "video", "one-by-one-person-detection.mp4")
    frames = analyse(path, haar, every=5)  # 10 frames/s: 2 per second, as the app samples
    assert sum(len(f.detections) for f in frames) <= len(frames) // 20
    events = replay(frames, rate_hz=2.0, absence_known=haar.info.confirms_absence)
    kinds = {e.kind for e in events}
    assert kinds == {K.COULD_NOT_TELL}
    (opened, *_) = [e for e in events if e.phase is EventPhase.OPENED]
    assert "face" in opened.detail


def test_two_faces_at_the_start_of_the_two_person_gif(haar: HaarFaceDetector) -> None:
    path = shared_path("proctor", "video", "head-pose-face-detection-female-and-male.gif")
    frames = analyse(path, haar)
    assert len(frames[0].detections) == 2  # both faces frontal in the first frame
