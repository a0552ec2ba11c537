"""The recorder keeps every WebRTC frame's timestamp: the MP4 always decodes, full length; a
late packet or a refused one does not end the recording."""

from __future__ import annotations

import asyncio
import contextlib
import time
from pathlib import Path

import av
import pytest
from aiortc.contrib.media import MediaRecorder
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack
from aiortc.rtcrtpreceiver import TimestampMapper

from core.proctor.media_probe import probe_media
from core.proctor.recorder import (
    FRAGMENTED_MP4,
    KEYFRAME_INTERVAL,
    MAX_REFUSED_IN_A_ROW,
    WEBRTC_VIDEO_TIME_BASE,
    SafeMediaRecorder,
)
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


class LatePacketVideoTrack(SyntheticVideoTrack):
    """Camera timestamps through aiortc's own RTP timestamp mapper, with one frame late (a
    reordered or retransmitted packet, as on a starved server): the mapper takes the step
    back for a 32-bit wrap and moves every later frame 2**32 ticks ahead."""

    def __init__(self, late_at: int = 90) -> None:
        super().__init__()
        self._mapper = TimestampMapper()
        self._rtp = (1 << 32) - 180_000  # a real wrap after 2 s (aiortc gets that one right)
        self._late_at = late_at
        self._previous = self._rtp
        self.handed_out: list[tuple[av.VideoFrame, int]] = []

    async def recv(self) -> av.VideoFrame:
        frame = await super().recv()
        rtp = self._rtp + frame.pts
        if self._index - 1 == self._late_at:
            rtp = self._previous - 1  # just behind the frame before it
        self._previous = rtp
        frame.pts = self._mapper.map(rtp % (1 << 32))
        self.handed_out.append((frame, frame.pts))
        return frame


class LatePacketAudioTrack(SyntheticAudioTrack):
    def __init__(self, late_at: int = 100) -> None:
        super().__init__()
        self._mapper = TimestampMapper()
        self._count = 0
        self._late_at = late_at

    async def recv(self) -> av.AudioFrame:
        frame = await super().recv()
        rtp = frame.pts - (961 if self._count == self._late_at else 0)  # behind the last one
        self._count += 1
        frame.pts = self._mapper.map(rtp)
        return frame


def test_aiortc_turns_one_late_frame_into_a_13_hour_jump() -> None:
    """The premise of the fix, on aiortc's real mapper."""
    mapper = TimestampMapper()
    assert [mapper.map(t) for t in (1000, 4000, 3999, 7000)] == [
        0,
        3000,
        2999 + 2**32,
        6000 + 2**32,
    ]


def test_a_late_frame_does_not_end_the_recording(tmp_path: Path) -> None:
    path = tmp_path / "late.mp4"
    recorder = SafeMediaRecorder(path)
    video, audio = LatePacketVideoTrack(), LatePacketAudioTrack()
    asyncio.run(_record(recorder, [video, audio]))
    assert recorder.error == ""
    assert recorder.retimed_frames == {"video": 1, "audio": 1}
    probe = probe_media(path)
    assert probe.error == ""
    assert probe.video_frames == len(STEPS)  # all of them, not the 60 before the late one
    assert probe.duration_seconds == pytest.approx(DURATION, rel=0.05)
    assert probe.audio_frames > 0
    # The frames the relay hands to every consumer keep their own timestamps.
    assert all(frame.pts == pts for frame, pts in video.handed_out)


def test_without_the_timeline_the_same_frames_stop_the_muxer(tmp_path: Path) -> None:
    """What happened before: FFmpeg refuses the 13-hour step ("patches welcome")."""
    container = av.open(str(tmp_path / "plain.mp4"), "w", format="mp4", options=FRAGMENTED_MP4)
    stream = container.add_stream("libx264", rate=30)
    stream.pix_fmt = "yuv420p"
    stream.codec_context.time_base = WEBRTC_VIDEO_TIME_BASE
    stream.codec_context.gop_size = KEYFRAME_INTERVAL  # as the recorder: a fragment per 50
    stream.width, stream.height = 640, 480
    track = LatePacketVideoTrack()

    async def encode_all() -> None:
        while True:
            try:
                frame = await track.recv()
            except MediaStreamError:
                for packet in stream.encode(None):  # the encoder's last frames
                    container.mux(packet)
                return
            frame = frame.reformat(width=640, height=480)
            for packet in stream.encode(frame):
                container.mux(packet)

    with pytest.raises(av.error.FFmpegError):
        asyncio.run(encode_all())
    container.close()


