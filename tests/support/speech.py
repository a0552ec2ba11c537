"""Speech made at test time: Debian's espeak-ng speaks a text into a WAV file (skipped with a
reason where it is missing, failed in CI), and FFmpeg converts it to other formats."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from tests.support.shared import require_or_skip

# Slower than espeak-ng's default (175 words/min): tiny.en hears its voice better.
WORDS_PER_MINUTE = 140


def speak(text: str, target: Path, *, rate: int = 16_000, pad_seconds: float = 0.0) -> Path:
    """``text`` spoken by espeak-ng (US English) as a 16-bit mono WAV at ``rate`` Hz, with
    ``pad_seconds`` of silence after it (a microphone left on)."""
    require_or_skip(shutil.which("espeak-ng") is not None, "espeak-ng is not installed")
    raw = target.with_suffix(".espeak.wav")
    subprocess.run(
        ["espeak-ng", "-v", "en-us", "-s", str(WORDS_PER_MINUTE), "-w", str(raw), text],
        check=True,
        timeout=60,
    )
    pad = ["-af", f"apad=pad_dur={pad_seconds}"] if pad_seconds else []
    convert(raw, target, "-ar", str(rate), "-ac", "1", *pad)
    raw.unlink()
    return target


def convert(source: Path, target: Path, *options: str) -> Path:
    """FFmpeg ``source`` → ``target`` (format from the suffix) with ``options``."""
    require_or_skip(shutil.which("ffmpeg") is not None, "ffmpeg is not installed")
    subprocess.run(
        ["ffmpeg", "-loglevel", "error", "-y", "-i", str(source), *options, str(target)],
        check=True,
        timeout=120,
    )
    return target
