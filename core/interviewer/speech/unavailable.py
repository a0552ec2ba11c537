"""The transcriber when no speech model is installed: it says so, every time."""

from __future__ import annotations

from pathlib import Path

from core.interviewer.speech.types import TranscriberUnavailable, Transcript

NO_MODEL = (
    "No speech model is installed on this server (an administrator can run "
    "`python -m core models pull`)."
)


class UnavailableTranscriber:
    def __init__(self, reason: str = NO_MODEL) -> None:
        self.reason = reason

    @property
    def name(self) -> str:
        return ""

    @property
    def available(self) -> bool:
        return False

    def transcribe(self, path: Path) -> Transcript:
        raise TranscriberUnavailable(self.reason)
