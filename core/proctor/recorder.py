"""MP4 recording of the candidate's camera (and microphone) that always plays.

aiortc's MediaRecorder encodes video at a 1/30 time base while WebRTC frames carry 1/90000
timestamps: frames round to equal timestamps, the muxer raises "non monotonically increasing
dts" and the recording silently stops. ``SafeMediaRecorder`` sets the video encoder's time base
to 1/90000 right after the track is added, which keeps every frame's own timestamp.
With audio, aiortc's writer can also die with "Cannot change width after codec is open" when
an audio packet is muxed before the first video frame (muxing opens every codec); our writer
loop makes audio wait for the video size. When the recording stops,
``on_finished(path, started_at)`` runs on a new thread.
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

from aiortc.contrib.media import MediaRecorder
from aiortc.mediastreams import MediaStreamError

from core.clock import Clock, SystemClock

logger = logging.getLogger(__name__)

WEBRTC_VIDEO_TIME_BASE = Fraction(1, 90000)
VIDEO_WAIT_SECONDS = 10.0  # audio waits at most this long for the first video frame

FinishedCallback = Callable[[Path, datetime], None]


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
    ) -> None:
        super().__init__(str(path), format="mp4")
        self.path = Path(path)
        self._on_finished = on_finished
        self._clock = clock or SystemClock()
        self.started_at: datetime = self._clock.now()
        self._stopped = False
        self._has_video = False
        self._video_sized = asyncio.Event()
        self.error = ""

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

    async def start(self) -> None:
        """Start one writer task per track (our loop, not aiortc's: see ``_write_track``)."""
        self.started_at = self._clock.now()
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
        """
        container = self._MediaRecorder__container  # type: ignore[attr-defined]
        while True:
            try:
                frame = await track.recv()
            except MediaStreamError:
                return
            if not context.started:
                if track.kind == "video":
                    context.stream.width = frame.width
                    context.stream.height = frame.height
                    self._video_sized.set()
                elif self._has_video:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._video_sized.wait(), VIDEO_WAIT_SECONDS)
                context.started = True
            for packet in context.stream.encode(frame):
                container.mux(packet)

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
        try:
            await super().stop()
        except Exception:  # a broken file is still reported (and probed) below
            logger.exception("recorder failed while closing %s", self.path)
        if self._on_finished is not None:
            threading.Thread(
                target=self._finish, name="proctor-recording-register", daemon=True
            ).start()

    def _finish(self) -> None:
        assert self._on_finished is not None
        try:
            self._on_finished(self.path, self.started_at)
        except Exception:  # logged; the page shows the recorder's last error
            logger.exception("could not register recording %s", self.path)
