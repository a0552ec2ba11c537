"""YOLO (COCO-80, 1x84xN output) on onnxruntime alone: no torch, no ultralytics.

Pre-processing follows Ultralytics: letterbox to the model's fixed input size (grey 114 pad,
centred), RGB, 0..1, CHW. Post-processing: best class per anchor, confidence filter, class-aware
NMS in numpy, boxes mapped back to the input frame's pixels.
"""

from __future__ import annotations

import ast
import logging
from pathlib import Path

import cv2
import numpy as np

from core.proctor.coco_names import COCO_NAMES
from core.proctor.detection import (
    RULE_CLASSES,
    Detection,
    DetectorError,
    DetectorInfo,
    check_frame,
)
from core.proctor.onnx_graph import load_for_onnxruntime

logger = logging.getLogger(__name__)

DEFAULT_CONFIDENCE = 0.25
DEFAULT_IOU = 0.45
MAX_DETECTIONS = 300
_INV_255 = np.float32(1 / 255)


def letterbox(
    frame: np.ndarray, size: tuple[int, int]
) -> tuple[np.ndarray, float, tuple[float, float]]:
    """Resize keeping aspect ratio and pad to ``size`` (h, w). Returns image, scale, (dx, dy)."""
    height, width = frame.shape[:2]
    target_h, target_w = size
    scale = min(target_h / height, target_w / width)
    new_w, new_h = round(width * scale), round(height * scale)
    resized = (
        cv2.resize(frame, (new_w, new_h), interpolation=cv2.INTER_LINEAR)
        if (new_w, new_h) != (width, height)
        else frame
    )
    dx, dy = (target_w - new_w) / 2, (target_h - new_h) / 2
    top, bottom = round(dy - 0.1), round(dy + 0.1)
    left, right = round(dx - 0.1), round(dx + 0.1)
    padded = cv2.copyMakeBorder(
        resized, top, bottom, left, right, cv2.BORDER_CONSTANT, value=(114, 114, 114)
    )
    return padded, scale, (left, top)


def nms_class_aware(
    boxes: np.ndarray, scores: np.ndarray, class_ids: np.ndarray, iou_threshold: float
) -> np.ndarray:
    """Indices kept by greedy NMS done separately per class (boxes are x1, y1, x2, y2)."""
    if len(boxes) == 0:
        return np.zeros(0, dtype=np.int64)
    # Offset boxes by class so boxes of different classes never overlap (Ultralytics' trick).
    offset = class_ids.astype(np.float32)[:, None] * 7680.0
    shifted = boxes + offset
    x1, y1, x2, y2 = shifted.T
    areas = np.clip(x2 - x1, 0, None) * np.clip(y2 - y1, 0, None)
    order = scores.argsort()[::-1]
    keep: list[int] = []
    while order.size > 0:
        i = int(order[0])
        keep.append(i)
        if len(keep) >= MAX_DETECTIONS:
            break
        rest = order[1:]
        w = np.clip(np.minimum(x2[i], x2[rest]) - np.maximum(x1[i], x1[rest]), 0, None)
        h = np.clip(np.minimum(y2[i], y2[rest]) - np.maximum(y1[i], y1[rest]), 0, None)
        inter = w * h
        iou = inter / (areas[i] + areas[rest] - inter + 1e-9)
        order = rest[iou <= iou_threshold]
    return np.asarray(keep, dtype=np.int64)


