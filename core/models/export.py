"""The ONNX export of a verified YOLO checkpoint, made once and cached beside it.

onnxruntime is the lean backend (about 0.4 s to import and 180 MB, against 4 s and 410 MB for
Ultralytics with PyTorch). After ``pull`` fetches ``yolo11n.pt``, the export is written as
``yolo11n_export_480x640.onnx`` with a sidecar ``.json`` recording its sha256 and the sha256 of
the checkpoint it came from; it is trusted only while both still match.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from core.models.registry import ModelSpec, ModelStatus
from core.models.status import check_variant, sha256_of, variant_status

EXPORT_NAME = "yolo11n_export_480x640.onnx"
SIDECAR_SUFFIX = ".json"
EXPORT_TIMEOUT_SECONDS = 600
_SCRIPT = """
import sys
from ultralytics import YOLO
print(YOLO(sys.argv[1]).export(format="onnx", imgsz=(480, 640), simplify=False, dynamic=False))
"""


class ExportFailed(RuntimeError):
    """Ultralytics could not export the checkpoint; the message says why."""


def _verified_checkpoint(base: Path, spec: ModelSpec) -> tuple[Path, str] | None:
    for variant in spec.variants:
        if variant.runtime == "pt" and variant_status(check_variant(base, variant)) is (
            ModelStatus.VERIFIED
        ):
            return base / variant.files[0].path, variant.files[0].sha256
    return None


def exported_onnx(base: Path, spec: ModelSpec) -> Path | None:
    """The cached export, if it and the verified checkpoint it came from still match."""
    onnx, sidecar = base / EXPORT_NAME, base / (EXPORT_NAME + SIDECAR_SUFFIX)
    if not (onnx.is_file() and sidecar.is_file()):
        return None
    try:
        record = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    source = _verified_checkpoint(base, spec)
    if source is None or record.get("source_sha256") != source[1]:
        return None
    return onnx if sha256_of(onnx) == record.get("sha256") else None


def export_yolo_onnx(base: Path, spec: ModelSpec) -> Path:
    """Export the verified checkpoint (in a child process: PyTorch stays out of this one)."""
    source = _verified_checkpoint(base, spec)
    if source is None:
        raise ExportFailed("no verified YOLO checkpoint (.pt) to export")
    work = base / ".partial" / "export"
    work.mkdir(parents=True, exist_ok=True)
    checkpoint = work / "yolo11n.pt"
    checkpoint.write_bytes(source[0].read_bytes())
    env = {**os.environ, "YOLO_AUTOINSTALL": "false", "YOLO_OFFLINE": "1"}
    try:
        done = subprocess.run(
            [sys.executable, "-c", _SCRIPT, str(checkpoint)],
            capture_output=True,
            text=True,
            env=env,
            timeout=EXPORT_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ExportFailed(f"ONNX export did not finish: {exc}") from exc
    produced = work / "yolo11n.onnx"
    if done.returncode != 0 or not produced.is_file():
        raise ExportFailed(f"ONNX export failed: {(done.stderr or done.stdout).strip()[-500:]}")
    record = {"sha256": sha256_of(produced), "source": source[0].name, "source_sha256": source[1]}
    sidecar = base / (EXPORT_NAME + SIDECAR_SUFFIX)
    sidecar.write_text(json.dumps(record) + "\n", encoding="utf-8")
    produced.replace(base / EXPORT_NAME)
    for leftover in work.iterdir():
        leftover.unlink()
    work.rmdir()
    if not any((base / ".partial").iterdir()):
        (base / ".partial").rmdir()
    return base / EXPORT_NAME
