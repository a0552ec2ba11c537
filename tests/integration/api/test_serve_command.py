"""``python -m core serve``: the pages and the API on one port, from one process."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.support.browser import REPO_ROOT, app_env, free_port


def _get(url: str) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.headers.get("content-type", ""), r.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("content-type", ""), exc.read().decode()


@pytest.mark.slow
def test_serve_answers_the_app_and_the_api_on_one_port(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    port = free_port()
    log = (tmp_path / "serve.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "core", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=REPO_ROOT,
        env=app_env(data),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert proc.poll() is None, (tmp_path / "serve.log").read_text()[-2000:]
            try:
                if _get(f"{base}/_stcore/health")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "the server did not start in 90 s"
            time.sleep(0.3)
        status, kind, body = _get(f"{base}/api/openapi.json")
        assert status == 200 and kind.startswith("application/json")
        schema = json.loads(body)
        assert "/v1/auth/login/" in schema["paths"]
        status, kind, body = _get(f"{base}/api/v1/auth/me")
        assert status == 401 and json.loads(body)["code"] == "not_authenticated"
        status, kind, body = _get(f"{base}/")
        assert status == 200 and "text/html" in kind
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


@pytest.mark.parametrize("port", ["0", "70000", "http"])
def test_serve_refuses_a_bad_port(port: str) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "core", "serve", "--port", port],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 2
    assert "port" in run.stderr