class OnnxYoloDetector:
    """A YOLO ONNX export with a static input (e.g. 1x3x480x640). One instance per thread."""

    def __init__(
        self,
        weights: str | Path,
        *,
        confidence: float = DEFAULT_CONFIDENCE,
        iou: float = DEFAULT_IOU,
        threads: int = 1,
    ) -> None:
        import onnxruntime as ort

        path = Path(weights)
        if not path.is_absolute():
            raise DetectorError(f"weights must be an absolute path, got {weights!s}")
        if not path.is_file():
            raise DetectorError(f"ONNX weights not found: {path}")
        options = ort.SessionOptions()
        options.intra_op_num_threads = max(1, threads)
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        try:
            self._session = ort.InferenceSession(
                load_for_onnxruntime(path), sess_options=options, providers=["CPUExecutionProvider"]
            )
        except Exception as exc:  # onnxruntime raises its own types for corrupt files
            raise DetectorError(f"cannot load ONNX model {path}: {exc}") from exc
        model_input = self._session.get_inputs()[0]
        self._input_name = model_input.name
        shape = model_input.shape
        if len(shape) != 4 or not all(isinstance(d, int) for d in shape[2:]):
            raise DetectorError(f"{path}: expected a static 1x3xHxW input, got {shape}")
        self._size = (int(shape[2]), int(shape[3]))
        self._blob = np.empty((1, 3, *self._size), dtype=np.float32)
        metadata = self._session.get_modelmeta().custom_metadata_map
        self._names = self._class_names(metadata.get("names"))
        self._confidence = confidence
        self._iou = iou
        self._info = DetectorInfo(
            name="onnxruntime",
            weights=str(path),
            input_size=self._size,
            sees=RULE_CLASSES & frozenset(self._names),
            notes=metadata.get("quantization", ""),  # set by core.proctor.quantize
        )

    @staticmethod
    def _class_names(raw: str | None) -> tuple[str, ...]:
        if raw:
            try:
                mapping = ast.literal_eval(raw)
                return tuple(mapping[i] for i in sorted(mapping))
            except (ValueError, SyntaxError, KeyError, TypeError):
                logger.warning("unreadable class names in model metadata; using COCO names")
        return COCO_NAMES

    @property
    def info(self) -> DetectorInfo:
        return self._info

    def detect(self, frame_bgr: np.ndarray) -> tuple[Detection, ...]:
        """Run the model on one frame (any size). Runs on the caller's thread."""
        frame = check_frame(frame_bgr)
        padded, scale, (dx, dy) = letterbox(frame, self._size)
        blob = self._blob  # reused: this instance belongs to one thread
        for channel in range(3):  # BGR planes into RGB order, scaled to 0..1, in one pass each
            np.multiply(padded[:, :, 2 - channel], _INV_255, out=blob[0, channel], casting="unsafe")
        output = self._session.run(None, {self._input_name: blob})[0]
        return self._decode(output, scale, dx, dy, frame.shape[1], frame.shape[0])

    def _decode(
        self, output: np.ndarray, scale: float, dx: float, dy: float, width: int, height: int
    ) -> tuple[Detection, ...]:
        raw = output[0]  # (4 + classes) x N: rows are contiguous, so reduce along them first
        best = raw[4:].max(axis=0)
        mask = best > self._confidence
        if not mask.any():
            return ()
        predictions = raw[:, mask].T  # the few candidates, N' x (4 + classes)
        class_ids = predictions[:, 4:].argmax(axis=1)
        scores = best[mask]
        cx, cy, w, h = predictions[:, 0], predictions[:, 1], predictions[:, 2], predictions[:, 3]
        boxes = np.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], axis=1)
        keep = nms_class_aware(boxes, scores, class_ids, self._iou)
        boxes = boxes[keep]
        boxes[:, [0, 2]] = np.clip((boxes[:, [0, 2]] - dx) / scale, 0, width)
        boxes[:, [1, 3]] = np.clip((boxes[:, [1, 3]] - dy) / scale, 0, height)
        return tuple(
            Detection(
                class_name=self._names[int(c)] if int(c) < len(self._names) else str(int(c)),
                confidence=float(s),
                x1=float(b[0]),
                y1=float(b[1]),
                x2=float(b[2]),
                y2=float(b[3]),
            )
            for b, s, c in zip(boxes, scores[keep], class_ids[keep], strict=True)
        )
