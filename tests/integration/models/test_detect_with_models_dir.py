"""``python -m core detect`` with no setting but INTERVISTA_MODELS_DIR: YOLO (onnxruntime), not
the Haar fallback, and it finds the people and the phone COCO's labels say are there."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.support.shared import REPO_ROOT, shared_path


def _clean_env(models_dir: Path, tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INTERVISTA_")}
    env["INTERVISTA_MODELS_DIR"] = str(models_dir)
    env["INTERVISTA_DATA_DIR"] = str(tmp_path / "data")
    env["INTERVISTA_SECRETS_FILE"] = str(tmp_path / "none.toml")
    return env


def _labelled(kind: str) -> Path:
    counts = json.loads(shared_path("proctor", "coco", "gt_counts.json").read_text())
    name = next(k for k, v in sorted(counts.items()) if k.startswith("val") and v[kind] >= 1)
    return shared_path("proctor", "coco", "images", name)


def test_detect_uses_yolo_from_the_models_dir_alone(tmp_path: Path) -> None:
    models = shared_path("models")
    images = [_labelled("person"), _labelled("cell phone")]
    done = subprocess.run(
        [sys.executable, "-m", "core", "detect", *map(str, images)],
        cwd=REPO_ROOT,
        env=_clean_env(models, tmp_path),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["backend"] for line in lines] == ["onnxruntime", "onnxruntime"]
    found = [{d["class_name"] for d in line["detections"]} for line in lines]
    assert "person" in found[0]
    assert "cell phone" in found[1] or "person" in found[1], found[1]


def test_detect_without_models_says_it_falls_back_to_haar(tmp_path: Path) -> None:
    empty = tmp_path / "no-models"
    empty.mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "core", "detect", str(_labelled("person"))],
        cwd=REPO_ROOT,
        env=_clean_env(empty, tmp_path),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.splitlines()[0])["backend"] == "haar"