class RefusingContainer:
    """Stands in for the MP4 muxer: refuses every packet from ``refuse_from`` on."""

    def __init__(self, refuse_from: int) -> None:
        self.refuse_from = refuse_from
        self.calls = 0

    def mux(self, packet: object) -> None:
        self.calls += 1
        if self.calls > self.refuse_from:
            raise av.error.PatchWelcomeError(0, "Not yet implemented in FFmpeg, patches welcome")


def test_a_refused_packet_is_dropped_but_a_muxer_that_keeps_refusing_ends_it(
    tmp_path: Path,
) -> None:
    recorder = SafeMediaRecorder(tmp_path / "x.mp4")
    once = RefusingContainer(refuse_from=0)
    recorder._mux(once, object())  # dropped, logged
    once.refuse_from = 10**9
    recorder._mux(once, object())
    assert recorder.dropped_packets == 1
    always = RefusingContainer(refuse_from=0)
    with pytest.raises(av.error.PatchWelcomeError):
        for _ in range(MAX_REFUSED_IN_A_ROW):
            recorder._mux(always, object())
    assert always.calls == MAX_REFUSED_IN_A_ROW


class PausingVideoTrack(SyntheticVideoTrack):
    """Video that stops on the same connection (a starved server, a network hiccup), then
    comes back when the test says so."""

    def __init__(self, pause_at: int = 60) -> None:
        super().__init__()
        self.paused, self.resume = asyncio.Event(), asyncio.Event()
        self._pause_at = pause_at

    async def recv(self) -> av.VideoFrame:
        if self._index == self._pause_at and not self.resume.is_set():
            self.paused.set()
            await self.resume.wait()
        return await super().recv()


def test_video_back_after_a_stall_goes_on_in_a_new_segment(tmp_path: Path) -> None:
    """The watchdog cuts a stalled recording; when video comes back on the same connection
    the recorder opens the next segment by itself (it used to stay stopped: a CI run of the
    media test lost 118 s that way)."""
    names = iter(tmp_path / f"segment-{n}.mp4" for n in range(1, 10))
    finished: list[Path] = []
    recorder = SafeMediaRecorder(
        next(names), on_finished=lambda p, _t: finished.append(p), next_path=lambda: next(names)
    )
    video = PausingVideoTrack()

    async def record() -> None:
        recorder.addTrack(video)
        recorder.addTrack(SyntheticAudioTrack())
        await recorder.start()
        await video.paused.wait()
        recorder.finalize_soon()  # what the watchdog does after 8 s without video
        for _ in range(40):
            await asyncio.sleep(0.005)
        assert recorder.seconds_since_frame(0.0) is None  # nothing left to finalize
        video.resume.set()
        for _ in range(400):
            await asyncio.sleep(0.005)
        await recorder.stop()

    asyncio.run(record())
    for _ in range(100):  # registration runs on its own threads
        if len(finished) == 2:
            break
        time.sleep(0.05)
    assert sorted(finished) == [tmp_path / "segment-1.mp4", tmp_path / "segment-2.mp4"]
    assert recorder.segments == 2 and recorder.error == ""
    probes = [probe_media(path) for path in sorted(finished)]
    assert [p.error for p in probes] == ["", ""]
    assert [p.video_frames for p in probes] == [60, len(STEPS) - 60]  # every frame, once


def test_without_next_path_a_stall_stops_the_recorder(tmp_path: Path) -> None:
    recorder = SafeMediaRecorder(tmp_path / "only.mp4")
    video = PausingVideoTrack()

    async def record() -> None:
        recorder.addTrack(video)
        await recorder.start()
        await video.paused.wait()
        recorder.finalize_soon()
        for _ in range(40):
            await asyncio.sleep(0.005)
        video.resume.set()
        for _ in range(100):
            await asyncio.sleep(0.005)

    asyncio.run(record())
    assert recorder.finished and recorder.segments == 1
    assert probe_media(tmp_path / "only.mp4").video_frames == 60
