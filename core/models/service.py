"""Use cases over the registry: status, verify, pull; and what the factories load by default."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from pathlib import Path

from core.config import Settings
from core.models.download import (
    ModelChecksumMismatch,
    ModelDownloadError,
    ProgressCallback,
    _ignore,
    pull_model,
)
from core.models.export import ExportFailed, export_yolo_onnx, exported_onnx
from core.models.registry import (
    EMBEDDINGS,
    WHISPER,
    YOLO,
    ModelSpec,
    find_spec,
    models_dir,
    registry,
)
from core.models.status import ModelReport, model_report, verified_entry

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PullResult:
    name: str
    ok: bool
    fetched: int  # files downloaded this time
    error: str  # "" when ok
    code: str  # the error's stable code, "" when ok


def _selected(settings: Settings, names: list[str] | None) -> list[str]:
    specs = registry(settings)
    if not names:
        return [s.name for s in specs]
    for name in names:
        find_spec(specs, name)  # KeyError for an unknown name
    return names


def status(
    settings: Settings, names: list[str] | None = None, *, recheck: bool = False
) -> list[ModelReport]:
    """One report per model. ``recheck`` re-hashes every file (``verify``)."""
    base, specs = models_dir(settings), registry(settings)
    reports = []
    for name in _selected(settings, names):
        spec = find_spec(specs, name)
        report = model_report(base, spec, use_cache=not recheck)
        if name == YOLO.name and report.path.endswith(".pt"):
            export = exported_onnx(base, spec)
            if export is not None:
                report = replace(report, detail=f"ONNX export: {export.name}")
        reports.append(report)
    return reports


def pull(
    settings: Settings,
    names: list[str] | None = None,
    progress: ProgressCallback = _ignore,
    *,
    export_onnx: bool = True,
) -> list[PullResult]:
    """Fetch every selected model that is not verified; one result per model, never raises
    for a download failure (offline: each result says why). ``export_onnx``: with a YOLO
    checkpoint and no ONNX file, export one beside it for onnxruntime (core/models/export)."""
    base, specs = models_dir(settings), registry(settings)
    base.mkdir(parents=True, exist_ok=True)
    results = []
    for name in _selected(settings, names):
        spec = find_spec(specs, name)
        if model_report(base, spec).status.value == "verified":
            results.append(PullResult(name, True, 0, "", ""))
            continue
        try:
            fetched = pull_model(spec, base, settings.models_yolo_base_url, progress)
        except (ModelDownloadError, ModelChecksumMismatch) as exc:
            logger.warning("%s", exc)
            results.append(PullResult(name, False, 0, str(exc), exc.code))
        else:
            results.append(PullResult(name, True, len(fetched), "", ""))
    if export_onnx and YOLO.name in [r.name for r in results if r.ok]:
        _ensure_onnx(base, find_spec(specs, YOLO.name))
    return results


def _ensure_onnx(base: Path, spec: ModelSpec) -> None:
    """Export the checkpoint once unless an ONNX file is already there; a failure is only
    logged (Ultralytics runs the .pt then)."""
    onnx = [v for v in spec.variants if v.runtime == "onnx"]
    if any(verified_entry(base, replace(spec, variants=(v,))) for v in onnx):
        return
    if exported_onnx(base, spec) is not None:
        return
    logger.info("exporting %s to ONNX for onnxruntime", spec.name)
    try:
        export_yolo_onnx(base, spec)
    except ExportFailed as exc:
        logger.warning("%s (the detector uses the .pt with Ultralytics)", exc)


def default_yolo_weights(settings: Settings) -> str:
    """``yolo_weights`` if set, else the first verified YOLO file in the models dir ("" if
    none): the shared ONNX exports before a .pt (onnxruntime is the lean backend)."""
    if settings.yolo_weights:
        return settings.yolo_weights
    base, spec = models_dir(settings), find_spec(registry(settings), YOLO.name)
    onnx = tuple(v for v in spec.variants if v.runtime == "onnx")
    entry = verified_entry(base, replace(spec, variants=onnx)) or exported_onnx(base, spec)
    return str(entry or verified_entry(base, spec) or "")


def default_embedding_model(settings: Settings) -> str:
    """``embedding_model_path`` if set, else the verified MiniLM folder in the models dir."""
    if settings.embedding_model_path:
        return settings.embedding_model_path
    entry = verified_entry(models_dir(settings), find_spec(registry(settings), EMBEDDINGS.name))
    return str(entry) if entry else ""


def default_whisper_model(settings: Settings) -> str:
    """The verified faster-whisper folder in the models dir, or ""."""
    entry = verified_entry(models_dir(settings), find_spec(registry(settings), WHISPER.name))
    return str(entry) if entry else ""
