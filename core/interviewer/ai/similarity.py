"""Similarity backends for the offline engine: sentence embeddings or lexical overlap."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from core.interviewer.ai.embedding import SentenceEmbedder, get_embedder
from core.interviewer.ai.features import feature_vector
from core.interviewer.ai.lexical import LexicalSimilarity, word_overlap
from core.interviewer.ai.text_features import sentences


@dataclass(frozen=True)
class SimilaritySignals:
    """All similarities the scoring rules need for one answer (each 0-1)."""

    reference: float  # best match to any reference answer
    question: float  # similarity of the answer to the question itself
    recall: float  # weighted word recall of the best reference (lexical, always)
    overlap: float  # plain share of a reference's words found in the answer (best reference)
    criteria: tuple[float, ...]  # per criterion: best match within the answer
    criteria_lexical: tuple[float, ...]  # the same by lexical matching (always computed)
    features: tuple[float, ...]  # the correctness model's inputs (see features.FEATURE_NAMES)


class SimilarityBackend(Protocol):
    kind: str  # "embedding" or "lexical": selects the calibration
    model_name: str

    def signals(
        self, question: str, references: Sequence[str], criteria: Sequence[str], answer: str
    ) -> SimilaritySignals: ...


_LEXICAL = LexicalSimilarity()


def _recall(question: str, references: Sequence[str], answer: str) -> float:
    return max((_LEXICAL.recall(answer, r, question) for r in references), default=0.0)


def _overlap(references: Sequence[str], answer: str) -> float:
    return max((word_overlap(answer, r) for r in references), default=0.0)


class LexicalBackend:
    kind = "lexical"
    model_name = LexicalSimilarity.name

    def signals(
        self, question: str, references: Sequence[str], criteria: Sequence[str], answer: str
    ) -> SimilaritySignals:
        parts = sentences(answer)
        lexical_criteria = tuple(_LEXICAL.best_match(parts, c, question) for c in criteria)
        sims, q_sim = lexical_similarities(question, references, answer)
        return SimilaritySignals(
            reference=max(sims, default=0.0),
            question=q_sim,
            recall=_recall(question, references, answer),
            overlap=_overlap(references, answer),
            criteria=lexical_criteria,
            criteria_lexical=lexical_criteria,
            features=feature_vector(question, references, answer, sims, q_sim),
        )


def lexical_similarities(
    question: str, references: Sequence[str], answer: str
) -> tuple[list[float], float]:
    """The lexical backend's answer-to-reference and answer-to-question similarities."""
    sims = [_LEXICAL.similarity(answer, r, question) for r in references]
    return sims, _LEXICAL.similarity(answer, question)


def _windows(parts: list[str], size: int = 2) -> list[str]:
    """Single sentences plus pairs of neighbours: a key point may span two sentences."""
    out = list(parts)
    out.extend(" ".join(parts[i : i + size]) for i in range(len(parts) - size + 1))
    return out


class EmbeddingBackend:
    """Cosine similarities from one batched encode per answer. Any thread may call.

    Built from a loaded embedder, or from a model path that is loaded on first use (the
    process-wide cache in ``embedding`` makes concurrent first uses load it once).
    """

    kind = "embedding"

    def __init__(self, embedder: SentenceEmbedder | None = None, *, model_path: str = "") -> None:
        if embedder is None and not model_path:
            raise ValueError("give an embedder or a model path")
        self._embedder = embedder
        self._path = model_path
        self.model_name = embedder.name if embedder else Path(model_path).name

    def _loaded(self) -> SentenceEmbedder:
        if self._embedder is None:
            self._embedder = get_embedder(self._path)
        return self._embedder

    def signals(
        self, question: str, references: Sequence[str], criteria: Sequence[str], answer: str
    ) -> SimilaritySignals:
        single = sentences(answer)
        parts = _windows(single)[:40] if criteria else []
        texts = [answer, question, *references, *criteria, *parts]
        vectors = self._loaded().encode(texts)
        a, q = vectors[0], vectors[1]
        refs = vectors[2 : 2 + len(references)]
        crit = vectors[2 + len(references) : 2 + len(references) + len(criteria)]
        part_vectors = vectors[2 + len(references) + len(criteria) :]
        candidates = np.vstack([a[None, :], part_vectors]) if len(part_vectors) else a[None, :]
        ref_sims = [float(v) for v in np.clip(refs @ a, 0.0, 1.0)] if len(refs) else []
        q_sim = float(np.clip(q @ a, 0.0, 1.0))
        criteria_sims = tuple(float(np.clip((candidates @ c).max(), 0.0, 1.0)) for c in crit)
        return SimilaritySignals(
            reference=max(ref_sims, default=0.0),
            question=q_sim,
            recall=_recall(question, references, answer),
            overlap=_overlap(references, answer),
            criteria=criteria_sims,
            criteria_lexical=tuple(_LEXICAL.best_match(single, c, question) for c in criteria),
            features=feature_vector(question, references, answer, ref_sims, q_sim),
        )
