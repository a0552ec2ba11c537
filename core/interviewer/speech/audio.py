"""Decode a recording to what Whisper takes (16 kHz mono float32) and refuse what cannot be
transcribed, with a sentence a candidate can read: not audio or corrupt, under half a second,
over ``MAX_TRANSCRIBE_SECONDS`` (refused from the container's duration, or while decoding,
never after decoding it all), or silence.

Any format and sample rate FFmpeg reads (through PyAV, which the camera already uses).
Runs on the caller's thread (the transcription worker, or a command).
"""

from __future__ import annotations

import logging
from pathlib import Path

import av
import numpy as np

from core.interviewer.speech.types import (
    SAMPLE_RATE,
    AudioTooLong,
    AudioTooShort,
    AudioUnreadable,
    NoSpeech,
)

logger = logging.getLogger(__name__)

MIN_SECONDS = 0.5
MAX_TRANSCRIBE_SECONDS = 15 * 60
# Root mean square of the samples (full scale 1.0) under which nothing was said: a muted or
# unplugged microphone gives 0-0.0005; quiet speech at a laptop microphone 0.01 and more.
SILENCE_RMS = 0.002
_DECODE_ERRORS = (av.FFmpegError, OSError, ValueError, IndexError, EOFError)


def _too_long() -> AudioTooLong:
    return AudioTooLong(
        f"The recording is longer than {MAX_TRANSCRIBE_SECONDS // 60} minutes; record a "
        "shorter answer."
    )


def decode(path: Path) -> np.ndarray:
    """The recording's samples, mono float32 at ``SAMPLE_RATE``, checked (see module doc)."""
    limit = MAX_TRANSCRIBE_SECONDS * SAMPLE_RATE
    chunks: list[np.ndarray] = []
    total = 0
    try:
        container = av.open(str(path))
    except _DECODE_ERRORS as exc:
        logger.info("cannot open %s as audio: %s", path, exc)
        raise AudioUnreadable("The file is not a recording that can be read.") from exc
    with container:
        if not container.streams.audio:
            raise AudioUnreadable("The file has no sound in it.")
        if container.duration is not None and container.duration / 1e6 > MAX_TRANSCRIBE_SECONDS:
            raise _too_long()
        stream = container.streams.audio[0]
        resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
        try:
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    samples = out.to_ndarray().reshape(-1)
                    chunks.append(samples)
                    total += samples.size
                if total > limit:
                    raise _too_long()
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray().reshape(-1))
        except _DECODE_ERRORS as exc:
            # A file cut short decodes up to the damage: keep what came before it.
            logger.info("decoding %s stopped after %d samples: %s", path, total, exc)
            if total < MIN_SECONDS * SAMPLE_RATE:
                raise AudioUnreadable("The recording is damaged and cannot be played.") from exc
    audio = np.concatenate(chunks).astype(np.float32) if chunks else np.zeros(0, np.float32)
    return check(audio)


def check(audio: np.ndarray) -> np.ndarray:
    """Refuse too short, too long or silent audio (16 kHz mono float32); return it as is."""
    if audio.size < MIN_SECONDS * SAMPLE_RATE:
        raise AudioTooShort("The recording is under half a second; record your answer again.")
    if audio.size > MAX_TRANSCRIBE_SECONDS * SAMPLE_RATE:
        raise _too_long()
    rms = float(np.sqrt(np.mean(np.square(audio, dtype=np.float64))))
    if rms < SILENCE_RMS:
        raise NoSpeech(
            "The recording is silent: check that the right microphone is chosen and not muted."
        )
    return audio


def duration_seconds(audio: np.ndarray) -> float:
    return audio.size / SAMPLE_RATE
