"""The Review page's player: the interview's segments as one video, gaps and share shown."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from streamlit.testing.v1 import AppTest

from core.config import Settings
from core.db.engine import Database
from core.db.models import Interview
from core.domain import InterviewStatus
from core.proctor.recorder import SafeMediaRecorder
from core.proctor.recordings import register_recording
from tests.support.apptest import texts
from tests.support.factories import make_proctor_interview
from tests.support.media_tracks import SyntheticVideoTrack


def _player_page(data_dir: str, database_url: str, interview_id: int) -> None:
    from pathlib import Path

    from core.db.engine import Database
    from core.review.bundle import load_review
    from core.ui.recording_player import recording_player

    bundle = load_review(Database(database_url), interview_id)
    assert bundle is not None
    recording_player(bundle, Path(data_dir), None)


async def _record(path: Any) -> None:
    recorder = SafeMediaRecorder(path)
    recorder.addTrack(SyntheticVideoTrack())
    await recorder.start()
    for _ in range(400):
        await asyncio.sleep(0.005)
    await recorder.stop()


def test_segments_play_as_one_video_with_the_gaps_and_the_share(
    settings: Settings, db: Database
) -> None:
    iid = make_proctor_interview(db)
    t0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    with db.write() as s:
        interview = s.get(Interview, iid)
        assert interview is not None
        interview.status = InterviewStatus.COMPLETED
        interview.started_at, interview.completed_at = t0, t0 + timedelta(seconds=30)
    folder = settings.data_dir / "recordings" / str(iid)
    folder.mkdir(parents=True)
    for n, at in enumerate((0, 20)):
        path = folder / f"part{n}.mp4"
        asyncio.run(_record(path))
        register_recording(
            db,
            data_dir=settings.data_dir,
            interview_id=iid,
            path=path,
            started_at=t0 + timedelta(seconds=at),
        )
    kwargs = {
        "data_dir": str(settings.data_dir),
        "database_url": settings.resolved_database_url,
        "interview_id": iid,
    }
    at = AppTest.from_function(_player_page, kwargs=kwargs, default_timeout=60).run()
    shown = texts(at)
    assert "The recording is incomplete. Recorded: 00:08 of 00:30 (26% of the interview)" in shown
    assert "in 2 part(s)" in shown
    assert "at 00:04 in the video: 16 s not recorded" in shown  # between the parts
    assert "at 00:08 in the video: 6 s not recorded" in shown  # after the last part
    videos = at.get("video")
    assert len(videos) == 1  # one joined video, not one per part
    assert not at.exception
