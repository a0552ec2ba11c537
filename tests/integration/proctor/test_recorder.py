"""The recorder keeps every WebRTC frame's timestamp: the MP4 always decodes, full length."""

from __future__ import annotations

import asyncio
import contextlib
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from aiortc.contrib.media import MediaRecorder
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack

from core.proctor.media_probe import probe_media
from core.proctor.recorder import SafeMediaRecorder

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


async def _record(recorder: MediaRecorder, tracks: list[MediaStreamTrack]) -> None:
    for track in tracks:
        recorder.addTrack(track)
    await recorder.start()
    for _ in range(400):
        await asyncio.sleep(0.005)
    await recorder.stop()


@pytest.mark.parametrize("with_audio", [False, True])
def test_safe_recorder_keeps_every_frame(tmp_path: Path, with_audio: bool) -> None:
    path = tmp_path / "rec.mp4"
    finished: list[Path] = []
    recorder = SafeMediaRecorder(path, on_finished=lambda p, _t: finished.append(p))
    tracks: list[MediaStreamTrack] = [SyntheticVideoTrack()]
    if with_audio:
        tracks.append(SyntheticAudioTrack())
    asyncio.run(_record(recorder, tracks))
    probe = probe_media(path)
    assert probe.error == ""
    assert probe.video_frames == len(STEPS)
    assert probe.duration_seconds == pytest.approx(DURATION, rel=0.05)
    if with_audio:
        assert probe.audio_frames > 0
        with av.open(str(path)) as container:
            codecs = {s.type: s.codec_context.name for s in container.streams}
        assert codecs == {"video": "h264", "audio": "aac"}


def test_stock_recorder_loses_frames_on_the_same_input(tmp_path: Path) -> None:
    """The bug the fix is for: the stock recorder stops at the first rounded-equal dts."""
    path = tmp_path / "stock.mp4"
    recorder = MediaRecorder(str(path), format="mp4")
    # The muxer's "non monotonically increasing dts" may surface here or only in the log.
    with contextlib.suppress(ValueError):
        asyncio.run(_record(recorder, [SyntheticVideoTrack()]))
    probe = probe_media(path)
    assert probe.error or probe.video_frames < len(STEPS)


def test_probe_reports_a_file_that_is_not_media(tmp_path: Path) -> None:
    bogus = tmp_path / "broken.mp4"
    bogus.write_bytes(b"not a video at all")
    probe = probe_media(bogus)
    assert probe.error
    assert probe.video_frames == 0


class LateVideoTrack(SyntheticVideoTrack):
    """The first video frame comes after audio has started (as with a real browser)."""

    async def recv(self) -> av.VideoFrame:
        if self._index == 0:
            await asyncio.sleep(0.3)
        return await super().recv()


@pytest.mark.parametrize("recorder_class", [SafeMediaRecorder, MediaRecorder])
def test_audio_first_does_not_kill_the_video(tmp_path: Path, recorder_class: type) -> None:
    path = tmp_path / "late-video.mp4"
    recorder = (
        recorder_class(path)
        if recorder_class is SafeMediaRecorder
        else recorder_class(str(path), format="mp4")
    )
    asyncio.run(_record(recorder, [SyntheticAudioTrack(), LateVideoTrack()]))
    probe = probe_media(path)
    if recorder_class is SafeMediaRecorder:
        assert probe.error == "" and probe.video_frames == len(STEPS) and probe.audio_frames > 0
    else:  # aiortc's own loop: "Cannot change width after codec is open"
        assert probe.error or probe.video_frames == 0
