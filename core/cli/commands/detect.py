"""``python -m core detect IMAGE...``: run the configured (or chosen) detector on images.

Prints one JSON line per image: ``{"image", "backend", "width", "height", "detections"}``;
an unreadable image prints ``{"image", "error"}`` and makes the exit status 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import cv2

from core.cli import Command
from core.config import get_settings
from core.models.service import default_yolo_weights
from core.proctor.detection import DetectorError
from core.proctor.factory import build_detector_for


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("images", nargs="+", type=Path, metavar="IMAGE")
    parser.add_argument(
        "--backend",
        choices=["auto", "ultralytics", "onnxruntime", "haar"],
        default=None,
        help="default: INTERVISTA_DETECTOR",
    )
    parser.add_argument(
        "--weights", default=None, help="absolute path (default: INTERVISTA_YOLO_WEIGHTS)"
    )
    parser.add_argument(
        "--min-confidence", type=float, default=0.25, help="hide detections below this"
    )


def _run(args: argparse.Namespace) -> int:
    settings = get_settings()
    backend = args.backend or settings.detector
    weights = default_yolo_weights(settings) if args.weights is None else args.weights
    if weights and not Path(weights).is_absolute():
        print("error: --weights must be an absolute path", file=sys.stderr)
        return 2
    try:
        detector = build_detector_for(backend, weights)
    except DetectorError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    status = 0
    for image_path in args.images:
        image = cv2.imread(str(image_path)) if image_path.is_file() else None
        if image is None:
            line: dict[str, object] = {
                "image": str(image_path),
                "error": "not found or not a readable image",
            }
            status = 1
        else:
            try:
                found = detector.detect(image)
            except DetectorError as exc:
                line = {"image": str(image_path), "error": str(exc)}
                status = 1
            else:
                line = {
                    "image": str(image_path),
                    "backend": detector.info.name,
                    "weights": detector.info.weights,
                    "width": int(image.shape[1]),
                    "height": int(image.shape[0]),
                    "detections": [
                        d.to_dict() for d in found if d.confidence >= args.min_confidence
                    ],
                }
        sys.stdout.write(json.dumps(line) + "\n")
    return status


COMMANDS = [
    Command(
        name="detect",
        help="Run the proctoring detector on images; one JSON line per image",
        configure=_configure,
        run=_run,
        needs_database=False,
    )
]
