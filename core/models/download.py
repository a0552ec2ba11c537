"""Fetching models: Hugging Face files through ``huggingface_hub`` (``HF_ENDPOINT`` respected),
the YOLO asset from its URL. Every file is verified against its pinned sha256 *before* it is
moved into place; a mismatch leaves nothing behind. An interrupted download is resumed (YOLO:
the ``.part`` file and an HTTP Range request) or restarted by the next pull.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import shutil
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.errors import IntervistaError
from core.models.registry import HubSource, ModelFile, ModelSpec, UrlSource
from core.models.status import sha256_of

logger = logging.getLogger(__name__)
CHUNK = 1 << 20
TIMEOUT_SECONDS = 30.0


class ModelDownloadError(IntervistaError, RuntimeError):
    """The model could not be fetched (offline, server error, interrupted)."""

    code = "model_download_failed"
    status = 503


class ModelChecksumMismatch(IntervistaError, ValueError):
    """A downloaded file is not the pinned one: refused, nothing left in place."""

    code = "model_checksum_mismatch"
    status = 502


@dataclass(frozen=True)
class Progress:
    model: str
    file: str
    done: int
    total: int | None


ProgressCallback = Callable[[Progress], None]


def _ignore(_: Progress) -> None:
    return None


def _verify_and_move(staged: Path, target: Path, item: ModelFile, model: str) -> None:
    actual = sha256_of(staged, use_cache=False)
    if actual != item.sha256:
        staged.unlink(missing_ok=True)
        raise ModelChecksumMismatch(
            f"{model}: {item.path} refused: sha256 {actual} is not the pinned {item.sha256}"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    staged.replace(target)


def download_url_file(
    url: str, base: Path, item: ModelFile, model: str, progress: ProgressCallback = _ignore
) -> Path:
    """Stream ``url`` to ``<file>.part`` (resuming one left by an interrupted pull), verify,
    rename into place."""
    target = base / item.path
    part = target.with_name(target.name + ".part")
    part.parent.mkdir(parents=True, exist_ok=True)
    offset = part.stat().st_size if part.exists() else 0
    if not url.startswith(("http://", "https://")):
        raise ModelDownloadError(f"{model}: {url}: only http(s) URLs are fetched")
    request = urllib.request.Request(url, headers={"User-Agent": "intervista-models"})  # noqa: S310
    if offset:
        request.add_header("Range", f"bytes={offset}-")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            if offset and response.status != 206:  # the server ignored Range: start again
                offset = 0
            length = response.headers.get("Content-Length")
            total = offset + int(length) if length is not None else None
            done = offset
            with part.open("ab" if offset else "wb") as out:
                while chunk := response.read(CHUNK):
                    out.write(chunk)
                    done += len(chunk)
                    progress(Progress(model, item.path, done, total))
            if total is not None and done != total:
                raise ModelDownloadError(
                    f"{model}: {item.path}: connection closed after {done} of {total} bytes; "
                    "run pull again to resume"
                )
    except urllib.error.HTTPError as exc:
        if exc.code == 416:  # asked past the end: the .part is useless
            part.unlink(missing_ok=True)
        raise ModelDownloadError(f"{model}: {url}: HTTP {exc.code}") from exc
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ModelDownloadError(
            f"{model}: cannot download {url} ({reason}); offline? Copy a models folder and set "
            "INTERVISTA_MODELS_DIR, or run pull again (an interrupted download resumes)"
        ) from exc
    _verify_and_move(part, target, item, model)
    return target


def _tqdm_forwarding(model: str, file: str, progress: ProgressCallback) -> type[Any]:
    from tqdm.auto import tqdm

    class _Forward(tqdm):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["disable"] = False
            kwargs["file"] = io.StringIO()
            super().__init__(*args, **kwargs)

        def update(self, n: float | None = 1) -> bool | None:
            result = super().update(n)
            progress(Progress(model, file, int(self.n), int(self.total) if self.total else None))
            return result

    return _Forward


def download_hub_file(
    source: HubSource, base: Path, item: ModelFile, model: str, progress: ProgressCallback = _ignore
) -> Path:
    """One file of a hub repository at its pinned revision, via a staging folder."""
    from huggingface_hub import hf_hub_download

    staging = base / ".partial" / model
    relative = item.path.removeprefix(f"{source.subdir}/")
    try:
        staged = hf_hub_download(
            source.repo_id,
            relative,
            revision=source.revision,
            local_dir=staging,
            endpoint=os.environ.get("HF_ENDPOINT") or None,
            tqdm_class=_tqdm_forwarding(model, item.path, progress),
        )
    except Exception as exc:  # offline, HTTP errors, httpx errors: all one message
        _remove_staging(staging)
        raise ModelDownloadError(
            f"{model}: cannot download {relative} from {source.repo_id}@{source.revision[:12]} "
            f"({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}); offline? "
            "Copy a models folder and set INTERVISTA_MODELS_DIR"
        ) from exc
    try:
        _verify_and_move(Path(staged), base / item.path, item, model)
    finally:  # huggingface_hub's partial files are per process: a later pull restarts anyway
        _remove_staging(staging)
    return base / item.path


def _remove_staging(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)
    with contextlib.suppress(OSError):  # only when empty
        staging.parent.rmdir()


def pull_model(
    spec: ModelSpec, base: Path, yolo_base_url: str, progress: ProgressCallback = _ignore
) -> list[Path]:
    """Download the files of ``spec``'s official variant that are missing or do not match."""
    variant = spec.download_variant
    fetched = []
    for item in variant.files:
        target = base / item.path
        if target.is_file() and sha256_of(target) == item.sha256:
            continue
        if isinstance(spec.source, UrlSource):
            url = f"{yolo_base_url.rstrip('/')}/{spec.source.filename}"
            fetched.append(download_url_file(url, base, item, spec.name, progress))
        else:
            fetched.append(download_hub_file(spec.source, base, item, spec.name, progress))
        progress(Progress(spec.name, item.path, target.stat().st_size, target.stat().st_size))
    return fetched
