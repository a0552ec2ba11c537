"""Zero-download fallback: OpenCV's bundled Haar frontal-face cascade (``alt2``).

It finds frontal faces only, so it can tell presence and head count and nothing else: no
phones, books or laptops. A face turned away, looking down or in poor light is missed, so its
info says ``confirms_absence=False``: the rules report "could not tell" when it sees no face,
never "no person". Each face is reported as a ``person`` with confidence 1.0 (the cascade gives
a yes/no, not a score).

Why ``alt2`` with ``minNeighbors=4``: on the shared ``book.mkv`` (one person reading) it finds
exactly one face in 106 of 109 frames (misses never longer than 2 frames), where the
``default`` cascade finds none in most frames and sometimes two (measured with OpenCV 4.14).
Needs OpenCV 4: OpenCV 5 removed ``cv2.CascadeClassifier`` and the cascade files.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from core.proctor.detection import PERSON, Detection, DetectorError, DetectorInfo, check_frame

CASCADE_FILE = "haarcascade_frontalface_alt2.xml"
MIN_NEIGHBORS = 4
ANALYSIS_WIDTH = 480  # frames are scaled down to this width first: faster, fewer false hits


class HaarFaceDetector:
    """Frontal faces as ``person`` detections. One instance per thread."""

    def __init__(self, *, min_face_fraction: float = 0.08) -> None:
        if not hasattr(cv2, "CascadeClassifier"):
            raise DetectorError(
                f"the Haar face detector needs OpenCV 4 (cv2.CascadeClassifier); OpenCV "
                f"{cv2.__version__} removed it. Configure YOLO weights "
                "(INTERVISTA_YOLO_WEIGHTS) to enable proctoring checks."
            )
        path = Path(getattr(cv2, "data", None).haarcascades) / CASCADE_FILE  # type: ignore[union-attr]
        cascade = cv2.CascadeClassifier(str(path))
        if cascade.empty():
            raise DetectorError(f"OpenCV's Haar cascade could not be loaded from {path}")
        self._cascade = cascade
        self._min_face_fraction = min_face_fraction
        self._info = DetectorInfo(
            name="haar",
            weights=str(path),
            input_size=None,
            sees=frozenset({PERSON}),
            notes=(
                "face detector only: counts frontal faces; cannot see phones, books or laptops; "
                "a face turned away or badly lit is not seen, so no face is 'could not tell'"
            ),
            confirms_absence=False,
        )

    @property
    def info(self) -> DetectorInfo:
        return self._info

    def detect(self, frame_bgr: np.ndarray) -> tuple[Detection, ...]:
        """Find frontal faces in one frame (any size). Runs on the caller's thread."""
        frame = check_frame(frame_bgr)
        height, width = frame.shape[:2]
        scale = min(1.0, ANALYSIS_WIDTH / width)
        small = (
            cv2.resize(frame, (round(width * scale), round(height * scale))) if scale < 1 else frame
        )
        grey = cv2.equalizeHist(cv2.cvtColor(small, cv2.COLOR_BGR2GRAY))
        side = max(24, round(min(grey.shape[:2]) * self._min_face_fraction))
        faces = self._cascade.detectMultiScale(
            grey, scaleFactor=1.1, minNeighbors=MIN_NEIGHBORS, minSize=(side, side)
        )
        return tuple(
            Detection(
                class_name=PERSON,
                confidence=1.0,
                x1=float(x) / scale,
                y1=float(y) / scale,
                x2=float(x + w) / scale,
                y2=float(y + h) / scale,
            )
            for (x, y, w, h) in (faces if len(faces) else ())
        )
