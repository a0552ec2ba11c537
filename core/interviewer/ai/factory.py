"""Builds the evaluator and the interviewer from settings (auto / llm / offline)."""

from __future__ import annotations

import logging

from core.config import Settings
from core.interviewer.ai.embedding import EmbeddingModelUnavailable, check_model_folder
from core.interviewer.ai.llm import LLMEvaluator
from core.interviewer.ai.llm_client import ChatJsonClient, Connection, LLMConfig
from core.interviewer.ai.local_llm import LocalLLMConfig, local_server
from core.interviewer.ai.offline import OfflineEvaluator
from core.interviewer.ai.questions import QuestionGenerator
from core.interviewer.ai.similarity import EmbeddingBackend, LexicalBackend
from core.interviewer.ai.types import Evaluator
from core.interviewer.question_bank.relevance import (
    EmbeddingRelevance,
    LexicalRelevance,
    Relevance,
)
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


def local_llm_config(settings: Settings) -> LocalLLMConfig:
    return LocalLLMConfig(
        model_path=settings.local_llm_model_path,
        threads=settings.local_llm_threads,
        context=settings.local_llm_context,
    )


def build_llm_client(settings: Settings) -> ChatJsonClient | None:
    """The chat client when the LLM is enabled by settings, else None. With a local model
    file, the process's llama.cpp server (started on the first call) is the endpoint."""
    if not settings.llm_enabled:
        return None
    if not settings.local_llm_model_path:
        return ChatJsonClient(llm_config(settings))
    server = local_server(local_llm_config(settings))

    def connect() -> Connection:
        endpoint = server.start()
        return Connection(endpoint.base_url, endpoint.api_key, endpoint.model)

    config = LLMConfig(
        base_url="",
        api_key="",
        model=server.config.alias,
        timeout_seconds=settings.local_llm_timeout_seconds,
        max_retries=0,  # a local server that failed once will not do better at once
        max_tokens=settings.local_llm_max_tokens,
    )
    return ChatJsonClient(config, connect=connect)


def build_question_generator(settings: Settings) -> QuestionGenerator:
    """The LLM when enabled (the bank fills in), bank questions ranked by embeddings when the
    model is there, else by shared words."""
    model_path = default_embedding_model(settings)
    relevance: Relevance = (
        EmbeddingRelevance(model_path=model_path) if model_path else LexicalRelevance()
    )
    return QuestionGenerator(build_llm_client(settings), relevance=relevance)


def build_evaluator(settings: Settings) -> Evaluator:
    """``evaluator=offline`` or no key under ``auto``: offline; otherwise the LLM engine
    (which falls back to the offline engine per answer when the model fails)."""
    offline = build_offline_evaluator(settings)
    client = build_llm_client(settings)
    if client is None:
        return offline
    return LLMEvaluator(client, offline)
