"""A small JSON-over-chat client on the real ``openai`` package, for any compatible endpoint.

HTTP retries with exponential back-off on 408/409/429/5xx and connection errors are the openai
client's own (``max_retries``; it honours Retry-After). Replies that are not valid JSON of the
expected shape are asked for again up to ``json_attempts`` times. Any remaining failure raises
``LLMUnavailable`` with the reason; callers fall back, they never show it to a candidate.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from typing import TypeVar

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

    def __init__(self, config: LLMConfig) -> None:
        self.config = config
        self._client = openai.OpenAI(
            base_url=config.base_url or None,
            api_key=config.api_key or "not-needed",
            timeout=config.timeout_seconds,
            max_retries=config.max_retries,
        )

    def complete(self, messages: list[dict[str, str]], schema: type[ModelT]) -> ModelT:
        """Runs on the caller's thread and blocks for at most about
        ``json_attempts * (max_retries + 1) * timeout`` seconds plus back-off."""
        problem = "no attempt made"
        for attempt in range(1, self.config.json_attempts + 1):
            try:
                response = self._client.chat.completions.create(
                    model=self.config.model,
                    messages=messages,  # type: ignore[arg-type]
                    temperature=self.config.temperature,
                    seed=self.config.seed,
                )
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
