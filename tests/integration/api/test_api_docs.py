"""docs/api.md is true: its ``sh`` examples run, in order, in one bash against a real server on
loopback (curl and jq, as an integrator would), and every endpoint in the OpenAPI document is
documented there."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from core.api.app import create_api
from core.app import Application
from core.config import Settings
from core.db.engine import Database
from core.domain import Role
from core.integrations.worker import start_delivery_worker
from tests.support.api_callers import Staff
from tests.support.api_server import ApiServer, serve_api
from tests.support.factories import make_template, make_user
from tests.support.fake_greenhouse import offer
from tests.support.shared import require_or_skip
from tests.support.smtp_server import LOOPBACK

DOC = Path(__file__).resolve().parents[3] / "docs" / "api.md"
BLOCK = re.compile(r"^```sh\n(.*?)^```", re.S | re.M)


def sh_blocks(text: str) -> list[str]:
    return [m.group(1) for m in BLOCK.finditer(text)]


def _receiver(folder: Path) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            (folder / "body").write_bytes(body)
            for name, header in (
                ("timestamp", "X-Intervista-Timestamp"),
                ("signature", "X-Intervista-Signature"),
            ):
                (folder / name).write_text(self.headers.get(header, ""))
            self.send_response(204)
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler


@pytest.fixture
def receiver(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    folder = tmp_path / "received"
    folder.mkdir()
    server = ThreadingHTTPServer((LOOPBACK, 0), _receiver(folder))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{LOOPBACK}:{server.server_address[1]}/hooks/intervista", folder
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def documented(settings: Settings, db: Database) -> Iterator[tuple[ApiServer, Staff, int]]:
    live = settings.model_copy(update={"webhook_backoff_base_seconds": 0.2})
    people = Staff()
    make_user(db, Role.ADMIN, people.admin)
    make_user(db, Role.RECRUITER, people.recruiter)
    template = make_template(db, questions=2)
    offer(db, template)
    application = Application(live, db)
    application.delivery_worker = start_delivery_worker(db, live, interval_seconds=0.1)
    try:
        with serve_api(application) as api:
            yield api, people, template
    finally:
        application.close()


def test_the_documented_examples_run(
    documented: tuple[ApiServer, Staff, int], receiver: tuple[str, Path], tmp_path: Path
) -> None:
    missing = [t for t in ("bash", "curl", "jq", "openssl") if shutil.which(t) is None]
    require_or_skip(not missing, f"the documented examples need {', '.join(missing)}")
    api, people, template = documented
    blocks = sh_blocks(DOC.read_text(encoding="utf-8"))
    assert len(blocks) >= 10, "docs/api.md lost its examples"
    script = ["set -euo pipefail"]
    for n, block in enumerate(blocks, start=1):
        script += [f"echo '--- example {n}' >&2", block]
    receiver_url, receiver_dir = receiver
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "BASE": api.base,
        "EMAIL": people.admin,
        "PASSWORD": people.password,
        "RECRUITER_EMAIL": people.recruiter,
        "RECRUITER_PASSWORD": people.password,
        "TEMPLATE_ID": str(template),
        "RECEIVER_URL": receiver_url,
        "RECEIVER_DIR": str(receiver_dir),
        "CALLBACK_URL": "https://app.greenhouse.io/v1/partner/assessments/7/complete",
    }
    ran = subprocess.run(
        ["bash", "-c", "\n".join(script)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert ran.returncode == 0, (
        f"docs/api.md: an example failed (exit {ran.returncode}); the last '--- example N' "
        f"below names it.\n--- stderr\n{ran.stderr[-4000:]}\n--- stdout\n{ran.stdout[-2000:]}"
    )


def _documented_paths() -> set[str]:
    text = DOC.read_text(encoding="utf-8")
    return {p.rstrip("/") for p in re.findall(r"`(?:GET |POST )?(/api/[^`\s]+)`", text)}


def test_every_endpoint_is_documented(application: Application) -> None:
    api = create_api(lambda: application)
    wanted = {
        "/api" + re.sub(r"\{[^}]+\}", "{id}", path).rstrip("/") for path in api.openapi()["paths"]
    }
    documented = {re.sub(r"\{[^}]+\}", "{id}", p) for p in _documented_paths()}
    assert sorted(wanted - documented) == []


def test_sh_blocks_are_found() -> None:
    text = "x\n```sh\necho one\n```\n```text\nnot run\n```\n```sh\necho two\n```\n"
    assert sh_blocks(text) == ["echo one\n", "echo two\n"]
