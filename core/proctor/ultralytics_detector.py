"""YOLO through Ultralytics: a ``.pt`` checkpoint, an ``.onnx`` export or an OpenVINO folder.

Imports torch and ultralytics (about 4 s and 400 MB the first time); the onnxruntime backend is
the lean alternative. Weights are taken by absolute path only, so Ultralytics never downloads.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np

from core.proctor.detection import (
    RULE_CLASSES,
    Detection,
    DetectorError,
    DetectorInfo,
    check_frame,
)

logger = logging.getLogger(__name__)

DEFAULT_CONFIDENCE = 0.25
DEFAULT_IOU = 0.45


def _input_size_from_metadata(folder: Path) -> tuple[int, int] | None:
    meta = folder / "metadata.yaml"
    if not meta.is_file():
        return None
    import yaml

    imgsz = (yaml.safe_load(meta.read_text(encoding="utf-8")) or {}).get("imgsz")
    if isinstance(imgsz, list) and len(imgsz) == 2:
        return int(imgsz[0]), int(imgsz[1])
    return None


class UltralyticsDetector:
    """Ultralytics YOLO model. One instance per thread (its predictor keeps per-call state)."""

    def __init__(
        self,
        weights: str | Path,
        *,
        imgsz: int | tuple[int, int] | None = None,
        confidence: float = DEFAULT_CONFIDENCE,
        iou: float = DEFAULT_IOU,
    ) -> None:
        path = Path(weights)
        if not path.is_absolute():
            raise DetectorError(f"weights must be an absolute path, got {weights!s}")
        if not path.exists():
            raise DetectorError(f"weights not found: {path}")
        is_openvino = path.is_dir() and path.name.endswith("_openvino_model")
        if not (is_openvino or path.suffix in {".pt", ".onnx"}):
            raise DetectorError(f"{path}: expected a .pt, .onnx or *_openvino_model folder")
        if is_openvino:
            try:
                import openvino  # noqa: F401
            except ImportError as exc:
                raise DetectorError(
                    f"{path} is an OpenVINO model but the 'openvino' package is not installed"
                ) from exc
            if imgsz is None:
                imgsz = _input_size_from_metadata(path)
        try:
            from ultralytics import YOLO

            self._model: Any = YOLO(str(path), task="detect")
        except Exception as exc:  # ultralytics raises many types for a bad checkpoint
            raise DetectorError(f"cannot load {path} with Ultralytics: {exc}") from exc
        self._imgsz = imgsz or 640
        self._confidence = confidence
        self._iou = iou
        names = self._model.names
        self._names: dict[int, str] = dict(names) if isinstance(names, dict) else {}
        size = (self._imgsz, self._imgsz) if isinstance(self._imgsz, int) else tuple(self._imgsz)
        self._info = DetectorInfo(
            name="ultralytics",
            weights=str(path),
            input_size=(int(size[0]), int(size[1])),
            sees=RULE_CLASSES & frozenset(self._names.values()),
            notes="OpenVINO" if is_openvino else "",
        )

    @property
    def info(self) -> DetectorInfo:
        return self._info

    def detect(self, frame_bgr: np.ndarray) -> tuple[Detection, ...]:
        """Run the model on one frame (any size). Runs on the caller's thread."""
        frame = check_frame(frame_bgr)
        try:
            results = self._model.predict(
                frame, imgsz=self._imgsz, conf=self._confidence, iou=self._iou, verbose=False
            )
        except Exception as exc:  # surface as our own error; the caller reports it
            raise DetectorError(f"Ultralytics predict failed: {exc}") from exc
        boxes = results[0].boxes
        xyxy = boxes.xyxy.cpu().numpy()
        confs = boxes.conf.cpu().numpy()
        classes = boxes.cls.cpu().numpy().astype(int)
        return tuple(
            Detection(
                class_name=self._names.get(int(c), str(int(c))),
                confidence=float(s),
                x1=float(b[0]),
                y1=float(b[1]),
                x2=float(b[2]),
                y2=float(b[3]),
            )
            for b, s, c in zip(xyxy, confs, classes, strict=True)
        )
