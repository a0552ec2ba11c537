"""Builds the evaluator and the interviewer from settings (auto / llm / offline)."""

from __future__ import annotations

import logging

from core.config import Settings
from core.interviewer.ai.embedding import EmbeddingModelUnavailable, check_model_folder
from core.interviewer.ai.llm import LLMEvaluator
from core.interviewer.ai.llm_client import ChatJsonClient, LLMConfig
from core.interviewer.ai.offline import OfflineEvaluator
from core.interviewer.ai.similarity import EmbeddingBackend, LexicalBackend
from core.interviewer.ai.types import Evaluator
from core.models.service import default_embedding_model

logger = logging.getLogger(__name__)


def build_offline_evaluator(settings: Settings, *, lexical_only: bool = False) -> OfflineEvaluator:
    """The embedding engine if a model folder is set or provisioned, else lexical.

    The model itself loads lazily on the first answer (once per process, thread-safe); if it
    then fails to load, the engine switches to lexical scoring and says so in the log.
    """
    # ``embedding_model_path``, else the verified model in the models dir (core/models)
    model_path = "" if lexical_only else default_embedding_model(settings)
    if model_path:
        try:
            check_model_folder(model_path)
            return OfflineEvaluator(EmbeddingBackend(model_path=model_path))
        except EmbeddingModelUnavailable as exc:
            logger.warning("embedding model unavailable, using lexical scoring: %s", exc)
    return OfflineEvaluator(LexicalBackend())


def llm_config(settings: Settings) -> LLMConfig:
    return LLMConfig(
        base_url=settings.openai_base_url,
        api_key=settings.openai_api_key.get_secret_value(),
        model=settings.openai_model,
        timeout_seconds=settings.openai_timeout_seconds,
        max_retries=settings.openai_max_retries,
    )


def build_llm_client(settings: Settings) -> ChatJsonClient | None:
    """The chat client when the LLM is enabled by settings, else None."""
    if not settings.llm_enabled:
        return None
    return ChatJsonClient(llm_config(settings))


def build_evaluator(settings: Settings) -> Evaluator:
    """``evaluator=offline`` or no key under ``auto``: offline; otherwise the LLM engine
    (which falls back to the offline engine per answer when the model fails)."""
    offline = build_offline_evaluator(settings)
    client = build_llm_client(settings)
    if client is None:
        return offline
    return LLMEvaluator(client, offline)
