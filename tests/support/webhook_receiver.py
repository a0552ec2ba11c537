"""A webhook receiver on loopback, as an integrator would write one: it verifies each request's
signature with the endpoint's secret and keeps what it accepted.

``webhook_receiver(port=…, down_for=N)`` answers the first N requests with 503 (a receiver that
is down); before it starts, nothing listens on the port at all (connections refused). Requests
whose signature does not verify are answered 401 and kept in ``forged``.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from core.integrations.signing import (
    DELIVERY_HEADER,
    EVENT_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    verify,
)
from tests.support.smtp_server import LOOPBACK


@dataclass(frozen=True)
class Accepted:
    event_id: str
    event: str
    delivery_id: str
    payload: dict[str, Any]
    headers: dict[str, str]


@dataclass
class Receiver:
    secrets: dict[str, str] = field(default_factory=dict)  # path -> the endpoint's secret
    down_for: int = 0
    accepted: list[Accepted] = field(default_factory=list)
    refused: int = 0
    forged: list[dict[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def events(self, path: str | None = None) -> list[Accepted]:
        with self.lock:
            return [a for a in self.accepted if path is None or a.headers["path"] == path]

    def _take(self, path: str, headers: dict[str, str], body: bytes) -> int:
        with self.lock:
            if self.down_for > 0:
                self.down_for -= 1
                self.refused += 1
                return 503
            secret = self.secrets.get(path, "")
            signed = verify(
                secret,
                signature=headers.get(SIGNATURE_HEADER.lower(), ""),
                timestamp=headers.get(TIMESTAMP_HEADER.lower(), ""),
                body=body,
                now=time.time(),
            )
            if not secret or not signed:
                self.forged.append(headers)
                return 401
            payload = json.loads(body)
            assert payload["event"] == headers[EVENT_HEADER.lower()]
            self.accepted.append(
                Accepted(
                    payload["id"],
                    payload["event"],
                    headers[DELIVERY_HEADER.lower()],
                    payload,
                    {**headers, "path": path},
                )
            )
            return 204


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            status = receiver._take(self.path, headers, body)
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            return

    return Handler


@contextmanager
def webhook_receiver(receiver: Receiver, port: int) -> Iterator[Receiver]:
    """Serve ``receiver`` on ``port`` (loopback) until the block ends."""
    server = ThreadingHTTPServer((LOOPBACK, port), _handler(receiver))
    thread = threading.Thread(target=server.serve_forever, name="webhook-receiver", daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
