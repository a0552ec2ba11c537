"""Choose and build a detector from settings (``detector`` and ``yolo_weights``)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from core.config import Settings
from core.proctor.detection import Detector, DetectorError

Backend = Literal["ultralytics", "onnxruntime", "haar"]


def choose_backend(detector: str, yolo_weights: str) -> Backend:
    """Resolve "auto": onnxruntime for .onnx, ultralytics for .pt / OpenVINO, haar if none."""
    if detector in ("ultralytics", "onnxruntime", "haar"):
        if detector != "haar" and not yolo_weights:
            raise DetectorError(f"detector {detector!r} needs INTERVISTA_YOLO_WEIGHTS to be set")
        return detector  # type: ignore[return-value]
    if detector != "auto":
        raise DetectorError(f"unknown detector {detector!r}: auto, ultralytics, onnxruntime, haar")
    if not yolo_weights:
        return "haar"
    path = Path(yolo_weights)
    if path.suffix == ".onnx":
        return "onnxruntime"
    if path.suffix == ".pt" or path.name.endswith("_openvino_model"):
        return "ultralytics"
    raise DetectorError(f"{yolo_weights}: expected a .pt, .onnx or *_openvino_model folder")


def build_detector_for(backend: str, weights: str, *, threads: int = 1) -> Detector:
    """Build a fresh detector instance (call once per thread that will use it)."""
    chosen = choose_backend(backend, weights)
    if chosen == "onnxruntime":
        from core.proctor.onnx_detector import OnnxYoloDetector

        return OnnxYoloDetector(weights, threads=threads)
    if chosen == "ultralytics":
        from core.proctor.ultralytics_detector import UltralyticsDetector

        return UltralyticsDetector(weights)
    from core.proctor.haar_detector import HaarFaceDetector

    return HaarFaceDetector()


def build_detector(settings: Settings, *, threads: int = 1) -> Detector:
    """The detector the settings ask for; raises DetectorError with a clear message."""
    return build_detector_for(settings.detector, settings.yolo_weights, threads=threads)
