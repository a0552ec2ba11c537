"""A fresh start with ``INTERVISTA_MODELS_DIR`` alone pointing at ../shared/models, in Chromium:
the admin's System status panel shows every model verified and YOLO, embeddings and Whisper in
use; the candidate's camera check runs YOLO (onnxruntime), not the Haar fallback, and says what
it looks for. Screenshots go to test-output/e2e-models/."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from core.bootstrap import ensure_database
from core.config import load_settings
from core.db.models import Interview
from core.domain import Role
from tests.support.browser import (
    CHROMIUM,
    WEBRTC_IFRAME,
    app_env,
    fake_camera_args,
    make_y4m,
    require_chromium,
    streamlit_server,
)
from tests.support.factories import PASSWORD, issue_key, make_interview, make_user
from tests.support.shared import REPO_ROOT, shared_path

pytestmark = [pytest.mark.browser, pytest.mark.shared, pytest.mark.slow]
SHOTS = REPO_ROOT / "test-output" / "e2e-models"


def test_models_found_with_the_models_dir_alone(tmp_path: Path) -> None:
    require_chromium()
    from playwright.sync_api import expect, sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    y4m = make_y4m(shared_path("proctor", "video", "book.mkv"), tmp_path / "camera.y4m")
    env = {k: v for k, v in app_env(tmp_path / "data").items() if not k.startswith(
        ("INTERVISTA_YOLO", "INTERVISTA_DETECTOR", "INTERVISTA_EMBEDDING", "INTERVISTA_EVALUATOR")
    )}  # fmt: skip
    env["INTERVISTA_MODELS_DIR"] = str(shared_path("models"))
    settings = load_settings(
        data_dir=Path(env["INTERVISTA_DATA_DIR"]), database_url=env["INTERVISTA_DATABASE_URL"]
    )
    db = ensure_database(settings)
    admin = make_user(db, Role.ADMIN, email="admin@example.com")
    iid = make_interview(db, scheduled_at=datetime.now(UTC) + timedelta(seconds=10))
    with db.write() as s:
        interview = s.get(Interview, iid)
        assert interview is not None
        interview.enable_video, interview.enable_audio = True, True
    key = issue_key(db, iid)
    db.dispose()
    assert admin.email == "admin@example.com" and "INTERVISTA_YOLO_WEIGHTS" not in env
    with streamlit_server(env) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=fake_camera_args(y4m))
        page = browser.new_page(viewport={"width": 1280, "height": 1400})
        page.goto(f"{base}/users")
        page.get_by_label("Email").fill("admin@example.com")
        page.get_by_role("textbox", name="Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", name="System status")).to_be_visible(timeout=30_000)
        expect(page.get_by_text("nothing runs degraded")).to_be_visible()
        expect(page.get_by_text("YOLO yolo11n_480x640.onnx (onnxruntime)")).to_be_visible()
        expect(page.get_by_text("offline: sentence embeddings (all-MiniLM-L6-v2)")).to_be_visible()
        expect(page.get_by_text("Whisper tiny.en (faster-whisper, int8)")).to_be_visible()
        page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden", timeout=60_000)
        page.wait_for_timeout(1500)  # the tables draw after the run ends
        page.screenshot(path=str(SHOTS / "1-system-status.png"))

        candidate = browser.new_page(viewport={"width": 1280, "height": 900})
        candidate.goto(f"{base}/interview?key={key}")
        expect(candidate.get_by_text("What happens")).to_be_visible(timeout=30_000)
        candidate.get_by_text("I agree that my camera video").click()
        expect(
            candidate.get_by_text("looks for your face, other people, phones, books and laptops")
        ).to_be_visible(timeout=30_000)
        expect(candidate.get_by_text("Spoken answers are transcribed")).to_be_visible()
        frame = candidate.frame_locator(WEBRTC_IFRAME)
        frame.get_by_role("button", name="START").click(timeout=60_000)
        expect(candidate.get_by_text("Checks running (onnxruntime).")).to_be_visible(timeout=90_000)
        expect(candidate.get_by_text("haar")).to_have_count(0)
        candidate.screenshot(path=str(SHOTS / "2-camera-check.png"), full_page=True)
        browser.close()
    assert os.path.getsize(SHOTS / "1-system-status.png") > 10_000
