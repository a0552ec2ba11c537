"""``python -m core models pull|status|verify`` against a loopback hub serving ../shared/models.

The real download code runs (huggingface_hub with HF_ENDPOINT, urllib for the YOLO asset);
nothing is fetched from the internet. The hub serves shared's ``yolo11n-rebuilt.pt`` as
``yolo11n.pt``: it is not the official file, so the test pins its checksum in an override file
(``INTERVISTA_MODELS_CHECKSUMS_FILE``), as docs/models.md describes.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.config import load_settings
from core.interviewer.ai.factory import build_offline_evaluator
from core.models.registry import MINILM_REVISION, WHISPER_REVISION
from core.proctor.factory import build_detector
from tests.support.model_hub import HubRepo, ModelHub
from tests.support.shared import shared_path

pytestmark = pytest.mark.shared
REPO = Path(__file__).resolve().parents[3]
YOLO, MINILM, WHISPER = "yolo11n", "all-MiniLM-L6-v2", "faster-whisper-tiny.en"


@pytest.fixture
def hub() -> Iterator[ModelHub]:
    models = shared_path("models")
    server = ModelHub(
        repos={
            "sentence-transformers/all-MiniLM-L6-v2": HubRepo(
                models / "all-MiniLM-L6-v2", MINILM_REVISION
            ),
            "Systran/faster-whisper-tiny.en": HubRepo(
                models / "faster-whisper-tiny.en", WHISPER_REVISION
            ),
        },
        assets={"yolo11n.pt": models / "yolo11n-rebuilt.pt"},
    ).start()
    yield server
    server.stop()


def _cli(
    hub: ModelHub, tmp_path: Path, *args: str, **extra_env: str
) -> subprocess.CompletedProcess[str]:
    rebuilt = shared_path("models", "yolo11n-rebuilt.pt").read_bytes()
    sums = tmp_path / "served.sha256"
    sums.write_text(f"{hashlib.sha256(rebuilt).hexdigest()}  yolo11n.pt\n")
    env = {
        key: value
        for key, value in os.environ.items()
        # TRANSFORMERS_OFFLINE too: the embedder sets it in this process once it has loaded a
        # model, and huggingface_hub honours it as HF_HUB_OFFLINE.
        if not key.lower().endswith("_proxy")
        and not key.startswith(("HF_", "INTERVISTA_", "TRANSFORMERS_"))
    }
    env.update(
        INTERVISTA_MODELS_DIR=str(tmp_path / "models"),
        INTERVISTA_MODELS_YOLO_BASE_URL=hub.assets_url,
        INTERVISTA_MODELS_CHECKSUMS_FILE=str(sums),
        INTERVISTA_SECRETS_FILE=str(tmp_path / "none.toml"),
        INTERVISTA_DATA_DIR=str(tmp_path / "data"),
        HF_ENDPOINT=hub.url,
        HF_HOME=str(tmp_path / "hf-home"),
        HF_HUB_DISABLE_TELEMETRY="1",
        # The hub runs in this (busy) test process: under a full parallel suite an answer can
        # take seconds; a stopped hub (the offline test) refuses at once whatever these say.
        HF_HUB_ETAG_TIMEOUT="60",
        HF_HUB_DOWNLOAD_TIMEOUT="60",
    )
    env.update(extra_env)
    return subprocess.run(
        [sys.executable, "-m", "core", "models", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _summary(result: subprocess.CompletedProcess[str]) -> dict[str, dict[str, object]]:
    last = json.loads(result.stdout.strip().splitlines()[-1])
    return {m["name"]: m for m in last["models"]}


def test_pull_fetches_everything_then_status_and_verify_agree(
    hub: ModelHub, tmp_path: Path
) -> None:
    pulled = _cli(hub, tmp_path, "pull")
    assert pulled.returncode == 0, pulled.stderr
    assert f"{YOLO}: yolo11n.pt: 5.5/5.5 MB" in pulled.stderr and "MB" in pulled.stderr  # progress
    for name, path in [
        (YOLO, "yolo11n.pt"),
        (MINILM, "all-MiniLM-L6-v2"),
        (WHISPER, "faster-whisper-tiny.en"),
    ]:
        summary = _summary(pulled)[name]
        assert summary["status"] == "verified" and summary["path"] == str(
            tmp_path / "models" / path
        )
    assert not list((tmp_path / "models").rglob("*.part"))
    assert not (tmp_path / "models" / ".partial").exists()
    for action in ("status", "verify"):
        result = _cli(hub, tmp_path, action)
        assert result.returncode == 0, result.stderr
        assert {m["status"] for m in _summary(result).values()} == {"verified"}
        assert len(result.stdout.strip().splitlines()) == 4  # one line per model + JSON
    # yolo11n.pt was exported once to ONNX beside it, and the factories use it and MiniLM
    export = tmp_path / "models" / "yolo11n_export_480x640.onnx"
    assert export.is_file() and "ONNX export: yolo11n_export_480x640.onnx" in result.stdout
    settings = load_settings(
        models_dir=str(tmp_path / "models"),
        models_checksums_file=str(tmp_path / "served.sha256"),
        yolo_weights="",
        embedding_model_path="",
        detector="auto",
    )
    detector = build_detector(settings)
    assert (detector.info.name, detector.info.weights) == ("onnxruntime", str(export))
    assert build_offline_evaluator(settings).name == "offline-embedding"
    gets = len([r for r in hub.requests if r[0] == "GET"])
    again = _cli(hub, tmp_path, "pull")
    assert again.returncode == 0 and len([r for r in hub.requests if r[0] == "GET"]) == gets


@pytest.mark.parametrize(
    ("model", "served_name", "target"),
    [
        (YOLO, "yolo11n.pt", "yolo11n.pt"),
        (WHISPER, "tokenizer.json", "faster-whisper-tiny.en/tokenizer.json"),
    ],
)
def test_a_tampered_download_is_refused_and_nothing_is_left(
    hub: ModelHub, tmp_path: Path, model: str, served_name: str, target: str
) -> None:
    hub.corrupt.add(served_name)
    result = _cli(hub, tmp_path, "pull", model, "--no-export")
    assert result.returncode == 1
    assert "refused" in result.stderr and "[model_checksum_mismatch]" in result.stderr
    assert not (tmp_path / "models" / target).exists()
    assert not list((tmp_path / "models").rglob(f"{Path(target).name}*"))
    assert _summary(result)[model]["status"] != "verified"
    hub.corrupt.clear()
    assert _cli(hub, tmp_path, "pull", model, "--no-export").returncode == 0


def test_verify_detects_a_tampered_local_file_and_pull_repairs_it(
    hub: ModelHub, tmp_path: Path
) -> None:
    assert _cli(hub, tmp_path, "pull", YOLO, "--no-export").returncode == 0
    weights = tmp_path / "models" / "yolo11n.pt"
    data = bytearray(weights.read_bytes())
    data[1000] ^= 0xFF
    weights.write_bytes(bytes(data))
    verify = _cli(hub, tmp_path, "verify", YOLO)
    assert verify.returncode == 1
    assert _summary(verify)[YOLO]["status"] == "corrupt"
    assert "checksum mismatch: yolo11n.pt" in verify.stdout
    assert _cli(hub, tmp_path, "pull", YOLO, "--no-export").returncode == 0
    assert _cli(hub, tmp_path, "verify", YOLO).returncode == 0


def test_an_interrupted_asset_download_resumes_on_the_next_pull(
    hub: ModelHub, tmp_path: Path
) -> None:
    hub.drop_once.add("yolo11n.pt")
    first = _cli(hub, tmp_path, "pull", YOLO, "--no-export")
    assert first.returncode == 1 and "run pull again to resume" in first.stderr
    part = tmp_path / "models" / "yolo11n.pt.part"
    assert part.is_file() and not (tmp_path / "models" / "yolo11n.pt").exists()
    assert _summary(first)[YOLO]["status"] == "partial"
    size = part.stat().st_size
    assert 0 < size < shared_path("models", "yolo11n-rebuilt.pt").stat().st_size
    second = _cli(hub, tmp_path, "pull", YOLO, "--no-export")
    assert second.returncode == 0, second.stderr
    assert hub.ranged_requests("yolo11n.pt") == [f"bytes={size}-"]  # resumed, not restarted
    assert _summary(second)[YOLO]["status"] == "verified" and not part.exists()


def test_an_interrupted_hub_download_is_recovered(hub: ModelHub, tmp_path: Path) -> None:
    hub.drop_once.add("model.bin")
    first = _cli(hub, tmp_path, "pull", WHISPER)
    if first.returncode != 0:  # huggingface_hub retries within the call; else the next pull
        first = _cli(hub, tmp_path, "pull", WHISPER)
    assert first.returncode == 0, first.stderr
    assert _summary(first)[WHISPER]["status"] == "verified"
    assert not hub.drop_once  # the connection really was dropped
    assert _cli(hub, tmp_path, "verify", WHISPER).returncode == 0


def test_offline_pull_fails_clearly(hub: ModelHub, tmp_path: Path) -> None:
    hub.stop()
    result = _cli(hub, tmp_path, "pull")
    assert result.returncode == 1
    for name in (YOLO, MINILM, WHISPER):
        assert f"error: {name}: cannot download" in result.stderr
    assert "offline?" in result.stderr and "Traceback" not in result.stderr
    status = _cli(hub, tmp_path, "status")
    assert status.returncode == 0
    assert {m["status"] for m in _summary(status).values()} == {"missing"}


@pytest.mark.parametrize(
    ("overrides", "backend", "engine"),
    [
        ({}, "onnxruntime", "offline-embedding"),
        ({"detector": "haar"}, "haar", "offline-embedding"),
        ({"models_dir": "EMPTY"}, "haar", "offline-lexical"),
    ],
)
def test_the_factories_use_the_models_dir_with_no_other_setting(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    overrides: dict[str, str],
    backend: str,
    engine: str,
) -> None:
    shared_models = shared_path("models")  # before INTERVISTA_SHARED_DIR goes with the rest
    for key in list(os.environ):
        if key.startswith("INTERVISTA_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("INTERVISTA_SECRETS_FILE", str(tmp_path / "none.toml"))
    monkeypatch.setenv("INTERVISTA_MODELS_DIR", str(shared_models))
    if overrides.get("models_dir") == "EMPTY":
        overrides = {"models_dir": str(tmp_path / "empty")}
    settings = load_settings(**overrides)
    detector = build_detector(settings)
    assert detector.info.name == backend
    if backend == "onnxruntime":
        assert detector.info.weights == str(shared_models / "yolo11n_480x640.onnx")
    assert build_offline_evaluator(settings).name == engine


def test_first_start_pulls_what_is_missing_then_has_nothing_to_do(
    hub: ModelHub, tmp_path: Path
) -> None:
    first = _cli(hub, tmp_path, "pull", "--first-start", "--no-export")
    assert first.returncode == 0, first.stderr[-2000:]
    assert "first start: pulling yolo11n, all-MiniLM-L6-v2, faster-whisper-tiny.en" in first.stderr
    assert {m["status"] for m in _summary(first).values()} == {"verified"}
    again = _cli(hub, tmp_path, "pull", "--first-start", "--no-export")
    assert again.returncode == 0 and "every model verified" in again.stderr
    assert "pulling" not in again.stderr


def test_first_start_offline_says_what_runs_degraded_and_carries_on(
    hub: ModelHub, tmp_path: Path
) -> None:
    hub.stop()  # nothing answers on its port any more: as offline as it gets, in seconds
    done = _cli(hub, tmp_path, "pull", "--first-start")
    assert done.returncode == 0  # `make run` goes on to start the app
    assert "pulling" not in done.stderr and "Traceback" not in done.stderr
    assert "faster-whisper-tiny.en is missing: voice answers are stored but not transcribed" in (
        done.stderr
    )
    assert "set INTERVISTA_MODELS_DIR" in done.stderr
    assert json.loads(done.stdout.splitlines()[-1])["missing"] == [YOLO, MINILM, WHISPER]
    assert not (tmp_path / "models").exists() or not any((tmp_path / "models").rglob("*.bin"))


def test_first_start_pulls_from_the_sources_that_answer(hub: ModelHub, tmp_path: Path) -> None:
    result = _cli(
        hub,
        tmp_path,
        *("pull", "--first-start", "--no-export"),
        INTERVISTA_MODELS_YOLO_BASE_URL="http://127.0.0.1:9/x",  # nothing listens there
    )
    assert result.returncode == 0, result.stderr[-2000:]
    statuses = {name: m["status"] for name, m in _summary(result).items()}
    assert statuses == {YOLO: "missing", MINILM: "verified", WHISPER: "verified"}
    assert "yolo11n is missing: the camera check falls back" in result.stderr
