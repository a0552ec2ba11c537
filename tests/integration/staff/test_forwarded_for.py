"""A forged X-Forwarded-For, sent from loopback to the app served as ``make run`` serves it, is
not believed unless the trusted proxies list loopback (real server, real Chromium).

Which address the app saw is read back from what it records: a candidate link with an unknown
key stores one failed attempt with the address it counts against.
"""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import select

from core.db.engine import Database
from core.db.models import AuthAttempt
from tests.support.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    app_env,
    free_port,
    require_chromium,
    streamlit_server,
)
from tests.support.shared import REPO_ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]
FORGED = "203.0.113.66"
UNKNOWN_KEY = "u" * 43


def _allow_ips_as_make_run(env: dict[str, str]) -> str:
    """What ``make run`` gives uvicorn: the trusted_proxies setting, as uvicorn reads it."""
    return subprocess.run(
        [sys.executable, "-m", "core.staff.proxies"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout.strip()


def _address_seen(base: str, data: Path) -> str:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = chromium.new_context(extra_http_headers={"X-Forwarded-For": FORGED})
            page = context.new_page()
            page.goto(f"{base}/interview?key={UNKNOWN_KEY}")
            expect(page.get_by_text("This link is not valid")).to_be_visible(timeout=60_000)
        finally:
            chromium.close()
    db = Database(f"sqlite:///{data / 'app.db'}")
    try:
        with db.read() as s:
            (address,) = s.scalars(select(AuthAttempt.address)).all()
    finally:
        db.dispose()
    return address


@pytest.mark.parametrize(
    ("trusted_proxies", "seen"),
    [
        ("", "local"),  # the default: loopback is a browser like any other ("local")
        ("10.0.0.5", "local"),  # another proxy listed: loopback still is not one
        ("127.0.0.1,::1", FORGED),  # listed: the header is believed (so this test can tell)
    ],
)
def test_a_forged_forwarded_for_from_loopback(
    tmp_path: Path, trusted_proxies: str, seen: str
) -> None:
    require_chromium()
    data = tmp_path / "data"
    data.mkdir()
    env = app_env(
        data,
        INTERVISTA_EVALUATOR="offline",
        INTERVISTA_SWEEPER_INTERVAL_SECONDS="0",
        INTERVISTA_TRUSTED_PROXIES=trusted_proxies,
    )
    env["FORWARDED_ALLOW_IPS"] = _allow_ips_as_make_run(env)
    assert env["FORWARDED_ALLOW_IPS"] == trusted_proxies
    with streamlit_server(env) as base:
        assert _address_seen(base, data) == seen


GUARDED_SERVER = """
import streamlit as st

from core.staff import proxies

app = st.App({home!r}, lifespan=proxies.lifespan)
"""


@pytest.mark.parametrize(
    ("allow_ips", "starts"),
    [
        (None, False),  # unset: uvicorn would believe loopback, so the app refuses to start
        ("10.0.0.5", False),  # disagrees with the setting (empty)
        ("", True),
    ],
)
def test_the_start_up_check_served_for_real(
    tmp_path: Path, allow_ips: str | None, starts: bool
) -> None:
    """``core.staff.proxies.lifespan`` in a real server (the hook server.py is to pass to
    ``st.App``): a trust other than the setting's stops the start, naming both."""
    (tmp_path / "guarded.py").write_text(GUARDED_SERVER.format(home=str(REPO_ROOT / "Home.py")))
    data = tmp_path / "data"
    data.mkdir()
    env = app_env(data, INTERVISTA_SWEEPER_INTERVAL_SECONDS="0", PYTHONPATH=str(REPO_ROOT))
    env.pop("FORWARDED_ALLOW_IPS", None)
    if allow_ips is not None:
        env["FORWARDED_ALLOW_IPS"] = allow_ips
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", "guarded.py", "--server.headless",
               "true", "--server.port", str(port), "--server.fileWatcherType", "none"]  # fmt: skip
    with subprocess.Popen(
        command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    ) as proc:
        try:
            healthy = _healthy(f"http://127.0.0.1:{port}", proc)
        finally:
            proc.terminate()
            output = proc.communicate(timeout=30)[0]
    assert healthy is starts, output[-3000:]
    if not starts:
        assert "Application startup failed" in output and "FORWARDED_ALLOW_IPS" in output


def _healthy(base: str, proc: subprocess.Popen[str]) -> bool:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as answer:
                return bool(answer.status == 200)
        except OSError:
            time.sleep(0.3)
    return False
