"""Synthetic WebRTC tracks for recorder tests: jittered 90 kHz video, 48 kHz silent audio."""

from __future__ import annotations

import asyncio
from fractions import Fraction

import av
import numpy as np
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack

# 90 kHz timestamps like a WebRTC camera, with jitter: some frames 11 ms apart, which
# round to the same tick at the stock recorder's 1/30 time base.
STEPS = [3000, 1000, 5000, 3000, 2900, 3100] * 20  # 120 frames, 4.0 s
DURATION = sum(STEPS) / 90000


class SyntheticVideoTrack(MediaStreamTrack):
    kind = "video"

    def __init__(self) -> None:
        super().__init__()
        self._pts = 0
        self._index = 0

    async def recv(self) -> av.VideoFrame:
        if self._index >= len(STEPS):
            raise MediaStreamError
        await asyncio.sleep(0)
        size = (480, 640) if self._index < 60 else (360, 480)  # size changes mid-stream
        image = np.full((*size, 3), (self._index * 2) % 255, dtype=np.uint8)
        frame = av.VideoFrame.from_ndarray(image, format="bgr24")
        frame.pts = self._pts
        frame.time_base = Fraction(1, 90000)
        self._pts += STEPS[self._index]
        self._index += 1
        return frame


class SyntheticAudioTrack(MediaStreamTrack):
    kind = "audio"

    def __init__(self) -> None:
        super().__init__()
        self._pts = 0

    async def recv(self) -> av.AudioFrame:
        if self._pts >= int(DURATION * 48000):
            raise MediaStreamError
        await asyncio.sleep(0)
        samples = np.zeros((1, 960), dtype=np.int16)
        frame = av.AudioFrame.from_ndarray(samples, format="s16", layout="mono")
        frame.sample_rate = 48000
        frame.pts = self._pts
        frame.time_base = Fraction(1, 48000)
        self._pts += 960
        return frame
