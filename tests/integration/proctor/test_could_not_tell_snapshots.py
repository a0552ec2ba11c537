"""The "could not tell" snapshots look like the camera's picture: a real photo through the detection
worker and the zero-download Haar detector, written and read back (issue 16 j).

A frame the detector refuses (not 8-bit BGR) is what "could not tell" records; it used to be
encoded as it was, giving a black (float 0..1) or white (16-bit) thumbnail.
"""

from __future__ import annotations

import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from core.clock import FixedClock
from core.domain import ProctorEventKind
from core.proctor.event_queue import BoundedEventQueue
from core.proctor.factory import build_detector_for
from core.proctor.rule_types import EventUpdate
from core.proctor.snapshots import THUMBNAIL_WIDTH, SnapshotWriter
from core.proctor.worker import DetectionWorker
from tests.support.shared import shared_path

pytestmark = [pytest.mark.shared]

NO_PERSON_PHOTO = ("proctor", "coco", "images", "val2017", "000000000632.jpg")


def _photo() -> np.ndarray:
    image = cv2.imread(str(shared_path(*NO_PERSON_PHOTO)), cv2.IMREAD_COLOR)
    assert image is not None and image.shape[2] == 3
    return image


def _run_worker(data_dir: Path, frame: np.ndarray, frames: int = 12) -> list[EventUpdate]:
    """Feed the same frame every 0.5 s of a fixed clock; wait for each to be looked at."""
    clock = FixedClock()
    events: BoundedEventQueue[EventUpdate] = BoundedEventQueue()
    worker = DetectionWorker(
        interview_id=7,
        detector_factory=lambda: build_detector_for("auto", ""),  # Haar: no weights needed
        data_dir=data_dir,
        events=events,
        clock=clock,
        idle_tick_seconds=0.05,
    )
    worker.start()
    try:
        for n in range(1, frames + 1):
            clock.advance(0.5)
            worker.submit(frame.copy(), clock.monotonic())
            deadline = time.monotonic() + 10
            while worker.status().frames_analysed + worker.status().errors < n:
                assert time.monotonic() < deadline, worker.status()
                time.sleep(0.005)
    finally:
        worker.stop(timeout=10)
    return events.drain()


def _thumbnail_of(data_dir: Path, updates: list[EventUpdate]) -> np.ndarray:
    closed = [u for u in updates if u.kind is ProctorEventKind.COULD_NOT_TELL and u.ended_at]
    assert closed and closed[-1].thumbnail_path, updates
    thumb = cv2.imread(str(data_dir / closed[-1].thumbnail_path), cv2.IMREAD_UNCHANGED)
    assert thumb is not None
    return thumb


def _looks_like(thumb: np.ndarray, photo: np.ndarray) -> float:
    """Mean absolute difference (0..255) from the photo scaled the same way, in BGR order."""
    assert thumb.ndim == 3 and thumb.shape[2] == 3 and thumb.dtype == np.uint8
    expected = cv2.resize(photo, (thumb.shape[1], thumb.shape[0]), interpolation=cv2.INTER_AREA)
    return float(np.abs(thumb.astype(np.int16) - expected.astype(np.int16)).mean())


def test_a_photo_with_no_face_makes_a_true_colour_thumbnail(tmp_path: Path) -> None:
    photo = _photo()
    thumb = _thumbnail_of(tmp_path, _run_worker(tmp_path, photo))
    assert thumb.shape[1] == THUMBNAIL_WIDTH
    assert _looks_like(thumb, photo) < 8
    swapped = _looks_like(thumb[:, :, ::-1].copy(), photo)  # RGB order would be this far off
    assert swapped > 2 * _looks_like(thumb, photo)


CONVERSIONS = {
    "uint16": lambda p: p.astype(np.uint16) * 257,
    "bgra": lambda p: cv2.cvtColor(p, cv2.COLOR_BGR2BGRA),
    "float32": lambda p: p.astype(np.float32) / 255.0,
    "float64-0-255": lambda p: p.astype(np.float64),
    "grey": lambda p: cv2.cvtColor(p, cv2.COLOR_BGR2GRAY),
}


@pytest.mark.parametrize("name", ["uint16", "bgra"])
def test_a_frame_the_detector_refuses_is_still_written_as_it_looks(
    tmp_path: Path, name: str
) -> None:
    photo = _photo()
    updates = _run_worker(tmp_path, CONVERSIONS[name](photo))
    assert any("detector error" in u.detail for u in updates)  # the detector refused it
    assert _looks_like(_thumbnail_of(tmp_path, updates), photo) < 8


@pytest.mark.parametrize("name", list(CONVERSIONS))
def test_the_writer_turns_any_frame_into_8_bit_bgr(tmp_path: Path, name: str) -> None:
    photo = _photo()
    paths = SnapshotWriter(tmp_path, 1).write("k", CONVERSIONS[name](photo), ())
    for relative in (paths.thumbnail, paths.full):
        image = cv2.imread(str(tmp_path / relative), cv2.IMREAD_COLOR)
        assert image is not None, relative
        reference = (
            photo
            if name != "grey"
            else cv2.cvtColor(cv2.cvtColor(photo, cv2.COLOR_BGR2GRAY), cv2.COLOR_GRAY2BGR)
        )
        assert _looks_like(image, reference) < 8, relative


def test_a_tiny_frame_is_not_blown_up(tmp_path: Path) -> None:
    photo = _photo()
    small = cv2.resize(photo, (32, 24), interpolation=cv2.INTER_AREA)
    paths = SnapshotWriter(tmp_path, 1).write("k", small, ())
    thumb = cv2.imread(str(tmp_path / paths.thumbnail))
    assert thumb is not None and thumb.shape == (24, 32, 3)
