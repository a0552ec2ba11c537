"""The transcriber chosen by settings: Whisper when its verified folder is in the models dir
(``python -m core models pull``, or ``INTERVISTA_MODELS_DIR``), else one that says why not."""

from __future__ import annotations

from pathlib import Path

from core.config import Settings
from core.interviewer.speech.types import Transcriber
from core.interviewer.speech.unavailable import UnavailableTranscriber
from core.models.service import default_whisper_model


def build_transcriber(settings: Settings, *, threads: int = 1) -> Transcriber:
    """Cheap: the model itself loads on the first transcription (on the worker's thread)."""
    folder = default_whisper_model(settings)
    if not folder:
        return UnavailableTranscriber()
    try:
        import faster_whisper  # noqa: F401  (installed with requirements.txt)
    except ImportError:
        return UnavailableTranscriber(
            "The faster-whisper package is not installed on this server (pip install -r "
            "requirements.txt)."
        )
    from core.interviewer.speech.whisper import FasterWhisperTranscriber

    return FasterWhisperTranscriber(Path(folder), threads=threads)
