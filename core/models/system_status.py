"""What the platform runs with, and what it lacks: the models on disk and the engine each part
of the product uses because of them (the "System status" panel: every staff member sees it,
administrators with the files' paths), and the part of it a candidate should know (which
camera checks run, whether spoken answers are transcribed).

Read-only and cheap (file sizes and cached checksums; no model is loaded).
"""

from __future__ import annotations

from dataclasses import dataclass

from core.config import Settings
from core.interviewer.ai.local_llm import LocalLLMUnavailable, check_model_file
from core.models import service
from core.models.registry import find_spec, registry
from core.proctor.detection import DetectorError
from core.proctor.factory import choose_backend
from core.staff.permissions import Action, Principal, can, require


@dataclass(frozen=True)
class ModelLine:
    name: str
    purpose: str
    status: str  # verified | missing | corrupt | partial
    path: str
    size_mb: float
    detail: str
    degraded_without: str


@dataclass(frozen=True)
class Capability:
    area: str  # "Proctoring", "Answer scoring", "Spoken answers"
    engine: str  # what runs
    full: bool  # False: a fallback runs; ``note`` says what is lost
    note: str


@dataclass(frozen=True)
class SystemStatus:
    models: tuple[ModelLine, ...]
    capabilities: tuple[Capability, ...]
    detailed: bool = False  # paths and per-file details (administrators)

    @property
    def degraded(self) -> tuple[Capability, ...]:
        return tuple(c for c in self.capabilities if not c.full)


@dataclass(frozen=True)
class CandidateCapabilities:
    camera_checks: str  # a sentence: what the camera check looks for
    spoken_answers_transcribed: bool


def _proctoring(settings: Settings) -> Capability:
    weights = service.default_yolo_weights(settings)
    try:
        backend = choose_backend(settings.detector, weights)
    except DetectorError as exc:
        return Capability("Proctoring", "none", False, f"the detector cannot start: {exc}")
    if backend == "haar":
        return Capability(
            "Proctoring",
            "Haar face detector (OpenCV)",
            False,
            "no YOLO model: phones, books and laptops are not checked, and a turned head "
            "looks like an empty seat",
        )
    name = weights.rstrip("/").rsplit("/", 1)[-1]
    return Capability("Proctoring", f"YOLO {name} ({backend})", True, "")


def _scoring(settings: Settings) -> Capability:
    model = service.default_embedding_model(settings)
    offline = "sentence embeddings (all-MiniLM-L6-v2)" if model else "lexical overlap"
    if settings.local_llm_model_path:
        try:
            check_model_file(settings.local_llm_model_path)
        except LocalLLMUnavailable as exc:
            return Capability(
                "Answer scoring",
                f"offline: {offline} (the local LLM cannot run)",
                False,
                f"{exc}: answers are scored offline and flagged for review",
            )
    if settings.llm_enabled:
        return Capability(
            "Answer scoring",
            f"LLM {settings.llm_label}, falling back to {offline}",
            True,
            "" if model else "the fallback scores by shared words only (no embedding model)",
        )
    if model:
        return Capability("Answer scoring", f"offline: {offline}", True, "")
    return Capability(
        "Answer scoring",
        "offline: lexical overlap",
        False,
        "no embedding model: answers are scored by shared words, not meaning",
    )


def _speech(settings: Settings) -> Capability:
    if service.default_whisper_model(settings):
        return Capability("Spoken answers", "Whisper tiny.en (faster-whisper, int8)", True, "")
    return Capability(
        "Spoken answers",
        "none",
        False,
        "no speech model: voice answers are stored but not transcribed (flagged for review)",
    )


def capabilities(settings: Settings) -> tuple[Capability, ...]:
    return (_proctoring(settings), _scoring(settings), _speech(settings))


def system_status(principal: Principal, settings: Settings) -> SystemStatus:
    """Every model's status and the engines in use (staff); file paths and per-file details
    for administrators only."""
    require(principal, Action.VIEW_SYSTEM_STATUS)
    admin = can(principal, Action.MANAGE_USERS)
    specs = registry(settings)
    lines = tuple(
        ModelLine(
            name=r.name,
            purpose=find_spec(specs, r.name).purpose,
            status=r.status.value,
            path=r.path if admin else "",
            size_mb=round(r.size / 1e6, 1),
            detail=r.detail if admin else "",
            degraded_without=find_spec(specs, r.name).degraded_without,
        )
        for r in service.status(settings)
    )
    return SystemStatus(lines, capabilities(settings), detailed=admin)


def candidate_capabilities(settings: Settings) -> CandidateCapabilities:
    """Only what concerns a candidate (no paths, no model names)."""
    proctoring = _proctoring(settings)
    checks = (
        "The camera check looks for your face, other people, phones, books and laptops."
        if proctoring.full
        else "The camera check looks for your face only."
    )
    return CandidateCapabilities(checks, _speech(settings).full)
