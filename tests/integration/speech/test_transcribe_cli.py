"""``python -m core transcribe`` end to end: the models dir alone finds the model; one JSON line
per file in order; a bad or missing file says why with its code and makes the status 1; no model
installed says what to do with status 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from core.interviewer.speech.wer import word_error_rate
from tests.support.shared import REPO_ROOT, shared_path
from tests.support.speech import convert


def _cli(models: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INTERVISTA_")}
    env |= {
        "INTERVISTA_MODELS_DIR": str(models),
        "INTERVISTA_DATA_DIR": str(tmp_path / "data"),
        "INTERVISTA_SECRETS_FILE": str(tmp_path / "none.toml"),
    }
    return subprocess.run(
        [sys.executable, "-m", "core", "transcribe", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_one_json_line_per_file_any_format(tmp_path: Path) -> None:
    jfk = shared_path("audio", "jfk.wav")
    flac = convert(jfk, tmp_path / "jfk.flac", "-ar", "8000")  # another format and rate
    junk = tmp_path / "notes.wav"
    junk.write_text("not audio")
    missing = tmp_path / "missing.wav"
    done = _cli(shared_path("models"), tmp_path, str(jfk), str(flac), str(junk), str(missing))
    assert done.returncode == 1, done.stderr[-2000:]
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["file"] for line in lines] == [str(jfk), str(flac), str(junk), str(missing)]
    reference = "And so my fellow Americans, ask not what your country can do for you"
    for line in lines[:2]:
        assert line["model"] == "faster-whisper-tiny.en (int8)"
        assert word_error_rate(reference, " ".join(line["text"].split()[:14])) <= 0.15
        assert line["duration_seconds"] == 11.0 and line["processing_seconds"] > 0
    assert lines[2]["code"] == "audio_unreadable" and "not a recording" in lines[2]["error"]
    assert lines[3]["code"] == "file_not_found"
    assert "Traceback" not in done.stderr


def test_no_model_installed_says_what_to_do(tmp_path: Path) -> None:
    empty = tmp_path / "models"
    empty.mkdir()
    done = _cli(empty, tmp_path, str(shared_path("audio", "jfk.wav")))
    assert done.returncode == 2
    assert "No speech model is installed" in done.stderr and "models pull" in done.stderr
    assert done.stdout == ""
