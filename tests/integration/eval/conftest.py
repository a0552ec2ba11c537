"""Fixtures for the evaluator tests: the shared embedding model (helpers: tests/support)."""

from __future__ import annotations

import pytest

from core.interviewer.ai.embedding import get_embedder
from core.interviewer.ai.offline import OfflineEvaluator
from core.interviewer.ai.similarity import EmbeddingBackend, LexicalBackend
from tests.support.shared import shared_path


@pytest.fixture(scope="session")
def model_path() -> str:
    return str(shared_path("models", "all-MiniLM-L6-v2"))


@pytest.fixture(scope="session")
def embedding_evaluator(model_path: str) -> OfflineEvaluator:
    return OfflineEvaluator(EmbeddingBackend(get_embedder(model_path)))


@pytest.fixture
def lexical_evaluator() -> OfflineEvaluator:
    return OfflineEvaluator(LexicalBackend())
