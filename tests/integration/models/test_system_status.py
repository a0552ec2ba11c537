"""The system status on real model folders: which engine each part runs with which models
present, what a candidate is told, and that only administrators may read it."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.config import load_settings
from core.domain import Role
from core.errors import PermissionDenied
from core.models.system_status import candidate_capabilities, capabilities, system_status
from core.staff.permissions import CandidatePrincipal, StaffPrincipal
from tests.support.shared import shared_path

YOLO_FILES = ("yolo11n_480x640.onnx", "yolo11n_320.onnx", "yolo11n-rebuilt.pt")


def _models_dir(tmp_path: Path, parts: tuple[str, ...]) -> Path:
    """A models folder holding (links to) some of the shared models."""
    folder = tmp_path / "models"
    folder.mkdir()
    shared = shared_path("models")
    for part in parts:
        for name in YOLO_FILES if part == "yolo" else (part,):
            (folder / name).symlink_to(shared / name)
    return folder


@pytest.mark.parametrize(
    ("present", "full", "engines"),
    [
        (
            ("yolo", "all-MiniLM-L6-v2", "faster-whisper-tiny.en"),
            (True, True, True),
            ("YOLO yolo11n_480x640.onnx (onnxruntime)", "offline: sentence embeddings",
             "Whisper tiny.en"),
        ),
        ((), (False, False, False), ("Haar", "offline: lexical", "none")),
        (
            ("all-MiniLM-L6-v2",),
            (False, True, False),
            ("Haar", "offline: sentence embeddings", "none"),
        ),
        (("yolo",), (True, False, False), ("YOLO", "offline: lexical", "none")),
    ],
)  # fmt: skip
def test_each_part_runs_with_what_is_there(
    tmp_path: Path, present: tuple[str, ...], full: tuple[bool, ...], engines: tuple[str, ...]
) -> None:
    settings = load_settings(
        data_dir=tmp_path / "data",
        models_dir=str(_models_dir(tmp_path, present)),
        openai_api_key="",
        evaluator="auto",
    )
    found = capabilities(settings)
    assert tuple(c.full for c in found) == full
    for capability, engine in zip(found, engines, strict=True):
        assert capability.engine.startswith(engine), capability
        assert bool(capability.note) is not capability.full  # a fallback says what is lost
    told = candidate_capabilities(settings)
    assert told.spoken_answers_transcribed is full[2]
    assert ("phones" in told.camera_checks) is full[0]


def test_staff_read_the_status_and_only_administrators_the_paths(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path, models_dir=str(shared_path("models")))
    status = system_status(StaffPrincipal(1, Role.ADMIN), settings)
    assert {m.name for m in status.models} == {
        "yolo11n",
        "all-MiniLM-L6-v2",
        "faster-whisper-tiny.en",
    }
    assert all(m.status == "verified" for m in status.models) and not status.degraded
    assert status.detailed and all(m.path for m in status.models)
    for role in (Role.RECRUITER, Role.HIRING_MANAGER):
        other = system_status(StaffPrincipal(2, role), settings)
        assert not other.detailed and not any(m.path or m.detail for m in other.models)
        assert other.capabilities == status.capabilities
    with pytest.raises(PermissionDenied):
        system_status(CandidatePrincipal(1), settings)  # type: ignore[arg-type]


def test_a_tampered_model_shows_as_corrupt_and_its_part_falls_back(tmp_path: Path) -> None:
    folder = _models_dir(tmp_path, ("yolo",))
    for name in YOLO_FILES:  # replace the links with damaged copies
        data = (folder / name).read_bytes()
        (folder / name).unlink()
        (folder / name).write_bytes(data[:-100] + b"\x00" * 100)
    settings = load_settings(data_dir=tmp_path / "data", models_dir=str(folder))
    status = system_status(StaffPrincipal(1, Role.ADMIN), settings)
    yolo = next(m for m in status.models if m.name == "yolo11n")
    assert yolo.status == "corrupt"
    assert status.capabilities[0].engine.startswith("Haar")  # never runs an unverified file


def test_the_local_llm_is_named_and_a_bad_file_says_why(tmp_path: Path) -> None:
    model = tmp_path / "tiny-model.gguf"
    model.write_bytes(b"GGUF" + b"\0" * 64)  # the header is all the panel checks
    ok = load_settings(data_dir=tmp_path / "data", local_llm_model_path=str(model))
    scoring = capabilities(ok)[1]
    assert scoring.engine.startswith("LLM local tiny-model (llama.cpp)") and scoring.full
    broken = tmp_path / "page.gguf"
    broken.write_text("<html>an error page saved as the model</html>")
    bad = load_settings(data_dir=tmp_path / "data", local_llm_model_path=str(broken))
    scoring = capabilities(bad)[1]
    assert not scoring.full and "not a GGUF model file" in scoring.note
    missing = load_settings(data_dir=tmp_path / "data", local_llm_model_path="/no/such.gguf")
    assert "no model file" in capabilities(missing)[1].note
