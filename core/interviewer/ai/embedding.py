"""Sentence embeddings from a local sentence-transformers folder; never downloads.

The model is loaded lazily, once per process and path, under a lock (any thread may call).
Encoding is guarded by a per-model lock: torch CPU inference is not guaranteed re-entrant and
two cores are better used by one batch than by two contending ones.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

logger = logging.getLogger(__name__)


class EmbeddingModelUnavailable(RuntimeError):
    """The configured model folder is missing or cannot be loaded; the message says why."""


# Vectors of recent texts (questions, expected answers and criteria recur for every answer to
# the same question), least recently used dropped first.
CACHE_SIZE = 4096
# Intra-op threads for one encode. Measured on the shared 2-core host under load: a short
# batch took ~80 ms with one thread and ~550 ms with two (threads spin against other work).
ENCODE_THREADS = 1


class SentenceEmbedder:
    """Wraps one loaded SentenceTransformer; ``encode`` returns unit-length float32 rows."""

    def __init__(
        self, path: Path, model: Any, threads: int = ENCODE_THREADS, cache_size: int = CACHE_SIZE
    ) -> None:
        self.path = path
        self.name = path.name
        self._model = model
        self._threads = threads
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors for ``texts`` (rows in order). Any thread may call."""
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        with self._lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
            if missing:
                for text, vector in zip(missing, self._encode(missing), strict=True):
                    self._cache[text] = vector
            rows = []
            for text in texts:
                self._cache.move_to_end(text)
                rows.append(self._cache[text])
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return np.vstack(rows)

    def clear_cache(self) -> None:
        with self._lock:
            self._cache.clear()

    def _encode(self, texts: list[str]) -> np.ndarray:
        """Runs under ``self._lock``."""
        import torch  # loaded already by sentence-transformers

        previous = torch.get_num_threads()
        torch.set_num_threads(self._threads)
        try:
            vectors = self._model.encode(
                texts,
                batch_size=32,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        finally:
            torch.set_num_threads(previous)
        return np.asarray(vectors, dtype=np.float32)


_cache: dict[str, SentenceEmbedder] = {}
_cache_lock = threading.Lock()


def _load(path: Path) -> SentenceEmbedder:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:  # pragma: no cover - the stack installs it
        raise EmbeddingModelUnavailable(f"sentence-transformers is not installed: {exc}") from exc
    try:
        model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
    except Exception as exc:  # any load failure makes the model unavailable
        message = f"cannot load the embedding model at {path}: {exc}"
        raise EmbeddingModelUnavailable(message) from exc
    model.eval()
    logger.info("loaded embedding model %s", path)
    return SentenceEmbedder(path, model)


def check_model_folder(model_path: str) -> Path:
    """Cheap check (no loading) that a path names a sentence-transformers folder."""
    if not model_path:
        raise EmbeddingModelUnavailable("no embedding model path configured")
    path = Path(model_path)
    if not path.is_absolute():
        raise EmbeddingModelUnavailable(f"embedding model path must be absolute: {model_path!r}")
    if not (path / "config.json").is_file() and not (path / "modules.json").is_file():
        raise EmbeddingModelUnavailable(f"no sentence-transformers model folder at {path}")
    return path


def get_embedder(model_path: str) -> SentenceEmbedder:
    """The process-wide embedder for an absolute model folder (loaded on first call).

    Raises EmbeddingModelUnavailable for an empty, relative or missing path, or a load failure.
    """
    path = check_model_folder(model_path)
    key = str(path.resolve())
    with _cache_lock:
        embedder = _cache.get(key)
        if embedder is None:
            embedder = _load(path)
            _cache[key] = embedder
        return embedder
