"""JPEG evidence for events: the worst frame with boxes drawn, full size and a thumbnail.

Files go under ``<data_dir>/snapshots/<interview_id>/``; callers store the paths relative to
the data dir. Runs on the detection worker thread (never on the video callback).

The evidence of a "could not tell" event can be a frame the detector refused (``check_frame``:
not H x W x 3 uint8). It is still written as the frame looks: ``as_bgr8`` turns float (0..1
or 0..255), 16-bit, grey and BGRA frames into 8-bit BGR first. Encoding them as they were
gave black (float 0..1) or white (16-bit) JPEGs. A frame narrower than the thumbnail is not
blown up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from core.proctor.detection import Detection

THUMBNAIL_WIDTH = 240
JPEG_QUALITY = 85
_COLOURS: dict[str, tuple[int, int, int]] = {
    "person": (80, 200, 80),
    "cell phone": (40, 40, 230),
    "book": (0, 160, 240),
    "laptop": (200, 120, 40),
}
_SAFE_KEY = re.compile(r"[^A-Za-z0-9_.-]+")


@dataclass(frozen=True)
class SnapshotPaths:
    """Both paths are relative to the data dir (``snapshots/<interview>/<key>.jpg``)."""

    full: str
    thumbnail: str


def draw_detections(
    frame_bgr: np.ndarray, detections: tuple[Detection, ...], *, copy: bool = True
) -> np.ndarray:
    """Boxes and labels on a frame (a copy unless ``copy=False``). Any frame size."""
    canvas = frame_bgr.copy() if copy else frame_bgr
    thickness = max(1, round(min(canvas.shape[:2]) / 240))
    for det in detections:
        colour = _COLOURS.get(det.class_name, (200, 200, 200))
        p1 = (round(det.x1), round(det.y1))
        p2 = (round(det.x2), round(det.y2))
        cv2.rectangle(canvas, p1, p2, colour, thickness)
        label = f"{det.class_name} {det.confidence:.2f}"
        cv2.putText(
            canvas,
            label,
            (p1[0] + 2, max(12, p1[1] - 4)),
            cv2.FONT_HERSHEY_SIMPLEX,
            0.4 * thickness,
            colour,
            thickness,
            cv2.LINE_AA,
        )
    return canvas


def as_bgr8(frame: np.ndarray) -> np.ndarray:
    """The frame as a contiguous H x W x 3 uint8 BGR image (a copy when it had to change)."""
    image = np.asarray(frame)
    if image.dtype == np.bool_:
        image = image.astype(np.uint8) * 255
    elif np.issubdtype(image.dtype, np.floating):
        values = np.nan_to_num(image.astype(np.float32), nan=0.0, posinf=255.0, neginf=0.0)
        scale = 255.0 if values.size and float(values.max()) <= 1.0 else 1.0
        image = np.clip(values * scale, 0, 255).astype(np.uint8)
    elif image.dtype == np.uint16:
        image = (image >> 8).astype(np.uint8)
    elif image.dtype != np.uint8:
        image = np.clip(image, 0, 255).astype(np.uint8)
    if image.ndim == 3 and image.shape[2] == 1:
        image = image[:, :, 0]
    if image.ndim == 2:
        image = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    elif image.ndim == 3 and image.shape[2] == 4:
        image = cv2.cvtColor(image, cv2.COLOR_BGRA2BGR)
    if image.ndim != 3 or image.shape[2] != 3 or min(image.shape[:2]) < 1:
        raise ValueError(f"not an image: shape {frame.shape} {frame.dtype}")
    return np.ascontiguousarray(image)


class SnapshotWriter:
    """Writes event snapshots for one interview."""

    def __init__(self, data_dir: Path, interview_id: int) -> None:
        self._data_dir = Path(data_dir)
        self._relative_dir = Path("snapshots") / str(int(interview_id))

    def write(
        self, key: str, frame_bgr: np.ndarray, detections: tuple[Detection, ...]
    ) -> SnapshotPaths:
        """Write (or overwrite) ``<key>.jpg`` and ``<key>.thumb.jpg``; return relative paths."""
        safe = _SAFE_KEY.sub("_", key)
        folder = self._data_dir / self._relative_dir
        folder.mkdir(parents=True, exist_ok=True)
        try:
            frame = as_bgr8(frame_bgr)
        except ValueError as exc:
            raise OSError(f"snapshot not written: {exc}") from exc  # the worker reports it
        annotated = draw_detections(frame, detections)
        height, width = annotated.shape[:2]
        thumb_w = min(THUMBNAIL_WIDTH, width)
        thumb_h = max(1, round(height * thumb_w / width))
        thumbnail = (
            cv2.resize(annotated, (thumb_w, thumb_h), interpolation=cv2.INTER_AREA)
            if thumb_w != width
            else annotated
        )
        full_rel = self._relative_dir / f"{safe}.jpg"
        thumb_rel = self._relative_dir / f"{safe}.thumb.jpg"
        params = [int(cv2.IMWRITE_JPEG_QUALITY), JPEG_QUALITY]
        for rel, image in ((full_rel, annotated), (thumb_rel, thumbnail)):
            ok, encoded = cv2.imencode(".jpg", image, params)
            if not ok:
                raise OSError(f"JPEG encoding failed for {rel}")
            target = self._data_dir / rel
            tmp = target.with_suffix(".tmp")
            tmp.write_bytes(encoded.tobytes())
            tmp.replace(target)  # readers never see a half-written file
        return SnapshotPaths(full=full_rel.as_posix(), thumbnail=thumb_rel.as_posix())
