"""What is on disk: each model's status, checked against its pinned checksums."""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path

from core.models.registry import ModelSpec, ModelStatus, Variant

_cache: dict[tuple[str, int, int], str] = {}
_cache_lock = threading.Lock()


def sha256_of(path: Path, *, use_cache: bool = True) -> str:
    """The file's sha256; remembered per (path, size, mtime) for this process."""
    stat = path.stat()
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    if use_cache:
        with _cache_lock:
            if key in _cache:
                return _cache[key]
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    value = digest.hexdigest()
    with _cache_lock:
        _cache[key] = value
    return value


@dataclass(frozen=True)
class FileCheck:
    path: str
    present: bool
    ok: bool


@dataclass(frozen=True)
class ModelReport:
    name: str
    status: ModelStatus
    variant: str  # the variant the status is about ("" when missing)
    path: str  # absolute path a loader is given ("" when missing)
    size: int  # bytes on disk of that variant's files
    detail: str  # which files are missing or do not match

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "status": self.status.value,
            "variant": self.variant,
            "path": self.path,
            "size": self.size,
            "detail": self.detail,
        }


def check_variant(base: Path, variant: Variant, *, use_cache: bool = True) -> list[FileCheck]:
    checks = []
    for item in variant.files:
        path = base / item.path
        present = path.is_file()
        ok = present and sha256_of(path, use_cache=use_cache) == item.sha256
        checks.append(FileCheck(item.path, present, ok))
    return checks


def variant_status(checks: list[FileCheck], *, unfinished: bool = False) -> ModelStatus:
    """verified: all match; corrupt: one present does not match; partial: some missing."""
    if checks and all(c.ok for c in checks):
        return ModelStatus.VERIFIED
    if any(c.present and not c.ok for c in checks):
        return ModelStatus.CORRUPT
    if unfinished or any(c.present for c in checks):
        return ModelStatus.PARTIAL
    return ModelStatus.MISSING


_RANK = {
    ModelStatus.VERIFIED: 0,
    ModelStatus.CORRUPT: 1,
    ModelStatus.PARTIAL: 2,
    ModelStatus.MISSING: 3,
}


def unfinished_download(base: Path, spec: ModelSpec) -> bool:
    """A ``.part`` file or a staging folder left by an interrupted pull."""
    variant = spec.download_variant
    if any((base / f"{f.path}.part").exists() for f in variant.files):
        return True
    return (base / ".partial" / spec.name).is_dir()


def model_report(base: Path, spec: ModelSpec, *, use_cache: bool = True) -> ModelReport:
    """The best variant's status: the first verified one, else the worst problem found."""
    best: tuple[ModelStatus, Variant, list[FileCheck]] | None = None
    for variant in spec.variants:
        unfinished = variant.downloadable and unfinished_download(base, spec)
        checks = check_variant(base, variant, use_cache=use_cache)
        status = variant_status(checks, unfinished=unfinished)
        if best is None or _RANK[status] < _RANK[best[0]]:
            best = (status, variant, checks)
        if status is ModelStatus.VERIFIED:
            break
    assert best is not None
    status, variant, checks = best
    if status is ModelStatus.MISSING:
        return ModelReport(spec.name, status, "", "", 0, "not downloaded")
    size = sum((base / c.path).stat().st_size for c in checks if c.present)
    bad = [c.path for c in checks if c.present and not c.ok]
    absent = [c.path for c in checks if not c.present]
    detail = "; ".join(
        part
        for part in (
            f"checksum mismatch: {', '.join(bad)}" if bad else "",
            f"missing: {', '.join(absent)}" if absent else "",
            "unfinished download" if status is ModelStatus.PARTIAL and not absent else "",
        )
        if part
    )
    return ModelReport(spec.name, status, variant.name, str(base / variant.entry), size, detail)


def verified_entry(base: Path, spec: ModelSpec) -> Path | None:
    """The loader path of the first verified variant (files hashed once per process)."""
    for variant in spec.variants:
        checks = check_variant(base, variant)
        if variant_status(checks) is ModelStatus.VERIFIED:
            return base / variant.entry
    return None
