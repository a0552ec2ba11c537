"""INT8 quantization of the shared yolo11n ONNX export: accuracy and agreement on val2017."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import cv2
import pytest

from core.proctor.detection import Detection, DetectorError
from core.proctor.onnx_detector import OnnxYoloDetector
from core.proctor.quantize import quantize_yolo_onnx
from core.proctor.rule_types import RuleConfig
from tests.support.detections import matched as _matched
from tests.support.detections import val_images as _val_images
from tests.support.shared import REPO_ROOT, shared_path

pytestmark = [pytest.mark.shared, pytest.mark.slow]


@pytest.fixture(scope="module")
def int8_model(tmp_path_factory: pytest.TempPathFactory, onnx_640x480: Path) -> Path:
    calibration = sorted(shared_path("proctor", "coco", "images", "train2017").glob("*.jpg"))
    destination = tmp_path_factory.mktemp("int8") / "yolo11n_480x640_int8.onnx"
    assert quantize_yolo_onnx(onnx_640x480, destination, calibration, max_images=48) == 48
    return destination


@pytest.fixture(scope="module")
def both(int8_model: Path, onnx_640x480: Path) -> dict[str, dict[str, list[Detection]]]:
    detectors = {"float": OnnxYoloDetector(onnx_640x480), "int8": OnnxYoloDetector(int8_model)}
    out: dict[str, dict[str, list[Detection]]] = {name: {} for name in detectors}
    for path in _val_images():
        image = cv2.imread(str(path))
        for name, detector in detectors.items():
            out[name][path.name] = list(detector.detect(image))
    return out


def test_int8_model_says_what_it_is(int8_model: Path) -> None:
    detector = OnnxYoloDetector(int8_model)
    assert detector.info.notes == "int8 QDQ, 48 images"
    assert detector.info.input_size == (480, 640)
    assert "cell phone" in detector.info.sees  # class names kept from the float model


def test_int8_agrees_with_the_float_model(both: dict) -> None:
    for a, b in (("int8", "float"), ("float", "int8")):
        confident = {k: [d for d in v if d.confidence >= 0.4] for k, v in both[a].items()}
        total = sum(len(v) for v in confident.values())
        matched = sum(_matched(v, both[b][k]) for k, v in confident.items())
        print(f"{a} boxes >= 0.4 found by {b}: {matched}/{total}")
        assert total > 150
        assert matched / total >= 0.95


def test_int8_person_count_accuracy(both: dict) -> None:
    truth = json.loads(shared_path("proctor", "coco", "gt_counts.json").read_text())
    threshold = RuleConfig().person_confidence
    hits = 0
    for image, found in both["int8"].items():
        counted = sum(1 for d in found if d.class_name == "person" and d.confidence >= threshold)
        hits += min(counted, 2) == min(truth[f"val2017/{image}"]["person"], 2)
    print(f"int8 person count accuracy: {hits / 64:.3f}")
    assert hits / 64 >= 0.9


def test_unreadable_calibration_images_are_refused(tmp_path: Path, onnx_640x480: Path) -> None:
    junk = tmp_path / "junk.jpg"
    junk.write_bytes(b"not an image")
    with pytest.raises(DetectorError, match="calibration images"):
        quantize_yolo_onnx(onnx_640x480, tmp_path / "out.onnx", [junk])
    assert not (tmp_path / "out.onnx").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--calibration", "/nonexistent"], "not a folder"),
        (["--calibration", "{tmp}", "--images", "0"], "at least 1"),
    ],
)
def test_cli_errors(tmp_path: Path, onnx_640x480: Path, args: list[str], message: str) -> None:
    argv = [a.replace("{tmp}", str(tmp_path)) for a in args]
    command = ["quantize", str(onnx_640x480), str(tmp_path / "o.onnx"), *argv]
    done = subprocess.run(
        [sys.executable, "-m", "core", *command],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert message in done.stderr


def test_images_that_do_not_decode_are_a_clear_error(tmp_path: Path, onnx_640x480: Path) -> None:
    truncated = tmp_path / "truncated.jpg"
    truncated.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 64)  # a JPEG header, then nothing
    with pytest.raises(DetectorError, match=r"calibration|quantization failed"):
        quantize_yolo_onnx(onnx_640x480, tmp_path / "out.onnx", [truncated])
    assert not (tmp_path / "out.onnx").exists()


def test_a_corrupt_model_is_a_clear_error_and_keeps_the_old_file(tmp_path: Path) -> None:
    corrupt = tmp_path / "corrupt.onnx"
    corrupt.write_bytes(b"\x08\x07garbage" * 100)
    destination = tmp_path / "int8.onnx"
    destination.write_bytes(b"previous good model")
    images = sorted(shared_path("proctor", "coco", "images", "train2017").glob("*.jpg"))[:2]
    with pytest.raises(DetectorError, match="quantization failed"):
        quantize_yolo_onnx(corrupt, destination, images)
    assert destination.read_bytes() == b"previous good model"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corrupt.onnx", "int8.onnx"]
