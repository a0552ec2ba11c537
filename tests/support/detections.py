"""Comparing detector outputs on the shared COCO val2017 images."""

from __future__ import annotations

from pathlib import Path

from core.proctor.detection import Detection
from tests.support.shared import shared_path


def val_images() -> list[Path]:
    return sorted(shared_path("proctor", "coco", "images", "val2017").glob("*.jpg"))


def iou(a: Detection, b: Detection) -> float:
    w = max(0.0, min(a.x2, b.x2) - max(a.x1, b.x1))
    h = max(0.0, min(a.y2, b.y2) - max(a.y1, b.y1))
    inter = w * h
    return inter / (a.area + b.area - inter + 1e-9)


def matched(found: list[Detection], others: list[Detection]) -> int:
    return sum(
        1 for d in found if any(o.class_name == d.class_name and iou(d, o) >= 0.5 for o in others)
    )
