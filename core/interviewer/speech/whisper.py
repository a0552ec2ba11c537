"""Whisper ``tiny.en`` in CTranslate2 format, run by faster-whisper, int8 on the CPU.

The model folder comes from the models dir (``core.models.service.default_whisper_model``);
nothing is ever downloaded (``local_files_only``, an absolute path). One model per process and
folder, loaded on first use under a lock; transcriptions run one at a time per model (the
worker has one thread anyway; a command may call from its own). Called from the transcription
worker's thread or a command, never from a page's script thread.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Any

from core.interviewer.speech.audio import decode, duration_seconds
from core.interviewer.speech.types import NoSpeech, TranscriberUnavailable, Transcript

logger = logging.getLogger(__name__)

COMPUTE_TYPE = "int8"
# Beam search (faster-whisper's default): against greedy decoding it cost 11 % more CPU and
# halved the word errors on espeak-ng answers (4.5 % vs 8.6 %; bench/transcribe.py,
# docs/speech.md).
BEAM_SIZE = 5

_models: dict[tuple[str, int], Any] = {}
_locks: dict[tuple[str, int], threading.Lock] = {}
_registry_lock = threading.Lock()


def _load(folder: Path, threads: int) -> tuple[Any, threading.Lock]:
    key = (str(folder.resolve()), threads)
    with _registry_lock:
        if key not in _models:
            try:
                from faster_whisper import WhisperModel

                started = time.perf_counter()
                _models[key] = WhisperModel(
                    str(folder.resolve()),
                    device="cpu",
                    compute_type=COMPUTE_TYPE,
                    cpu_threads=threads,
                    local_files_only=True,
                )
                _locks[key] = threading.Lock()
                logger.info(
                    "speech model %s loaded in %.1f s", folder.name, time.perf_counter() - started
                )
            except Exception as exc:
                logger.exception("cannot load the speech model in %s", folder)
                raise TranscriberUnavailable(
                    "The speech model on this server could not be loaded."
                ) from exc
        return _models[key], _locks[key]


class FasterWhisperTranscriber:
    """The speech model in ``model_dir`` (absolute), on ``threads`` CPU threads."""

    def __init__(self, model_dir: Path, *, threads: int = 1, beam_size: int = BEAM_SIZE) -> None:
        if not model_dir.is_absolute():
            raise ValueError("the speech model's folder must be an absolute path")
        self.model_dir, self.threads, self.beam_size = model_dir, threads, beam_size

    @property
    def name(self) -> str:
        return f"{self.model_dir.name} ({COMPUTE_TYPE})"

    @property
    def available(self) -> bool:
        return True

    def load(self) -> None:
        """Load the model now (a benchmark's load time; a warm-up)."""
        _load(self.model_dir, self.threads)

    def transcribe(self, path: Path) -> Transcript:
        started = time.perf_counter()
        audio = decode(path)
        model, lock = _load(self.model_dir, self.threads)
        with lock:
            segments, _info = model.transcribe(
                audio,
                language="en",
                beam_size=self.beam_size,
                condition_on_previous_text=False,  # no repetition loops on long answers
                # Silero VAD (bundled with faster-whisper) drops the silences: speech then 40 s
                # of an open microphone went from 40 % to 15 % word errors, at less CPU.
                vad_filter=True,
            )
            kept = list(segments)
        text = " ".join(s.text.strip() for s in kept).strip()
        if not text:
            raise NoSpeech("No words were heard in the recording; speak closer to the microphone.")
        return Transcript(
            text=text,
            model=self.name,
            language="en",
            duration_seconds=round(duration_seconds(audio), 3),
            processing_seconds=round(time.perf_counter() - started, 3),
            avg_logprob=round(sum(s.avg_logprob for s in kept) / len(kept), 4),
            no_speech_prob=round(max(s.no_speech_prob for s in kept), 4),
        )
