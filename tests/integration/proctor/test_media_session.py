"""MediaSession: one interview's video across reconnects, judged and stored with a fake clock."""

from __future__ import annotations

from core.clock import FixedClock
from core.db.engine import Database
from core.domain import ProctorEventKind, Severity
from core.proctor.event_log import list_events
from core.proctor.media_session import MediaSession, end_media_session, media_session_for

K = ProctorEventKind


class FakeRecorder:
    """A recorder whose last frame the test sets (seconds on the fake clock)."""

    def __init__(self, clock: FixedClock) -> None:
        self.clock = clock
        self.last = clock.monotonic()
        self.finalized = 0

    @property
    def finished(self) -> bool:
        return self.finalized > 0

    def seconds_since_frame(self, now: float) -> float | None:
        return None if self.finished else now - self.last

    def finalize_soon(self) -> None:
        self.finalized += 1


def _session(db: Database, interview_id: int, clock: FixedClock) -> MediaSession:
    return MediaSession(interview_id, db=db, away_seconds=30, clock=clock, stall_seconds=8)


def _video(session: MediaSession, clock: FixedClock, seconds: float) -> None:
    for _ in range(int(seconds * 10)):
        session.frame_seen()
        clock.advance(0.1)
        session.tick()


def test_short_drops_are_connection_events_never_camera_lost(
    db: Database, interview_id: int
) -> None:
    clock = FixedClock()
    session = _session(db, interview_id, clock)
    for drop in (4.0, 12.0, 25.0):  # three drops, each shorter than the 30 s limit
        _video(session, clock, 5)
        for _ in range(int(drop)):
            clock.advance(1)
            session.tick()
            assert session.reconnecting() == (session.missing_seconds() >= 2)
    _video(session, clock, 5)
    events = list_events(db, interview_id)
    assert [e.kind for e in events] == [K.CONNECTION] * 3
    assert all(e.severity is Severity.INFO and e.ended_at is not None for e in events)
    assert [round(e.duration_seconds or 0) for e in events] == [4, 12, 25]


def test_video_away_past_the_limit_is_one_camera_lost_warning(
    db: Database, interview_id: int
) -> None:
    clock = FixedClock()
    session = _session(db, interview_id, clock)
    _video(session, clock, 3)
    for _ in range(45):
        clock.advance(1)
        session.tick()
    (open_event,) = list_events(db, interview_id)
    assert (open_event.kind, open_event.severity, open_event.ended_at) == (
        K.CAMERA_LOST,
        Severity.WARNING,
        None,
    )
    _video(session, clock, 2)
    (closed,) = list_events(db, interview_id)
    assert closed.ended_at is not None and round(closed.duration_seconds or 0) == 45


def test_a_stalled_recording_is_finalized_and_end_finalizes_the_rest(
    db: Database, interview_id: int
) -> None:
    clock = FixedClock()
    session = _session(db, interview_id, clock)
    stalled, live = FakeRecorder(clock), FakeRecorder(clock)
    session.add_recorder(stalled)
    session.add_recorder(live)
    for _ in range(9):
        clock.advance(1)
        live.last = clock.monotonic()
        session.tick()
    assert (stalled.finalized, live.finalized) == (1, 0)
    session.end()
    assert live.finalized == 1 and session.ended


def test_incidents_are_stored_for_staff_with_their_id(db: Database, interview_id: int) -> None:
    clock = FixedClock()
    session = _session(db, interview_id, clock)
    ref = session.incident("recording /srv/data/recordings/1/x.mp4 does not decode")
    session.store()
    (event,) = list_events(db, interview_id)
    assert event.kind is K.SYSTEM_ISSUE and event.severity is Severity.INFO
    assert ref in event.detail and "does not decode" in event.detail
    assert session.incidents == (ref,)


def test_one_session_per_interview_until_it_ends(db: Database, interview_id: int) -> None:
    clock = FixedClock()
    made: list[MediaSession] = []

    def factory() -> MediaSession:
        made.append(_session(db, interview_id, clock))
        return made[-1]

    first = media_session_for(interview_id, factory)
    assert media_session_for(interview_id, factory) is first  # a reload, a second tab
    end_media_session(interview_id)
    assert first.ended
    assert media_session_for(interview_id, factory) is not first
    end_media_session(interview_id)
    assert len(made) == 2


def _away(session: MediaSession, clock: FixedClock, seconds: int) -> None:
    for _ in range(seconds):
        clock.advance(1)
        session.tick()


def test_the_camera_check_before_the_start_records_nothing(
    db: Database, interview_id: int
) -> None:
    """On the welcome page the candidate may turn the camera on, leave, come back minutes
    later: nothing counts until the interview starts; a gap open then is judged from then."""
    clock = FixedClock()
    session = MediaSession(interview_id, db=db, away_seconds=30, clock=clock, judging=False)
    _video(session, clock, 3)
    _away(session, clock, 120)  # gone from the welcome page for two minutes
    _video(session, clock, 3)
    _away(session, clock, 5)  # a short drop, still before the start
    assert list_events(db, interview_id) == []
    assert session.had_video
    session.judge_gaps()  # "Start the interview", with the camera away for 5 s already
    _away(session, clock, 20)  # 25 s missing in all, 20 s of it in the interview
    _video(session, clock, 2)
    session.judge_gaps()  # every later run of the room says it again: no effect
    _away(session, clock, 3)
    _video(session, clock, 1)
    events = list_events(db, interview_id)
    assert [(e.kind, round(e.duration_seconds or 0)) for e in events] == [
        (K.CONNECTION, 20),
        (K.CONNECTION, 3),
    ]
