"""A fake Greenhouse on loopback: the client that calls our Assessment Partner API with HTTP
Basic (the key as the username, an empty password), and the receiver of the completion PATCH.

``fake_greenhouse()`` serves the receiver on a free port; ``callback_url(n)`` names a distinct
callback per ordered test; every request it receives is recorded with its method, path, headers
and body. ``down_for`` answers the first N requests with 503, as a Greenhouse that is down.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

from core.db.engine import Database
from core.db.models import InterviewTemplate
from core.staff.api_access import create_api_key
from tests.support.smtp_server import LOOPBACK


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class FakeGreenhouse:
    """The receiving side: what reached it, and how many requests it still refuses."""

    root: str = ""
    down_for: int = 0
    received: list[Received] = field(default_factory=list)
    refused: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def callback_url(self, n: int = 1) -> str:
        return f"{self.root}/v1/partner/assessments/{n}/complete"

    def patches(self) -> list[Received]:
        with self.lock:
            return [r for r in self.received if r.method == "PATCH"]

    def _take(self, request: Received) -> int:
        with self.lock:
            if self.down_for > 0:
                self.down_for -= 1
                self.refused.append(request)
                return 503
            self.received.append(request)
            return 200


def _handler(fake: FakeGreenhouse) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _any(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            request = Received(
                self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body
            )
            status = fake._take(request)
            payload = b'{"status": "ok"}' if status == 200 else b'{"error": "down"}'
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_PATCH = do_POST = do_GET = do_PUT = _any

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            return

    return Handler


@contextmanager
def fake_greenhouse(*, down_for: int = 0) -> Iterator[FakeGreenhouse]:
    """The fake Greenhouse's receiver on a free loopback port until the block ends."""
    fake = FakeGreenhouse(down_for=down_for)
    server = ThreadingHTTPServer((LOOPBACK, 0), _handler(fake))
    fake.root = f"http://{LOOPBACK}:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, name="fake-greenhouse", daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def greenhouse_key(db: Database, *, scopes: tuple[str, ...] = ("greenhouse",)) -> str:
    """A new API key (its text) of ``scopes``, made by the operator."""
    return create_api_key(db, name="Greenhouse", scopes=scopes, now=datetime.now(UTC)).key


def offer(db: Database, template_id: int, offered: bool = True) -> None:
    """Mark a template as offered to Greenhouse (its "Offer to Greenhouse" checkbox)."""
    with db.write() as session:
        template = session.get(InterviewTemplate, template_id)
        assert template is not None
        template.greenhouse_test = offered


def greenhouse_client(api_base: str, key: str) -> httpx.Client:
    """Calls our API as Greenhouse does: HTTP Basic, the key as the username, no password."""
    return httpx.Client(base_url=api_base, auth=(key, ""), timeout=60.0)


def send_test_body(
    test_id: str, url: str, email: str = "maya.lin@candidates.example", **candidate: Any
) -> dict[str, Any]:
    """A ``send_test`` body as Greenhouse sends it (null for what it does not know)."""
    return {
        "partner_test_id": test_id,
        "candidate": {
            "first_name": "Maya",
            "last_name": "Lin",
            "resume_url": None,
            "phone_number": "+1 415 555 0100",
            "email": email,
            "greenhouse_profile_url": "https://app.greenhouse.io/people/4242",
            **candidate,
        },
        "url": url,
    }
