"""A small JSON-over-chat client on the real ``openai`` package, for any compatible endpoint.

With ``structured_output`` the request carries the reply's JSON schema (``response_format``
``json_schema``: llama.cpp, vLLM and OpenAI constrain decoding to it); a server that refuses it
(HTTP 400/422) is asked again without, and from then on parsing alone checks the reply.
The endpoint may be resolved lazily (``connect``): the local llama.cpp server loads its model
on the first call, not when the application starts.

HTTP retries with exponential back-off on 408/409/429/5xx and connection errors are the openai
client's own (``max_retries``; it honours Retry-After). Replies that are not valid JSON of the
expected shape are asked for again up to ``json_attempts`` times. Any remaining failure raises
``LLMUnavailable`` with the reason; callers fall back, they never show it to a candidate.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, TypeVar

import openai
from pydantic import BaseModel, ValidationError

from core.errors import IntervistaError

logger = logging.getLogger(__name__)

ModelT = TypeVar("ModelT", bound=BaseModel)
_FENCED_JSON = re.compile(r"```(?:json)?\s*(\{.*\})\s*```", re.DOTALL)


class LLMUnavailable(IntervistaError, RuntimeError):
    """The model could not give a valid answer (timeout, HTTP error, malformed JSON)."""

    code = "llm_unavailable"
    status = 503


@dataclass(frozen=True)
class LLMConfig:
    base_url: str
    api_key: str
    model: str
    timeout_seconds: float = 30.0
    max_retries: int = 3
    json_attempts: int = 2
    temperature: float = 0.0
    seed: int | None = 7  # passed through; servers that ignore it still work
    structured_output: bool = True
    max_tokens: int | None = None


@dataclass(frozen=True)
class Connection:
    base_url: str
    api_key: str
    model: str


def response_format_of(schema: type[BaseModel]) -> dict[str, Any]:
    return {
        "type": "json_schema",
        "json_schema": {"name": schema.__name__, "schema": schema.model_json_schema()},
    }


def extract_json_object(text: str) -> dict[str, object]:
    """The JSON object in a reply: bare, or inside a ```json fence. Raises ValueError."""
    text = text.strip()
    match = _FENCED_JSON.search(text)
    if match:
        text = match.group(1)
    elif not text.startswith("{"):
        start, end = text.find("{"), text.rfind("}")
        if start == -1 or end <= start:
            raise ValueError("no JSON object in the reply")
        text = text[start : end + 1]
    value = json.loads(text)
    if not isinstance(value, dict):
        raise ValueError("the reply's JSON is not an object")
    return value


class ChatJsonClient:
    """Sends chat messages and returns the reply validated as a pydantic model. Thread-safe."""

    def __init__(self, config: LLMConfig, connect: Callable[[], Connection] | None = None) -> None:
        self.config = config
        self._connect = connect
        self._lock = threading.Lock()
        self._client: openai.OpenAI | None = None
        self._structured = config.structured_output
        if connect is None:
            self._client = self._make_client(config.base_url, config.api_key)

    def _make_client(self, base_url: str, api_key: str) -> openai.OpenAI:
        return openai.OpenAI(
            base_url=base_url or None,
            api_key=api_key or "not-needed",
            timeout=self.config.timeout_seconds,
            max_retries=self.config.max_retries,
        )

    def _ready(self) -> openai.OpenAI:
        if self._client is not None:
            return self._client
        assert self._connect is not None
        with self._lock:
            if self._client is None:
                try:
                    found = self._connect()
                except IntervistaError as exc:
                    raise LLMUnavailable(str(exc)) from exc
                self.config = replace(self.config, base_url=found.base_url, model=found.model)
                self._client = self._make_client(found.base_url, found.api_key)
            return self._client

    def _create(
        self, client: openai.OpenAI, messages: list[dict[str, str]], schema: type[BaseModel]
    ) -> Any:
        request: dict[str, Any] = {
            "model": self.config.model,
            "messages": messages,
            "temperature": self.config.temperature,
            "seed": self.config.seed,
        }
        if self.config.max_tokens:
            request["max_tokens"] = self.config.max_tokens
        if self._structured:
            try:
                request_with_schema = {**request, "response_format": response_format_of(schema)}
                return client.chat.completions.create(**request_with_schema)
            except (openai.BadRequestError, openai.UnprocessableEntityError) as exc:
                logger.warning("the model server refused a JSON schema; parsing instead: %s", exc)
                self._structured = False
        return client.chat.completions.create(**request)

    def complete(self, messages: list[dict[str, str]], schema: type[ModelT]) -> ModelT:
        """Runs on the caller's thread and blocks for at most about
        ``json_attempts * (max_retries + 1) * timeout`` seconds plus back-off (plus, on the
        first call to a local model, its load time)."""
        client = self._ready()
        problem = "no attempt made"
        for attempt in range(1, self.config.json_attempts + 1):
            try:
                response = self._create(client, messages, schema)
            except openai.APITimeoutError as exc:
                raise LLMUnavailable(f"timed out after retries: {exc}") from exc
            except openai.APIStatusError as exc:
                raise LLMUnavailable(f"HTTP {exc.status_code} from the model server") from exc
            except openai.APIConnectionError as exc:
                raise LLMUnavailable(f"cannot reach the model server: {exc}") from exc
            except openai.OpenAIError as exc:
                raise LLMUnavailable(f"model call failed: {exc}") from exc
            content = (response.choices[0].message.content or "") if response.choices else ""
            try:
                return schema.model_validate(extract_json_object(content))
            except (ValueError, ValidationError) as exc:
                problem = f"malformed reply (attempt {attempt}): {str(exc)[:200]}"
                logger.warning("LLM %s", problem)
        raise LLMUnavailable(problem)
