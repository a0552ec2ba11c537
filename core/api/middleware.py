"""ASGI middleware of the API: request size limits and one spelling of every path.

Both run before routing, on the server's event loop, and never touch the database.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.api.errors import ErrorBody

V1_PREFIX = "/v1/"
GREENHOUSE_PREFIX = "/greenhouse/"


async def _refuse(send: Send, status: int, code: str, message: str) -> None:
    body = json.dumps(ErrorBody(code=code, message=message).model_dump(exclude_none=True))
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"connection", b"close")],
        }
    )
    await send({"type": "http.response.body", "body": body.encode()})


class _TooLarge(Exception):
    pass


class BodyLimit:
    """Refuse bodies over ``max_bytes`` with 413 — by Content-Length before reading anything,
    and by counting for chunked bodies that carry none."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        message = f"The request body is larger than {self.max_bytes} bytes."
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await _refuse(send, 400, "bad_request", "Content-Length is not a number.")
                    return
                if declared > self.max_bytes:
                    await _refuse(send, 413, "request_too_large", message)
                    return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            msg = await receive()
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLarge
            return msg

        async def tracked_send(msg: Message) -> None:
            nonlocal started
            if msg["type"] == "http.response.start":
                started = True
            await send(msg)

        try:
            await self.app(scope, counted, tracked_send)
        except _TooLarge:
            if not started:
                await _refuse(send, 413, "request_too_large", message)


class CanonicalPaths:
    """``/v1/...`` with or without its trailing slash reach the same route (the seeds' clients
    use both); Greenhouse's calls are served without one. No redirect: a POST keeps its body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path: str = scope["path"]
            root: str = scope.get("root_path", "")
            relative = path[len(root) :] if root and path.startswith(root) else path
            fixed = relative
            if relative.startswith(V1_PREFIX) and not relative.endswith("/"):
                fixed = relative + "/"
            elif relative.startswith(GREENHOUSE_PREFIX) and relative.endswith("/"):
                fixed = relative.rstrip("/")
            if fixed != relative:
                new: dict[str, Any] = dict(scope)
                new["path"] = (root + fixed) if path.startswith(root) and root else fixed
                raw = new.get("raw_path")
                if raw is not None:
                    new["raw_path"] = new["path"].encode()
                scope = new
        await self.app(scope, receive, send)
