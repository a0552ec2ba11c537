"""A local LLM: llama.cpp's OpenAI-compatible server, in this process, on loopback.

``xllamacpp`` (prebuilt CPU wheels) runs llama.cpp's own HTTP server on a thread of this
process; the platform then talks to it with the same ``openai`` client as to any hosted
endpoint, vLLM or Ollama — nothing else changes. The server listens on 127.0.0.1 on a free
port and requires a random API key made at start, so other local users cannot borrow it.

Loading takes seconds (the model file is memory-mapped): it happens on the first model call,
once per process (``LocalLLMServer.start`` is thread-safe), never at import or page render.
"""

from __future__ import annotations

import logging
import os
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.errors import IntervistaError

logger = logging.getLogger(__name__)

GGUF_MAGIC = b"GGUF"


class LocalLLMUnavailable(IntervistaError, RuntimeError):
    """The local model cannot run: package missing, file missing or not GGUF, load failed."""

    code = "local_llm_unavailable"
    status = 503


@dataclass(frozen=True)
class LocalLLMConfig:
    model_path: str
    threads: int = 1
    context: int = 4096

    @property
    def alias(self) -> str:
        return Path(self.model_path).stem


@dataclass(frozen=True)
class LocalEndpoint:
    base_url: str  # http://127.0.0.1:PORT/v1
    api_key: str
    model: str
    load_seconds: float


def check_model_file(path: str) -> Path:
    """The GGUF file, or LocalLLMUnavailable saying what is wrong with it."""
    file = Path(path).expanduser()
    if not file.is_file():
        raise LocalLLMUnavailable(f"no model file at {file}")
    with file.open("rb") as fh:
        if fh.read(4) != GGUF_MAGIC:
            raise LocalLLMUnavailable(f"{file.name} is not a GGUF model file")
    return file


class LocalLLMServer:
    """One llama.cpp server for one model file. Any thread may call ``start``/``stop``."""

    def __init__(self, config: LocalLLMConfig) -> None:
        self.config = config
        self._lock = threading.Lock()
        self._server: Any = None
        self._endpoint: LocalEndpoint | None = None

    def start(self) -> LocalEndpoint:
        """Load the model and serve it (once); blocks the caller for the load time."""
        with self._lock:
            if self._endpoint is not None:
                return self._endpoint
            file = check_model_file(self.config.model_path)
            try:
                import xllamacpp
            except ImportError as exc:  # pragma: no cover - it is in requirements.txt
                raise LocalLLMUnavailable("the xllamacpp package is not installed") from exc
            os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # no busy-waiting threads
            key = secrets.token_urlsafe(24)
            params = xllamacpp.CommonParams()
            params.model.path = str(file)
            params.model_alias = self.config.alias
            params.n_ctx = self.config.context
            params.n_parallel = 1
            params.cpuparams.n_threads = self.config.threads
            params.cpuparams_batch.n_threads = self.config.threads
            params.use_jinja = True  # the model's own chat template
            params.offline = True  # never a download
            params.hostnames = ["127.0.0.1"]
            params.port = 0  # a free port
            params.api_keys = [key]
            params.verbosity = -1
            started = time.perf_counter()
            try:
                self._server = xllamacpp.Server(params)
            except Exception as exc:
                raise LocalLLMUnavailable(f"the model could not be loaded: {exc}") from exc
            loaded = time.perf_counter() - started
            address = str(self._server.listening_address).rstrip("/")
            self._endpoint = LocalEndpoint(f"{address}/v1", key, self.config.alias, loaded)
            logger.info("local LLM %s loaded in %.1f s at %s", file.name, loaded, address)
            return self._endpoint

    @property
    def started(self) -> bool:
        return self._endpoint is not None

    def stop(self) -> None:
        with self._lock:
            self._server, self._endpoint = None, None  # the server stops when collected


_servers: dict[LocalLLMConfig, LocalLLMServer] = {}
_servers_lock = threading.Lock()


def local_server(config: LocalLLMConfig) -> LocalLLMServer:
    """The process's server for this model and these settings (made once, started lazily)."""
    with _servers_lock:
        server = _servers.get(config)
        if server is None:
            server = _servers[config] = LocalLLMServer(config)
        return server
