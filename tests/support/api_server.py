"""The HTTP API served for real on loopback: uvicorn in a thread, around a test's container.

``serve_api(application)`` yields an :class:`ApiServer` with its base URL (``…/api``) and an
``httpx`` client; ``login`` signs a staff member in through ``POST /api/v1/auth/login/``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import uvicorn

from core.api.app import standalone
from core.app import Application
from tests.support.smtp_server import LOOPBACK, free_port


@dataclass
class ApiServer:
    root: str  # http://127.0.0.1:PORT
    application: Application

    @property
    def base(self) -> str:
        return f"{self.root}/api"

    def client(self, **headers: str) -> httpx.Client:
        return httpx.Client(base_url=self.base, headers=headers, timeout=60.0)

    def login(self, email: str, password: str) -> dict[str, Any]:
        with self.client() as c:
            r = c.post("/v1/auth/login/", json={"username": email, "password": password})
        assert r.status_code == 200, r.text
        body: dict[str, Any] = r.json()
        return body

    def bearer(self, email: str, password: str) -> httpx.Client:
        token = self.login(email, password)["access"]
        return self.client(Authorization=f"Bearer {token}")


@contextmanager
def serve_api(
    application: Application, *, max_body_bytes: int | None = None
) -> Iterator[ApiServer]:
    """The API on a free loopback port until the block ends."""
    port = free_port()
    kwargs = {"max_body_bytes": max_body_bytes} if max_body_bytes else {}
    config = uvicorn.Config(
        standalone(lambda: application, **kwargs),
        host=LOOPBACK,
        port=port,
        log_level="warning",
        lifespan="off",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"api-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the API server did not start")
        time.sleep(0.02)
    try:
        yield ApiServer(f"http://{LOOPBACK}:{port}", application)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
