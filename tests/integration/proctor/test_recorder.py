"""The recorder keeps every WebRTC frame's timestamp: the MP4 always decodes, full length."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

import av
import pytest
from aiortc.contrib.media import MediaRecorder
from aiortc.mediastreams import MediaStreamTrack

from core.proctor.media_probe import probe_media
from core.proctor.recorder import SafeMediaRecorder
from tests.support.media_tracks import (
    DURATION,
    STEPS,
    SyntheticAudioTrack,
    SyntheticVideoTrack,
)


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
