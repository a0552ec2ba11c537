"""How close each bank question is to a job and a resume: sentence embeddings when the model
is there, else our lexical similarity. Used to choose among equally matching questions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np

from core.interviewer.ai.embedding import SentenceEmbedder, get_embedder
from core.interviewer.ai.lexical import LexicalSimilarity
from core.interviewer.question_bank.loader import BankQuestion


class Relevance(Protocol):
    """Similarity (0-1) of each question to a profile text. Any thread may call."""

    name: str

    def scores(self, profile: str, questions: Sequence[BankQuestion]) -> dict[str, float]: ...


def _text(q: BankQuestion) -> str:
    return f"{q.question} {' '.join(q.criteria)}"


class LexicalRelevance:
    name = "lexical"

    def __init__(self) -> None:
        self._lexical = LexicalSimilarity()

    def scores(self, profile: str, questions: Sequence[BankQuestion]) -> dict[str, float]:
        if not profile.strip():
            return {}
        return {q.id: self._lexical.similarity(profile, _text(q), "") for q in questions}


class EmbeddingRelevance:
    """Cosine similarity of sentence embeddings (one batched encode per call)."""

    name = "embedding"

    def __init__(self, model_path: str = "", embedder: SentenceEmbedder | None = None) -> None:
        self._path, self._embedder = model_path, embedder

    def scores(self, profile: str, questions: Sequence[BankQuestion]) -> dict[str, float]:
        if not profile.strip() or not questions:
            return {}
        embedder = self._embedder or get_embedder(self._path)
        vectors = embedder.encode([profile, *(_text(q) for q in questions)])
        sims = np.clip(vectors[1:] @ vectors[0], 0.0, 1.0)
        return {q.id: float(s) for q, s in zip(questions, sims, strict=True)}
