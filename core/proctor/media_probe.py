"""Decode a media file with PyAV to prove it plays and measure it."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path

import av

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class MediaProbe:
    duration_seconds: float | None
    video_frames: int
    audio_frames: int
    width: int | None
    height: int | None
    error: str = ""


def probe_media(path: Path) -> MediaProbe:
    """Decode every frame; duration = last frame end minus first frame start (per stream)."""
    try:
        with av.open(str(path)) as container:
            spans: list[float] = []
            counts = {"video": 0, "audio": 0}
            width: int | None = None
            height: int | None = None
            first: dict[int, float] = {}
            last: dict[int, float] = {}
            for frame in container.decode(*[s for s in container.streams if s.type in counts]):
                if isinstance(frame, av.VideoFrame):
                    kind, index = "video", 0
                    width, height = frame.width, frame.height
                elif isinstance(frame, av.AudioFrame):
                    kind, index = "audio", 1
                else:  # only video and audio streams are decoded
                    continue
                counts[kind] += 1
                if frame.time is None:
                    continue
                end = frame.time
                if isinstance(frame, av.AudioFrame) and frame.sample_rate:
                    end += frame.samples / frame.sample_rate
                first.setdefault(index, frame.time)
                last[index] = max(last.get(index, end), end)
            for index, start in first.items():
                spans.append(last[index] - start)
    except (av.FFmpegError, OSError, ValueError) as exc:
        return MediaProbe(None, 0, 0, None, None, error=str(exc) or type(exc).__name__)
    if counts["video"] == 0 and counts["audio"] == 0:
        return MediaProbe(None, 0, 0, None, None, error="no decodable frames")
    duration = max(spans) if spans else None
    return MediaProbe(duration, counts["video"], counts["audio"], width, height)


def wait_until_decodable(
    path: Path, *, timeout_seconds: float = 15.0, poll_seconds: float = 0.25
) -> MediaProbe:
    """Poll until the file exists and decodes (the writer may still be finishing it)."""
    deadline = time.monotonic() + timeout_seconds
    probe = MediaProbe(None, 0, 0, None, None, error=f"{path} not found")
    while True:
        if path.is_file() and path.stat().st_size > 0:
            probe = probe_media(path)
            if not probe.error:
                return probe
        if time.monotonic() >= deadline:
            logger.warning(
                "%s still not decodable after %.0f s: %s", path, timeout_seconds, probe.error
            )
            return probe
        time.sleep(poll_seconds)
