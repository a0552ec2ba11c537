"""A recruiter signs in with a real browser and lands in the workspace; signs out again."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    app_env,
    require_chromium,
    streamlit_server,
)
from tests.support.shared import REPO_ROOT

pytestmark = pytest.mark.browser
PASSWORD = "browser test password"


def test_sign_in_and_out(tmp_path: Path) -> None:
    require_chromium()
    from playwright.sync_api import expect, sync_playwright

    data = tmp_path / "data"
    env = app_env(data, PW=PASSWORD)
    for args in (
        ["seed-demo"],
        [
            "create-user",
            "--email",
            "rec@example.com",
            "--name",
            "Rec",
            "--role",
            "recruiter",
            "--password-env",
            "PW",
        ],
    ):
        subprocess.run(
            [sys.executable, "-m", "core", *args],
            cwd=REPO_ROOT,
            env=env,
            check=True,
            capture_output=True,
            timeout=120,
        )
    shots = REPO_ROOT / "test-output" / "e2e-sign-in"
    shots.mkdir(parents=True, exist_ok=True)
    with streamlit_server(env) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        page.goto(base)
        page.get_by_label("Email").fill("rec@example.com")
        page.get_by_role("textbox", name="Password").fill("wrong password")
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_text("Email or password is incorrect.")).to_be_visible(timeout=15_000)
        page.get_by_role("textbox", name="Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", name="Interviews")).to_be_visible(timeout=15_000)
        expect(page.get_by_text("3 interview(s)")).to_be_visible()  # the grid is a canvas
        page.screenshot(path=str(shots / "workspace.png"))
        try:
            page.get_by_text("Account", exact=True).click(timeout=10_000)  # top-nav section
            page.get_by_text("My account", exact=True).click(timeout=10_000)
        except Exception:
            page.screenshot(path=str(shots / "nav-failure.png"))
            raise
        page.get_by_role("button", name="Sign out").click()
        expect(page.get_by_role("button", name="Sign in")).to_be_visible(timeout=15_000)
        browser.close()
