"""What every detector returns, and the small Protocol every detector implements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

# COCO class names the proctoring rules look at.
PERSON = "person"
CELL_PHONE = "cell phone"
BOOK = "book"
LAPTOP = "laptop"
RULE_CLASSES: frozenset[str] = frozenset({PERSON, CELL_PHONE, BOOK, LAPTOP})


class DetectorError(RuntimeError):
    """A detector could not be built or could not analyse a frame; the message says why."""


@dataclass(frozen=True)
class Detection:
    """One object found in a frame. The box is in pixels of the frame that was analysed."""

    class_name: str
    confidence: float
    x1: float
    y1: float
    x2: float
    y2: float

    @property
    def area(self) -> float:
        return max(0.0, self.x2 - self.x1) * max(0.0, self.y2 - self.y1)

    def to_dict(self) -> dict[str, object]:
        return {
            "class_name": self.class_name,
            "confidence": round(self.confidence, 4),
            "box": [round(v, 1) for v in (self.x1, self.y1, self.x2, self.y2)],
        }


@dataclass(frozen=True)
class DetectorInfo:
    """Which detector runs, on which weights, and what it can and cannot see.

    ``sees`` lists the rule classes it can detect; everything in RULE_CLASSES it does not see
    is something the UI must say it could not check. ``confirms_absence`` says whether finding
    no person means nobody is there (YOLO) or only that none was seen (a face detector).
    """

    name: str
    weights: str
    input_size: tuple[int, int] | None  # (height, width) the model runs at, if fixed
    sees: frozenset[str]
    notes: str = ""
    # False for a face detector: finding no face does not mean nobody is there (a turned head).
    confirms_absence: bool = True

    @property
    def cannot_see(self) -> frozenset[str]:
        return RULE_CLASSES - self.sees


class Detector(Protocol):
    """Finds objects in one BGR uint8 frame (H x W x 3). Not thread-safe: one per thread."""

    @property
    def info(self) -> DetectorInfo: ...

    def detect(self, frame_bgr: np.ndarray) -> tuple[Detection, ...]: ...


def check_frame(frame_bgr: np.ndarray) -> np.ndarray:
    """Return the frame if it is a usable H x W x 3 uint8 image, else raise DetectorError."""
    if not isinstance(frame_bgr, np.ndarray):
        raise DetectorError(f"frame must be a numpy array, got {type(frame_bgr).__name__}")
    if frame_bgr.ndim != 3 or frame_bgr.shape[2] != 3 or frame_bgr.dtype != np.uint8:
        raise DetectorError(
            f"frame must be H x W x 3 uint8 (BGR), got shape {frame_bgr.shape} {frame_bgr.dtype}"
        )
    if frame_bgr.shape[0] < 8 or frame_bgr.shape[1] < 8:
        raise DetectorError(
            f"frame too small to analyse: {frame_bgr.shape[1]}x{frame_bgr.shape[0]}"
        )
    return frame_bgr
