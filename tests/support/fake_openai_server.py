"""A small OpenAI-compatible chat server on 127.0.0.1 with scripted behaviours, for tests.

Each request to ``/v1/chat/completions`` takes the next behaviour from the script (the last one
repeats). Every request body is recorded so tests can check what the real client sent.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Reply:
    """200 with this assistant message content (a JSON object is serialised)."""

    content: str | dict[str, Any]


@dataclass(frozen=True)
class Status:
    """An HTTP error status, with optional headers (e.g. retry-after-ms)."""

    code: int
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Stall:
    """Hold the request for ``seconds`` before replying (to trigger client timeouts)."""

    seconds: float
    then: Reply | Status = Reply("{}")


Behaviour = Reply | Status | Stall


def completion(content: str, model: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
    }


class FakeOpenAIServer:
    def __init__(self, script: list[Behaviour]) -> None:
        self.script = list(script)
        self.requests: list[dict[str, Any]] = []
        self.paths: list[str] = []
        self._lock = threading.Lock()
        self._released = threading.Event()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="fake-openai")

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    def _next(self) -> Behaviour:
        with self._lock:
            return self.script.pop(0) if len(self.script) > 1 else self.script[0]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output quiet
                return

            def _send(self, code: int, body: dict[str, Any], headers: dict[str, str]) -> None:
                data = json.dumps(body).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                with suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(data)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length) or b"{}")
                with server._lock:
                    server.requests.append(body)
                    server.paths.append(self.path)
                if self.path != "/v1/chat/completions":
                    self._send(404, {"error": {"message": "not found"}}, {})
                    return
                behaviour = server._next()
                if isinstance(behaviour, Stall):
                    server._released.wait(behaviour.seconds)
                    behaviour = behaviour.then
                if isinstance(behaviour, Status):
                    error = {"error": {"message": f"status {behaviour.code}", "type": "test"}}
                    self._send(behaviour.code, error, behaviour.headers)
                    return
                content = behaviour.content
                text = content if isinstance(content, str) else json.dumps(content)
                self._send(200, completion(text, body.get("model", "")), {})

        return Handler

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._released.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)


@contextmanager
def fake_openai(script: list[Behaviour]) -> Iterator[FakeOpenAIServer]:
    server = FakeOpenAIServer(script)
    server.start()
    try:
        yield server
    finally:
        server.stop()
