"""Detector backends on the shared COCO val2017 images: agreement and person-count accuracy."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from core.proctor.detection import Detection, DetectorError
from core.proctor.factory import build_detector_for
from core.proctor.onnx_detector import OnnxYoloDetector
from core.proctor.rule_types import RuleConfig
from tests.support.detections import matched as _matched
from tests.support.detections import val_images as _val_images
from tests.support.shared import REPO_ROOT, shared_path

pytestmark = [pytest.mark.shared, pytest.mark.slow]


@pytest.fixture(scope="module")
def detections(onnx_640x480: Path, torch_weights: Path) -> dict[str, dict[str, list[Detection]]]:
    backends = {
        "onnxruntime": build_detector_for("onnxruntime", str(onnx_640x480)),
        "ultralytics": build_detector_for("ultralytics", str(torch_weights)),
    }
    out: dict[str, dict[str, list[Detection]]] = {name: {} for name in backends}
    for image_path in _val_images():
        image = cv2.imread(str(image_path))
        for name, detector in backends.items():
            out[name][image_path.name] = list(detector.detect(image))
    return out


def test_ultralytics_and_onnxruntime_agree(detections: dict) -> None:
    """Confident boxes (>= 0.4) of each backend are found by the other (same class, IoU 0.5)."""
    for a, b in (("onnxruntime", "ultralytics"), ("ultralytics", "onnxruntime")):
        total = matched = 0
        for image, found in detections[a].items():
            confident = [d for d in found if d.confidence >= 0.4]
            total += len(confident)
            matched += _matched(confident, detections[b][image])
        print(f"{a} boxes >= 0.4 found by {b}: {matched}/{total} = {matched / total:.3f}")
        assert total > 150
        assert matched / total >= 0.95


def _bucket(n: int) -> int:
    return min(n, 2)


@pytest.mark.parametrize("backend", ["onnxruntime", "ultralytics"])
def test_person_count_accuracy_on_val2017(detections: dict, backend: str) -> None:
    truth = json.loads(shared_path("proctor", "coco", "gt_counts.json").read_text())
    threshold = RuleConfig().person_confidence
    hits = 0
    for image, found in detections[backend].items():
        counted = sum(1 for d in found if d.class_name == "person" and d.confidence >= threshold)
        hits += _bucket(counted) == _bucket(truth[f"val2017/{image}"]["person"])
    accuracy = hits / len(detections[backend])
    print(f"{backend}: person count 0/1/2+ accuracy on val2017 = {accuracy:.3f}")
    assert len(detections[backend]) == 64
    assert accuracy >= 0.9


def test_openvino_model_runs_through_ultralytics() -> None:
    pytest.importorskip("openvino", reason="the optional 'openvino' package is not installed")
    folder = shared_path("models", "yolo11n_int8_openvino_model")
    detector = build_detector_for("auto", str(folder))
    image = cv2.imread(str(_val_images()[0]))
    found = detector.detect(image)
    assert detector.info.name == "ultralytics" and detector.info.notes == "OpenVINO"
    assert any(d.class_name == "person" for d in found)


def test_onnx_backend_never_imports_torch(onnx_640x480: Path) -> None:
    code = (
        "import sys, numpy as np\n"
        "from core.proctor.factory import build_detector_for\n"
        f"d = build_detector_for('auto', {str(onnx_640x480)!r})\n"
        "d.detect(np.zeros((480, 640, 3), np.uint8))\n"
        "bad = [m for m in ('torch', 'ultralytics') if m in sys.modules]\n"
        "assert not bad, bad\n"
        "print(d.info.name)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "onnxruntime"


def test_frame_size_changes_are_handled(onnx_320: Path) -> None:
    detector = OnnxYoloDetector(onnx_320)
    image = cv2.imread(str(_val_images()[0]))
    for size in ((640, 480), (480, 360), (1280, 720), (300, 500)):
        resized = cv2.resize(image, size)
        for d in detector.detect(resized):
            assert 0 <= d.x1 <= d.x2 <= size[0] and 0 <= d.y1 <= d.y2 <= size[1]


@pytest.mark.parametrize("name", ["missing.onnx", "not-a-model.onnx", "relative"])
def test_bad_weights_get_a_clear_error(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    if name == "not-a-model.onnx":
        path.write_bytes(b"garbage")
    target = "yolo11n.onnx" if name == "relative" else str(path)
    with pytest.raises(DetectorError, match=r"absolute|not found|cannot load"):
        OnnxYoloDetector(target)


def test_detector_refuses_a_bad_frame(onnx_320: Path) -> None:
    with pytest.raises(DetectorError, match="H x W x 3"):
        OnnxYoloDetector(onnx_320).detect(np.zeros((10, 10), np.uint8))


def test_cli_detect_prints_one_json_line_per_image(onnx_640x480: Path, tmp_path: Path) -> None:
    images = [str(p) for p in _val_images()[:2]]
    missing = str(tmp_path / "missing.jpg")
    done = subprocess.run(
        [sys.executable, "-m", "core", "detect", *images, missing, "--weights", str(onnx_640x480)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert done.returncode == 1  # one image could not be read
    assert [line["image"] for line in lines] == [*images, missing]
    assert all(line["backend"] == "onnxruntime" for line in lines[:2])
    assert any(d["class_name"] == "person" for line in lines[:2] for d in line["detections"])
    assert "error" in lines[2]


@pytest.mark.parametrize("model_name", ["yolo11n_480x640.onnx", "yolo11n_320.onnx"])
def test_dfl_rewrite_keeps_the_shared_exports_outputs(model_name: str) -> None:
    import onnx
    import onnxruntime as ort

    from core.proctor.onnx_graph import rewrite_dfl_softmax

    path = shared_path("models", model_name)
    model = onnx.load(str(path))
    assert rewrite_dfl_softmax(model) == 1
    original = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    rewritten = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    _, _, height, width = original.get_inputs()[0].shape
    image = cv2.resize(cv2.imread(str(_val_images()[3])), (width, height))
    blob = np.ascontiguousarray(image[:, :, ::-1].transpose(2, 0, 1)[None], np.float32) / 255
    expected = original.run(None, {"images": blob})[0]
    np.testing.assert_allclose(rewritten.run(None, {"images": blob})[0], expected, atol=1e-4)


@pytest.mark.parametrize("threads", [1, 2])
def test_detector_threads_come_from_settings(onnx_640x480: Path, threads: int) -> None:
    from core.config import Settings
    from core.proctor.factory import build_detector

    settings = Settings(yolo_weights=str(onnx_640x480), proctor_detector_threads=threads)
    detector = build_detector(settings)
    assert isinstance(detector, OnnxYoloDetector)
    assert detector._session.get_session_options().intra_op_num_threads == threads
