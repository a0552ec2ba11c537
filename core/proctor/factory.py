"""Choose and build a detector, and the rule thresholds, from settings."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from core.config import Settings
from core.models.service import default_yolo_weights
from core.proctor.detection import Detector, DetectorError
from core.proctor.rule_types import RuleConfig

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


def build_detector(settings: Settings, *, threads: int | None = None) -> Detector:
    """The detector the settings ask for; raises DetectorError with a clear message.
    ``threads``: default ``proctor_detector_threads``. Weights: ``yolo_weights``, else the
    verified YOLO in the models dir (core/models), else none (haar under ``auto``)."""
    count = settings.proctor_detector_threads if threads is None else threads
    return build_detector_for(settings.detector, default_yolo_weights(settings), threads=count)


def rule_config(settings: Settings) -> RuleConfig:
    """The rule engine's thresholds from the ``proctor_*`` settings (other values: defaults)."""
    return RuleConfig(
        person_confidence=settings.proctor_person_confidence,
        no_person_seconds=settings.proctor_no_person_seconds,
        multiple_people_seconds=settings.proctor_multiple_people_seconds,
        phone_confidence=settings.proctor_phone_confidence,
        phone_seconds=settings.proctor_phone_seconds,
        detect_books=settings.proctor_detect_books,
        book_confidence=settings.proctor_book_confidence,
        book_seconds=settings.proctor_object_seconds,
        detect_laptops=settings.proctor_detect_laptops,
        laptop_confidence=settings.proctor_laptop_confidence,
        laptop_seconds=settings.proctor_object_seconds,
        camera_lost_seconds=settings.proctor_camera_lost_seconds,
        cooldown_seconds=settings.proctor_cooldown_seconds,
    )
