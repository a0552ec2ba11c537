"""MP4 recording of the candidate's camera (and microphone) that always plays.

aiortc's MediaRecorder encodes video at a 1/30 time base while WebRTC frames carry 1/90000
timestamps: frames round to equal timestamps, the muxer raises "non monotonically increasing
dts" and the recording silently stops. ``SafeMediaRecorder`` sets the video encoder's time base
to 1/90000 right after the track is added, which keeps every frame's own timestamp.
With audio, aiortc's writer can also die with "Cannot change width after codec is open" when
an audio packet is muxed before the first video frame (muxing opens every codec); our writer
loop makes audio wait for the video size. Timestamps pass through ``MonotonicTimeline`` (a late
packet must not end the recording: see ``core.proctor.frame_timing``), and a packet the muxer
still refuses is dropped, not fatal. When the recording stops,
``on_finished(path, started_at)`` runs on a new thread.

Every segment must play even when the browser vanishes: the MP4 is fragmented (a playable
fragment at every keyframe, about every 2 s), so a file whose trailer was never written still
decodes up to its last fragment; ``stop`` writes the trailer even when flushing a codec fails;
and ``finalize_soon`` lets a watchdog close the file of a recorder whose video stalled. With
``next_path`` (as the app records) that only ends the segment: the recorder keeps its tracks,
and if video comes back on the same connection (a starved server, a network hiccup) the next
frame opens a new segment at ``next_path()``. Without it the recorder stops.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import uuid
from collections.abc import Callable
from datetime import datetime
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
from aiortc.contrib.media import MediaRecorder
from aiortc.mediastreams import MediaStreamError

from core.clock import Clock, SystemClock
from core.proctor.frame_timing import MonotonicTimeline, ticks

logger = logging.getLogger(__name__)

WEBRTC_VIDEO_TIME_BASE = Fraction(1, 90000)
VIDEO_WAIT_SECONDS = 10.0  # audio waits at most this long for the first video frame
KEYFRAME_INTERVAL = 50  # frames (~2 s): each keyframe starts a playable fragment
MAX_REFUSED_IN_A_ROW = 250  # packets (~8 s of video): the writer gives up on this file
# Fragmented MP4, each packet written through to the file (not held in a buffer): what
# was recorded is on disk and playable even if the process dies.
FRAGMENTED_MP4 = {"movflags": "frag_keyframe+empty_moov+default_base_moof", "flush_packets": "1"}

FinishedCallback = Callable[[Path, datetime], None]
PathFactory = Callable[[], Path]


def recording_path(data_dir: Path, interview_id: int, now: datetime) -> Path:
    """``<data_dir>/recordings/<interview>/<UTC time>-<random>.mp4`` (folder created)."""
    folder = Path(data_dir) / "recordings" / str(int(interview_id))
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{now:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}.mp4"


class SafeMediaRecorder(MediaRecorder):
    """MediaRecorder writing H.264 (+ AAC) MP4 with a WebRTC-exact video time base."""

    def __init__(
        self,
        path: Path,
        *,
        on_finished: FinishedCallback | None = None,
        clock: Clock | None = None,
        next_path: PathFactory | None = None,
    ) -> None:
        super().__init__(str(path), format="mp4", options=dict(FRAGMENTED_MP4))
        self.path = Path(path)
        self._on_finished = on_finished
        self._next_path = next_path
        self._file_open = True  # False between a stall's cut and the next video frame
        self.segments = 1  # files this recorder opened
        self._clock = clock or SystemClock()
        self.started_at: datetime = self._clock.now()
        self._stopped = False
        self._has_video = False
        self._video_sized = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._last_frame_at: float | None = None  # the clock's monotonic seconds
        self.video_frames = 0
        self.retimed_frames: dict[str, int] = {}  # per track kind: impossible timestamps fixed
        self.dropped_packets = 0
        self._refused_in_a_row = 0
        self.error = ""

    @property
    def finished(self) -> bool:
        return self._stopped

    def seconds_since_frame(self, now: float) -> float | None:
        """Seconds since the last frame (or since start when none came); None before start,
        after stop and while no file is open (nothing to finalize)."""
        if self._loop is None or self._stopped or not self._file_open:
            return None
        return now - (self._last_frame_at if self._last_frame_at is not None else now)

    def finalize_soon(self) -> None:
        """Any thread: finish the current file on the recorder's own event loop (the trailer
        is written): the segment ends, and with ``next_path`` the recorder waits for video."""
        loop = self._loop
        if loop is None or self._stopped or loop.is_closed():
            return
        ending = self.stop() if self._next_path is None else self._cut()
        asyncio.run_coroutine_threadsafe(ending, loop)

    async def _cut(self) -> None:
        """Event-loop thread: close the current file (registered as a segment); keep reading."""
        if self._stopped or not self._file_open:
            return
        self._file_open = False
        self._close_container(end_tracks=False)
        self._hand_over(self.path, self.started_at)

    def _reopen(self) -> None:
        """Event-loop thread, on the first video frame after a cut: a new file, new streams for
        the same tracks (their writer tasks go on)."""
        assert self._next_path is not None
        self.path = Path(self._next_path())
        old = self._MediaRecorder__tracks  # type: ignore[attr-defined]
        vars(self)["_MediaRecorder__container"] = av.open(
            str(self.path), mode="w", format="mp4", options=dict(FRAGMENTED_MP4)
        )
        vars(self)["_MediaRecorder__tracks"] = {}
        for track, context in old.items():
            self.addTrack(track)
            self._MediaRecorder__tracks[track].task = context.task  # type: ignore[attr-defined]
        self._video_sized = asyncio.Event()
        self.video_frames = 0
        self.started_at = self._clock.now()
        self._file_open = True
        self.segments += 1
        logger.info("video is back: recording goes on in %s", self.path.name)

    def addTrack(self, track: Any) -> None:
        super().addTrack(track)
        if track.kind != "video":
            return
        contexts = self._MediaRecorder__tracks  # type: ignore[attr-defined]
        context = contexts.get(track)
        if context is None:
            raise RuntimeError("aiortc MediaRecorder internals changed: video stream not found")
        context.stream.codec_context.time_base = WEBRTC_VIDEO_TIME_BASE
        # x264's default "medium" preset costs several times more CPU than "veryfast" for a
        # webcam picture; on a busy 2-core server the recorder then falls behind the stream.
        context.stream.codec_context.options = {"preset": "veryfast"}
        context.stream.codec_context.gop_size = KEYFRAME_INTERVAL

    async def start(self) -> None:
        """Start one writer task per track (our loop, not aiortc's: see ``_write_track``)."""
        self.started_at = self._clock.now()
        self._loop = asyncio.get_running_loop()
        self._last_frame_at = self._clock.monotonic()
        contexts = self._MediaRecorder__tracks  # type: ignore[attr-defined]
        self._has_video = any(track.kind == "video" for track in contexts)
        for track, context in contexts.items():
            if context.task is None:
                context.task = asyncio.ensure_future(self._write_track(track, context))
                context.task.add_done_callback(self._track_done)

    async def _write_track(self, track: Any, context: Any) -> None:
        """aiortc's loop, fixed for audio + video: the first muxed packet opens every codec,
        so audio waits until the video stream knows its frame size (else "Cannot change width
        after codec is open" kills the video writer). Audio frames wait in the relay's queue.
        After a cut, audio is dropped until a video frame opens the next file.
        """
        timeline: MonotonicTimeline | None = None
        previous_at = self._clock.monotonic()
        while True:
            try:
                frame = await track.recv()
            except MediaStreamError:
                return
            if not self._file_open:
                if track.kind != "video" or self._next_path is None:
                    continue
                self._reopen()  # the timeline goes on: each file starts where the last ended
            contexts = self._MediaRecorder__tracks  # type: ignore[attr-defined]
            container = self._MediaRecorder__container  # type: ignore[attr-defined]
            context = contexts[track]
            now = self._clock.monotonic()
            time_base = frame.time_base or (
                WEBRTC_VIDEO_TIME_BASE if track.kind == "video" else Fraction(1, frame.sample_rate)
            )
            if timeline is None or timeline.time_base != time_base:
                timeline = MonotonicTimeline(time_base)
            if track.kind == "video":  # the time since the previous frame
                fallback = ticks(now - previous_at, time_base)
            else:  # audio plays back to back: the frame's own length
                fallback = ticks(frame.samples / frame.sample_rate, time_base)
            pts = timeline.next_pts(frame.pts, fallback)
            if timeline.corrections > self.retimed_frames.get(track.kind, 0):
                self.retimed_frames[track.kind] = timeline.corrections
                logger.warning(
                    "%s: %s timestamp %s cannot follow the previous one; recorded at %s",
                    self.path.name,
                    track.kind,
                    frame.pts,
                    pts,
                )
            if pts != frame.pts:
                frame = _with_pts(frame, pts)
            previous_at = now
            if track.kind == "video":
                self._last_frame_at = now
                if self.video_frames == 0:
                    self.started_at = self._clock.now()  # the segment starts with its video
                self.video_frames += 1
            if not context.started:
                if track.kind == "video":
                    context.stream.width = frame.width
                    context.stream.height = frame.height
                    self._video_sized.set()
                elif self._has_video:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._video_sized.wait(), VIDEO_WAIT_SECONDS)
                    if self._MediaRecorder__tracks.get(track) is not context:  # type: ignore[attr-defined]
                        continue  # the file was cut while this frame waited: dropped
                context.started = True
            for packet in context.stream.encode(frame):
                self._mux(container, packet)

    def _mux(self, container: Any, packet: Any) -> None:
        """Write one packet; a packet the muxer refuses is dropped (the picture recovers at
        the next keyframe, about 2 s) instead of ending the recording, unless it keeps
        refusing (``MAX_REFUSED_IN_A_ROW``)."""
        try:
            container.mux(packet)
        except av.error.FFmpegError as exc:
            self.dropped_packets += 1
            self._refused_in_a_row += 1
            if self._refused_in_a_row >= MAX_REFUSED_IN_A_ROW:
                raise
            if self.dropped_packets == 1 or self.dropped_packets % 100 == 0:
                logger.warning(
                    "%s: dropped a packet the muxer refused (%d so far): %s",
                    self.path.name,
                    self.dropped_packets,
                    exc,
                )
        else:
            self._refused_in_a_row = 0

    def _track_done(self, task: asyncio.Task[None]) -> None:
        """A track's writer ended: log why if it failed (aiortc would drop it silently)."""
        if task.cancelled():
            return
        exc = task.exception()
        if exc is not None:
            self.error = f"recording of {self.path.name} stopped early: {exc}"
            logger.error("%s", self.error, exc_info=exc)

    async def stop(self) -> None:
        """Flush and close the file, then hand it to ``on_finished`` on another thread."""
        if self._stopped:
            return
        self._stopped = True
        was_open = self._file_open
        self._file_open = False
        self._close_container(end_tracks=True)
        if was_open:
            self._hand_over(self.path, self.started_at)

    def _hand_over(self, path: Path, started_at: datetime) -> None:
        """A closed file: removed when no video reached it, else registered on a new thread."""
        if self._has_video and self.video_frames == 0:
            # The connection died before the first frame: nothing to keep or review.
            logger.info("no video reached %s; removed", path.name)
            path.unlink(missing_ok=True)
            return
        if self._on_finished is not None:
            threading.Thread(
                target=self._finish,
                args=(path, started_at),
                name="proctor-recording-register",
                daemon=True,
            ).start()

    def _close_container(self, *, end_tracks: bool) -> None:
        """aiortc's stop, made robust: a codec that cannot flush (e.g. audio never opened)
        must not keep the trailer from being written. ``end_tracks``: also stop reading."""
        container = self._MediaRecorder__container  # type: ignore[attr-defined]
        contexts = self._MediaRecorder__tracks  # type: ignore[attr-defined]
        if end_tracks:
            for context in contexts.values():
                if context.task is not None:
                    context.task.cancel()
                    context.task = None
        if container is None:
            return
        for context in contexts.values():
            if not context.started:
                continue
            try:
                for packet in context.stream.encode(None):
                    container.mux(packet)
            except Exception:  # the packets muxed so far still play
                logger.exception("could not flush a stream of %s", self.path)
        if end_tracks:
            vars(self)["_MediaRecorder__tracks"] = {}
        try:
            container.close()
        except Exception:  # fragments already written still play
            logger.exception("could not close %s cleanly", self.path)
        vars(self)["_MediaRecorder__container"] = None

    def _finish(self, path: Path, started_at: datetime) -> None:
        assert self._on_finished is not None
        try:
            self._on_finished(path, started_at)
        except Exception:  # logged; the page shows the recorder's last error
            logger.exception("could not register recording %s", path)


def _with_pts(frame: Any, pts: int) -> Any:
    """A copy of ``frame`` at ``pts``. The relay hands the same frame object to every consumer
    (the proctor callback, the picture sent back), so the recorder never changes it."""
    if isinstance(frame, av.VideoFrame):
        copy: Any = av.VideoFrame.from_ndarray(frame.to_ndarray(format="yuv420p"), format="yuv420p")
    else:
        copy = av.AudioFrame.from_ndarray(
            frame.to_ndarray(), format=frame.format.name, layout=frame.layout.name
        )
        copy.sample_rate = frame.sample_rate
    copy.pts = pts
    copy.time_base = frame.time_base
    return copy
