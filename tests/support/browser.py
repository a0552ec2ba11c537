"""Real-browser helpers: serve the app with Streamlit on loopback and drive Debian's Chromium."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.support.shared import REPO_ROOT, require_or_skip

CHROMIUM = "/usr/bin/chromium"
WEBRTC_IFRAME = 'iframe[title="streamlit_webrtc.component.webrtc_streamer"]'
ACE_IFRAME = 'iframe[title="streamlit_ace.streamlit_ace"]'
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def app_env(data_dir: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "INTERVISTA_DATA_DIR": str(data_dir),
        "INTERVISTA_DATABASE_URL": f"sqlite:///{data_dir / 'app.db'}",
        "INTERVISTA_SECRETS_FILE": str(data_dir / "no-secrets.toml"),
        **extra,
    }


@contextmanager
def streamlit_server(
    env: dict[str, str], address: str = "127.0.0.1", port: int | None = None
) -> Iterator[str]:
    """Serve the app as ``make run`` does (``server.py``: Home.py plus the staff session
    routes); yield its base URL once /_stcore/health answers 200."""
    port = port or free_port()
    log = Path(env["INTERVISTA_DATA_DIR"]) / "streamlit.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "server.py",
                "--server.headless",
                "true",
                "--server.address",
                address,
                "--server.port",
                str(port),
                "--browser.gatherUsageStats",
                "false",
                "--server.fileWatcherType",
                "none",
            ],
            cwd=REPO_ROOT,
            # As `make run`: X-Forwarded-For is believed only when the caller says from whom.
            env={"FORWARDED_ALLOW_IPS": "", **env},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        base = f"http://{address}:{port}"
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                if proc.poll() is not None:
                    raise RuntimeError(f"streamlit exited: {log.read_text()[-2000:]}")
                try:
                    with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                        if r.status == 200:
                            break
                except OSError:
                    time.sleep(0.3)
            else:
                raise RuntimeError("streamlit did not become healthy within 60 s")
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


def require_chromium() -> None:
    require_or_skip(
        Path(CHROMIUM).exists() and shutil.which("chromium") is not None,
        "Debian's chromium is not installed (apt-get install chromium)",
    )


def fake_camera_args(y4m: Path) -> list[str]:
    return [
        *CHROMIUM_ARGS,
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={y4m}",
    ]


def fake_microphone_args(wav: Path, *, loop: bool = True) -> list[str]:
    """Chromium with a fake microphone playing ``wav`` (looped unless ``loop`` is False)."""
    return [
        *CHROMIUM_ARGS,
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-audio-capture={wav}{'' if loop else '%noloop'}",
    ]


def make_y4m(source: Path, target: Path, seconds: float = 12.0) -> Path:
    """Convert a shared video to the .y4m Chromium's fake camera plays (looped)."""
    require_or_skip(shutil.which("ffmpeg") is not None, "ffmpeg is not installed")
    subprocess.run(
        [
            "ffmpeg",
            "-loglevel",
            "error",
            "-y",
            "-i",
            str(source),
            "-t",
            str(seconds),
            "-vf",
            "scale=640:480,fps=15",
            "-pix_fmt",
            "yuv420p",
            str(target),
        ],
        check=True,
        timeout=120,
    )
    return target


def video_time(page: Any) -> float:
    """The camera preview's playback time in the webrtc iframe (-1 while it is not playing)."""
    try:
        return float(
            page.frame_locator(WEBRTC_IFRAME)
            .locator("video")
            .first.evaluate("v => v.readyState >= 2 ? v.currentTime : -1", timeout=2000)
        )
    except Exception:  # the component is being re-rendered
        return -1.0


def camera_plays(page: Any, seconds: float = 60) -> None:
    """The camera's echo from the server plays and advances (frames make the round trip)."""
    deadline = time.monotonic() + seconds
    first = -1.0
    while time.monotonic() < deadline:
        now = video_time(page)
        if first <= 0 < now:
            first = now
        elif first > 0 and now > first + 1.0:
            return
        time.sleep(0.5)
    what = "to advance" if first > 0 else "to play"
    raise AssertionError(f"timed out after {seconds:.0f} s waiting for the camera {what}")
