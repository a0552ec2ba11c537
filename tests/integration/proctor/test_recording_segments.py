"""Every segment plays: finalized when its track stalls or ends, decodable even unfinished;
the segments of one interview join into one video with the gaps marked."""

from __future__ import annotations

import asyncio
import threading
import time
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack

from core.db.engine import Database
from core.proctor.joined import joined_recording
from core.proctor.media_probe import probe_media, wait_until_decodable
from core.proctor.media_session import MediaSession
from core.proctor.recorder import SafeMediaRecorder
from core.proctor.recordings import list_recordings, register_recording
from tests.support.media_tracks import STEPS, SyntheticVideoTrack


class StallingVideoTrack(MediaStreamTrack):
    """``frames`` frames at 30 fps, then nothing (a connection that died without closing)."""

    kind = "video"

    def __init__(self, frames: int) -> None:
        super().__init__()
        self._left = frames
        self._pts = 0
        self.stalled = asyncio.Event()

    async def recv(self) -> av.VideoFrame:
        if self._left <= 0:
            self.stalled.set()
            await asyncio.Event().wait()  # forever
            raise MediaStreamError
        self._left -= 1
        await asyncio.sleep(1 / 60)
        frame = av.VideoFrame.from_ndarray(
            np.full((240, 320, 3), (self._left * 3) % 255, dtype=np.uint8), format="bgr24"
        )
        frame.pts, frame.time_base = self._pts, Fraction(1, 90000)
        self._pts += 3000
        return frame


class LoopThread:
    """An asyncio loop on its own thread, like aiortc's inside streamlit-webrtc."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coro, timeout: float = 30):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


@pytest.fixture
def loop_thread():
    runner = LoopThread()
    yield runner
    runner.close()


def test_a_stalled_track_is_finalized_by_the_watchdog(
    tmp_path: Path, db: Database, interview_id: int, loop_thread: LoopThread
) -> None:
    finished = threading.Event()
    path = tmp_path / "stalled.mp4"
    recorder = SafeMediaRecorder(path, on_finished=lambda _p, _t: finished.set())
    track = StallingVideoTrack(frames=90)
    session = MediaSession(interview_id, db=db, away_seconds=30, stall_seconds=1.0)
    session.add_recorder(recorder)

    async def start() -> None:
        recorder.addTrack(track)
        await recorder.start()

    loop_thread.run(start())
    deadline = time.monotonic() + 30
    while not finished.is_set() and time.monotonic() < deadline:
        session.tick()
        time.sleep(0.2)
    assert finished.is_set(), "the watchdog did not finalize the stalled recording"
    probe = probe_media(path)
    assert probe.error == "" and probe.video_frames == 90


def test_an_unfinished_segment_still_decodes_up_to_its_last_fragment(
    tmp_path: Path, loop_thread: LoopThread
) -> None:
    """The process died (no stop, no trailer): the fragmented MP4 still plays."""
    path = tmp_path / "crashed.mp4"
    recorder = SafeMediaRecorder(path)
    track = StallingVideoTrack(frames=200)

    async def start() -> None:
        recorder.addTrack(track)
        await recorder.start()

    loop_thread.run(start())
    deadline = time.monotonic() + 60
    while not track.stalled.is_set() and time.monotonic() < deadline:
        time.sleep(0.1)
    probe = probe_media(path)  # the recorder was never stopped
    assert probe.error == "", probe.error
    assert probe.video_frames >= 100  # every completed fragment (a keyframe every 50 frames)


async def _record(path: Path) -> None:
    recorder = SafeMediaRecorder(path)
    recorder.addTrack(SyntheticVideoTrack())
    await recorder.start()
    for _ in range(400):
        await asyncio.sleep(0.005)
    await recorder.stop()


def test_segments_join_into_one_video_with_gaps_and_share(
    settings, db: Database, interview_id: int
) -> None:
    folder = settings.data_dir / "recordings" / str(interview_id)
    folder.mkdir(parents=True)
    t0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    seconds = sum(STEPS) / 90000
    for n in range(3):
        path = folder / f"seg{n}.mp4"
        asyncio.run(_record(path))
        register_recording(
            db,
            data_dir=settings.data_dir,
            interview_id=interview_id,
            path=path,
            started_at=t0 + timedelta(seconds=10 * n),
        )
    recordings = list_recordings(db, interview_id)
    joined = joined_recording(
        recordings,
        settings.data_dir,
        interview_id,
        started_at=t0,
        ended_at=t0 + timedelta(seconds=20 + seconds),
    )
    assert joined.path is not None and joined.unreadable == ()
    probe = wait_until_decodable(settings.data_dir / joined.path, timeout_seconds=5)
    assert probe.error == "" and probe.video_frames == 3 * len(STEPS)
    assert probe.duration_seconds == pytest.approx(3 * seconds, abs=0.3)
    assert [round(g.seconds) for g in joined.gaps] == [6, 6]
    assert [round(g.video_at) for g in joined.gaps] == [4, 8]
    assert joined.share == pytest.approx(3 * seconds / (20 + seconds), abs=0.02)
    assert not joined.complete
    assert joined.video_position(t0 + timedelta(seconds=12)) == pytest.approx(seconds + 2, abs=0.2)
    again = joined_recording(
        recordings, settings.data_dir, interview_id, started_at=t0, ended_at=None
    )
    assert again.path == joined.path  # reused, not joined again
    assert again.share == pytest.approx(3 * seconds / (20 + seconds), abs=0.02)
