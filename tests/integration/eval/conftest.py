"""Fixtures for the evaluator tests: the shared embedding model and LLM client builders."""

from __future__ import annotations

import pytest

from core.interviewer.ai.embedding import get_embedder
from core.interviewer.ai.llm_client import ChatJsonClient, LLMConfig
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


def make_client(base_url: str, **overrides: object) -> ChatJsonClient:
    values: dict[str, object] = {
        "base_url": base_url,
        "api_key": "test-key",
        "model": "fake-model",
        "timeout_seconds": 5.0,
        "max_retries": 2,
        "json_attempts": 2,
    }
    values.update(overrides)
    return ChatJsonClient(LLMConfig(**values))  # type: ignore[arg-type]
