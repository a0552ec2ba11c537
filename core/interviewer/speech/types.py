"""The speech-to-text interface: what a transcriber takes and returns, and its errors.

Implementations (``whisper.py``: faster-whisper; ``unavailable.py``: no model installed) are
chosen by ``factory.build_transcriber(settings)``. A transcriber is called from a worker thread
(``core/interviewer/speech/worker.py``) or a command, never from a page's script thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from core.errors import IntervistaError

SAMPLE_RATE = 16_000  # what Whisper takes: mono float32 at 16 kHz


class TranscriptionError(IntervistaError, ValueError):
    """The audio cannot be transcribed; ``str(exc)`` is a sentence a candidate can read."""

    code = "transcription_failed"


class AudioUnreadable(TranscriptionError):
    """Not audio, corrupt, or no audio stream (ffmpeg/PyAV could not decode it)."""

    code = "audio_unreadable"


class AudioTooShort(TranscriptionError):
    code = "audio_too_short"


class AudioTooLong(TranscriptionError):
    code = "audio_too_long"


class NoSpeech(TranscriptionError):
    """Decoded, but silence or no words were heard."""

    code = "no_speech"


class TranscriberUnavailable(TranscriptionError):
    """No speech model on this server (``python -m core models pull``)."""

    code = "transcriber_unavailable"


@dataclass(frozen=True)
class Transcript:
    text: str
    model: str  # e.g. "faster-whisper-tiny.en (int8)"
    language: str
    duration_seconds: float  # of the audio
    processing_seconds: float  # wall time of the transcription (decode included)
    avg_logprob: float | None = None  # mean of the segments' avg_logprob (confidence)
    no_speech_prob: float | None = None  # max over segments


class Transcriber(Protocol):
    """Turns one audio file into text. Blocks for seconds: call from a worker thread."""

    @property
    def name(self) -> str:
        """The model's name as stored beside a transcript ("" when unavailable)."""
        ...

    @property
    def available(self) -> bool: ...

    def transcribe(self, path: Path) -> Transcript:
        """Decode any format ffmpeg reads at any sample rate, check it, transcribe it.

        Raises a ``TranscriptionError`` subclass with a readable reason; never returns an
        empty ``text`` (``NoSpeech`` instead)."""
        ...
