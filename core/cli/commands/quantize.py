"""``python -m core quantize SRC DST --calibration DIR``: an int8 copy of a YOLO ONNX export.

Calibrate on images like the ones the camera will see (people at desks, phones, books); the
shared COCO ``train2017`` folder works. Then point ``INTERVISTA_YOLO_WEIGHTS`` at DST.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from core.cli import Command
from core.proctor.detection import DetectorError

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp"}


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source", type=Path, help="float ONNX export (static 1x3xHxW input)")
    parser.add_argument("destination", type=Path, help="where to write the int8 model")
    parser.add_argument(
        "--calibration", type=Path, required=True, help="folder of calibration images"
    )
    parser.add_argument("--images", type=int, default=64, help="how many images to use")


def _run(args: argparse.Namespace) -> int:
    from core.proctor.quantize import quantize_yolo_onnx

    if not args.calibration.is_dir():
        print(f"error: {args.calibration} is not a folder", file=sys.stderr)
        return 2
    images = sorted(
        p for p in args.calibration.rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES
    )
    if args.images < 1:
        print("error: --images must be at least 1", file=sys.stderr)
        return 2
    if args.destination.resolve() == args.source.resolve():
        print("error: the destination must differ from the source", file=sys.stderr)
        return 2
    started = time.perf_counter()
    try:
        used = quantize_yolo_onnx(args.source, args.destination, images, max_images=args.images)
    except DetectorError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    seconds = time.perf_counter() - started
    print(f"wrote {args.destination} (int8, calibrated on {used} images, {seconds:.1f} s)")
    return 0


COMMANDS = [
    Command(
        name="quantize",
        help="Write an int8 (QDQ) copy of a YOLO ONNX export for the onnxruntime backend",
        configure=_configure,
        run=_run,
        needs_database=False,
    )
]
