"""A loopback stand-in for the Hugging Face hub and Ultralytics' asset URL.

Speaks what ``huggingface_hub.hf_hub_download``/``snapshot_download`` use with ``HF_ENDPOINT``:
``GET /api/models/{repo}/revision/{rev}`` (the file listing) and ``HEAD``/``GET
/{repo}/resolve/{rev}/{file}`` with ``ETag``, ``X-Repo-Commit``, ``Content-Length`` and Range
requests (206 + ``Content-Range``). ``/assets/{file}`` stands in for the YOLO release asset.
The bytes come from local folders (``../shared/models`` in the tests). It can be told to serve
one file corrupted, or to drop the connection halfway through a file, once.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


@dataclass
class HubRepo:
    folder: Path
    revision: str

    def files(self) -> list[str]:
        return sorted(
            p.relative_to(self.folder).as_posix() for p in self.folder.rglob("*") if p.is_file()
        )


@dataclass
class ModelHub:
    repos: dict[str, HubRepo]
    assets: dict[str, Path]  # name served under /assets/ -> local file
    corrupt: set[str] = field(default_factory=set)  # file names served with a flipped byte
    drop_once: set[str] = field(default_factory=set)  # file names cut halfway, once
    requests: list[tuple[str, str, str]] = field(default_factory=list)  # method, path, Range
    _server: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def assets_url(self) -> str:
        return f"{self.url}/assets"

    def start(self) -> ModelHub:
        hub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                return None

            def do_HEAD(self) -> None:
                hub._handle(self, body=False)

            def do_GET(self) -> None:
                hub._handle(self, body=True)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def ranged_requests(self, name: str) -> list[str]:
        return [r for m, p, r in self.requests if m == "GET" and p.endswith("/" + name) and r]

    # ------------------------------------------------------------------------------------
    def _content(self, name: str, path: Path) -> bytes:
        data = path.read_bytes()
        if name in self.corrupt:
            middle = len(data) // 2
            data = data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :]
        return data

    def _handle(self, handler: BaseHTTPRequestHandler, *, body: bool) -> None:
        path = handler.path.split("?", 1)[0]
        with self._lock:
            self.requests.append((handler.command, path, handler.headers.get("Range", "")))
        listing = re.fullmatch(r"/api/models/(.+)/revision/([^/]+)", path)
        if listing:
            repo = self.repos.get(listing.group(1))
            if repo is None:
                return self._send(handler, 404, b'{"error":"Repository not found"}', body=body)
            payload = {
                "id": listing.group(1),
                "sha": repo.revision,
                "siblings": [{"rfilename": name} for name in repo.files()],
            }
            return self._send(handler, 200, json.dumps(payload).encode(), body=body)
        resolve = re.fullmatch(r"/(.+?/.+?)/resolve/([^/]+)/(.+)", path)
        if resolve:
            repo = self.repos.get(resolve.group(1))
            name = resolve.group(3)
            if repo is None or resolve.group(2) not in (repo.revision, "main"):
                headers = {"X-Error-Code": "RevisionNotFound"}
                return self._send(handler, 404, b"not found", body=body, headers=headers)
            file = repo.folder / name
            if not file.is_file():
                headers = {"X-Error-Code": "EntryNotFound", "X-Repo-Commit": repo.revision}
                return self._send(handler, 404, b"not found", body=body, headers=headers)
            return self._send_file(handler, name, file, body=body, commit=repo.revision)
        asset = re.fullmatch(r"/assets/([^/]+)", path)
        if asset and asset.group(1) in self.assets:
            return self._send_file(
                handler, asset.group(1), self.assets[asset.group(1)], body=body, commit=""
            )
        return self._send(handler, 404, b"not found", body=body)

    def _send_file(
        self, handler: BaseHTTPRequestHandler, name: str, file: Path, *, body: bool, commit: str
    ) -> None:
        data = self._content(name, file)
        headers = {
            "ETag": f'"{hashlib.sha256(data).hexdigest()}"',
            "Accept-Ranges": "bytes",
            "Content-Type": "application/octet-stream",
        }
        if commit:
            headers["X-Repo-Commit"] = commit
        start, status = 0, 200
        wanted = re.fullmatch(r"bytes=(\d+)-", handler.headers.get("Range", ""))
        if wanted and body:
            start = int(wanted.group(1))
            if start >= len(data):
                return self._send(handler, 416, b"", body=body)
            status = 206
            headers["Content-Range"] = f"bytes {start}-{len(data) - 1}/{len(data)}"
        chunk = data[start:]
        drop = False
        if body:
            with self._lock:
                if name in self.drop_once:
                    self.drop_once.discard(name)
                    drop = True
        if not drop:
            return self._send(handler, status, chunk, body=body, headers=headers)
        handler.send_response(status)
        for key, value in headers.items():
            handler.send_header(key, value)
        handler.send_header("Content-Length", str(len(chunk)))
        handler.end_headers()
        handler.wfile.write(chunk[: len(chunk) // 2])
        handler.wfile.flush()
        handler.close_connection = True
        handler.connection.close()

    @staticmethod
    def _send(
        handler: BaseHTTPRequestHandler,
        status: int,
        payload: bytes,
        *,
        body: bool,
        headers: dict[str, str] | None = None,
    ) -> None:
        handler.send_response(status)
        for key, value in (headers or {}).items():
            handler.send_header(key, value)
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        if body:
            handler.wfile.write(payload)
