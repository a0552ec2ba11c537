"""Small pure parts: backend choice, NMS, letterbox, queue, frame quality, snapshots."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from core.proctor.detection import Detection, DetectorError, check_frame
from core.proctor.event_queue import BoundedEventQueue
from core.proctor.factory import choose_backend
from core.proctor.frame_quality import measure_frame
from core.proctor.onnx_detector import letterbox, nms_class_aware
from core.proctor.snapshots import SnapshotWriter


@pytest.mark.parametrize(
    ("detector", "weights", "expected"),
    [
        ("auto", "", "haar"),
        ("auto", "/m/yolo11n.onnx", "onnxruntime"),
        ("auto", "/m/yolo11n.pt", "ultralytics"),
        ("auto", "/m/yolo11n_int8_openvino_model", "ultralytics"),
        ("onnxruntime", "/m/x.onnx", "onnxruntime"),
        ("haar", "", "haar"),
    ],
)
def test_choose_backend(detector: str, weights: str, expected: str) -> None:
    assert choose_backend(detector, weights) == expected


@pytest.mark.parametrize(
    ("detector", "weights", "message"),
    [
        ("auto", "/m/model.tflite", "expected a .pt"),
        ("onnxruntime", "", "needs INTERVISTA_YOLO_WEIGHTS"),
        ("tensorrt", "/m/x.onnx", "unknown detector"),
    ],
)
def test_choose_backend_refuses_bad_settings(detector: str, weights: str, message: str) -> None:
    with pytest.raises(DetectorError, match=message):
        choose_backend(detector, weights)


def test_nms_is_class_aware() -> None:
    boxes = np.array([[0, 0, 10, 10], [1, 1, 11, 11], [0, 0, 10, 10]], dtype=np.float32)
    scores = np.array([0.9, 0.8, 0.7], dtype=np.float32)
    classes = np.array([0, 0, 67])
    keep = nms_class_aware(boxes, scores, classes, 0.45)
    assert sorted(keep.tolist()) == [0, 2]  # same-class overlap removed, other class kept


@pytest.mark.parametrize("shape", [(480, 640), (360, 480), (720, 1280), (640, 480)])
def test_letterbox_fits_any_frame(shape: tuple[int, int]) -> None:
    frame = np.zeros((*shape, 3), dtype=np.uint8)
    padded, scale, (dx, dy) = letterbox(frame, (480, 640))
    assert padded.shape == (480, 640, 3)
    assert round(shape[1] * scale + 2 * dx) == 640
    assert round(shape[0] * scale + 2 * dy) == 480


def test_queue_drops_oldest_and_counts() -> None:
    queue: BoundedEventQueue[int] = BoundedEventQueue(3)
    for i in range(5):
        queue.put(i)
    assert queue.dropped == 2
    assert queue.drain() == [2, 3, 4]
    assert queue.drain() == []
    with pytest.raises(ValueError):
        BoundedEventQueue(0)


def test_frame_quality_tells_black_uniform_and_normal() -> None:
    black = measure_frame(np.zeros((480, 640, 3), dtype=np.uint8))
    grey = measure_frame(np.full((360, 480, 3), 128, dtype=np.uint8))
    halves = np.zeros((480, 640, 3), dtype=np.uint8)
    halves[:, 320:] = 255
    split = measure_frame(halves)
    assert black.brightness < 1 and black.contrast < 1
    assert grey.brightness == pytest.approx(128, abs=1) and grey.contrast < 1
    assert split.contrast > 100


@pytest.mark.parametrize(
    "bad",
    [np.zeros((480, 640), dtype=np.uint8), np.zeros((480, 640, 3), dtype=np.float32), "frame"],
)
def test_bad_frames_get_a_clear_error(bad: object) -> None:
    with pytest.raises(DetectorError, match="frame"):
        check_frame(bad)  # type: ignore[arg-type]


def test_snapshot_writer_writes_full_and_thumbnail(tmp_path: Path) -> None:
    frame = np.full((480, 640, 3), 90, dtype=np.uint8)
    paths = SnapshotWriter(tmp_path, 7).write(
        "abc-phone-1", frame, (Detection("cell phone", 0.8, 100, 100, 200, 300),)
    )
    assert paths.full == "snapshots/7/abc-phone-1.jpg"
    assert paths.thumbnail == "snapshots/7/abc-phone-1.thumb.jpg"
    full = cv2.imread(str(tmp_path / paths.full))
    thumb = cv2.imread(str(tmp_path / paths.thumbnail))
    assert full.shape == (480, 640, 3)
    assert thumb.shape[1] == 240
    assert not np.array_equal(full[100:300, 100], frame[100:300, 100])  # the box is drawn
    assert not list(tmp_path.rglob("*.tmp"))


def test_haar_fallback_is_honest_about_what_it_can_do() -> None:
    from core.proctor.factory import build_detector_for

    detector = build_detector_for("auto", "")
    assert detector.info.name == "haar"
    assert detector.info.cannot_see == {"cell phone", "book", "laptop"}
    assert detector.info.confirms_absence is False  # no face is not "nobody"
    assert detector.detect(np.zeros((480, 640, 3), np.uint8)) == ()


def test_rule_thresholds_come_from_settings() -> None:
    from core.config import Settings
    from core.proctor.factory import rule_config
    from core.proctor.rule_types import RuleConfig

    assert rule_config(Settings()) == RuleConfig()  # the settings' defaults are the engine's
    tuned = rule_config(
        Settings(
            proctor_phone_confidence=0.7,
            proctor_phone_seconds=2.5,
            proctor_detect_books=True,
            proctor_object_seconds=4.0,
            proctor_no_person_seconds=6.0,
        )
    )
    assert (tuned.phone_confidence, tuned.phone_seconds) == (0.7, 2.5)
    assert tuned.detect_books and not tuned.detect_laptops
    assert (tuned.book_seconds, tuned.laptop_seconds, tuned.no_person_seconds) == (4.0, 4.0, 6.0)


@pytest.mark.parametrize(
    ("name", "value"),
    [("proctor_phone_confidence", 1.5), ("proctor_no_person_seconds", -1)],
)
def test_bad_rule_settings_are_named(name: str, value: float) -> None:
    from pydantic import ValidationError

    from core.config import Settings

    with pytest.raises(ValidationError, match=name):
        Settings(**{name: value})
