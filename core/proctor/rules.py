"""Turns observations over time into debounced warning events. Pure: the clock is injected.

``RuleEngine.update(now, observation)`` is called for every sampled frame, and with
``observation=None`` when no frame came (so "camera lost" can fire). Each kind of condition
must persist for its debounce time before an event opens; the event stays open while the
condition holds (gaps shorter than ``clear_seconds`` join), and closes when it clears. One
continuous condition is one event. Not thread-safe: one engine per session, on one thread.

``ConnectionRules`` judges gaps in the video of one interview across reconnects: a short drop
is a connection event (info), only video missing past ``away_seconds`` or a camera the
candidate turned off is a "camera lost" warning.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.domain import ProctorEventKind
from core.proctor.detection import BOOK, CELL_PHONE, LAPTOP, PERSON
from core.proctor.rule_types import (
    SEVERITIES,
    EventPhase,
    Evidence,
    Observation,
    RuleConfig,
    RuleEvent,
)

K = ProctorEventKind


@dataclass(frozen=True)
class _Condition:
    confidence: float | None  # reported as peak confidence when not None
    score: float  # higher is worse: picks the snapshot frame
    detail: str


@dataclass
class _Track:
    pending_since: float | None = None
    last_true: float | None = None
    last_closed_end: float | None = None
    open_key: str | None = None
    open_start: float = 0.0
    peak: float | None = None
    worst_score: float = float("-inf")
    evidence: Evidence | None = None
    detail: str = ""
    extra: dict[str, float] = field(default_factory=dict)


class RuleEngine:
    def __init__(self, config: RuleConfig | None = None, *, key_prefix: str = "") -> None:
        self.config = config or RuleConfig()
        self._key_prefix = key_prefix
        self._tracks: dict[K, _Track] = {kind: _Track() for kind in K}
        self._sequence = 0
        self._last_frame_at: float | None = None

    # Public ---------------------------------------------------------------------------
    def update(self, now: float, observation: Observation | None) -> list[RuleEvent]:
        """Feed one sampled frame's observation (or None: no frame since the last call)."""
        events: list[RuleEvent] = []
        if observation is None:
            if self._last_frame_at is None:
                return events  # the camera never started: nothing to lose yet
            silent_for = now - self._last_frame_at
            if silent_for >= self.config.camera_lost_seconds:
                lost = self._tracks[K.CAMERA_LOST]
                if lost.open_key is None:
                    for kind in K:
                        if kind is not K.CAMERA_LOST:
                            events += self._close(kind, self._tracks[kind].last_true or now)
                    lost.pending_since = self._last_frame_at
                    detail = f"no video frames for {silent_for:.0f} s"
                    events += self._step(K.CAMERA_LOST, now, _Condition(None, 0, detail), None)
                else:
                    lost.last_true = now
            return events
        self._last_frame_at = now
        events += self._close(K.CAMERA_LOST, now)
        conditions = self._conditions(observation)
        evidence = (
            Evidence(observation.frame, observation.detections or (), now)
            if observation.frame is not None
            else None
        )
        for kind in K:
            if kind is K.CAMERA_LOST:
                continue
            events += self._step(kind, now, conditions.get(kind), evidence)
        return events

    def close_all(self, now: float) -> list[RuleEvent]:
        """End of session: close every open event at the last time its condition held."""
        events: list[RuleEvent] = []
        for kind in K:
            track = self._tracks[kind]
            events += self._close(kind, track.last_true if track.last_true is not None else now)
            track.pending_since = None
        return events

    @property
    def open_kinds(self) -> frozenset[ProctorEventKind]:
        return frozenset(k for k, t in self._tracks.items() if t.open_key is not None)

    # Conditions seen in one frame -------------------------------------------------------
    def _conditions(self, obs: Observation) -> dict[K, _Condition]:
        cfg = self.config
        found: dict[K, _Condition] = {}
        quality = obs.quality
        if (
            quality.contrast < cfg.covered_max_contrast
            or quality.brightness < cfg.dark_max_brightness
        ):
            detail = f"brightness {quality.brightness:.0f}, contrast {quality.contrast:.1f}"
            found[K.CAMERA_COVERED] = _Condition(None, -quality.contrast, detail)
            return found  # nothing else can be judged on a blind frame
        if obs.detections is None:
            found[K.COULD_NOT_TELL] = _Condition(None, 0, f"detector error: {obs.error}")
            return found
        people = sorted(
            (
                d.confidence
                for d in obs.detections
                if d.class_name == PERSON and d.confidence >= cfg.person_confidence
            ),
            reverse=True,
        )
        if not people:
            if quality.brightness < cfg.dim_max_brightness:
                detail = f"too dark to tell (brightness {quality.brightness:.0f})"
                found[K.COULD_NOT_TELL] = _Condition(None, -quality.brightness, detail)
            elif not obs.absence_known:
                detail = "no face seen (a face detector cannot tell nobody from a turned head)"
                found[K.COULD_NOT_TELL] = _Condition(None, 0, detail)
            else:
                found[K.NO_PERSON] = _Condition(None, 0, "nobody in view")
        elif len(people) > 1:
            found[K.MULTIPLE_PEOPLE] = _Condition(
                people[1], people[1], f"{len(people)} people in view"
            )
        for kind, name, enabled, threshold in (
            (K.PHONE, CELL_PHONE, True, cfg.phone_confidence),
            (K.BOOK, BOOK, cfg.detect_books, cfg.book_confidence),
            (K.LAPTOP, LAPTOP, cfg.detect_laptops, cfg.laptop_confidence),
        ):
            if not enabled:
                continue
            best = max((d.confidence for d in obs.detections if d.class_name == name), default=0.0)
            if best >= threshold:
                found[kind] = _Condition(best, best, f"{name} in view")
        return found

    # Debounce / extend / close for one kind ----------------------------------------------
    def _debounce_seconds(self, kind: K) -> float:
        cfg = self.config
        return {
            K.NO_PERSON: cfg.no_person_seconds,
            K.MULTIPLE_PEOPLE: cfg.multiple_people_seconds,
            K.PHONE: cfg.phone_seconds,
            K.BOOK: cfg.book_seconds,
            K.LAPTOP: cfg.laptop_seconds,
            K.CAMERA_COVERED: cfg.covered_seconds,
            K.COULD_NOT_TELL: cfg.could_not_tell_seconds,
        }.get(kind, 0.0)

    def _step(
        self, kind: K, now: float, condition: _Condition | None, evidence: Evidence | None
    ) -> list[RuleEvent]:
        track = self._tracks[kind]
        if condition is None:
            track.pending_since = None
            if track.open_key is None:
                track.peak, track.evidence, track.worst_score = None, None, float("-inf")
                return []
            gap = now - (track.last_true if track.last_true is not None else now)
            if gap >= self.config.clear_seconds:
                return self._close(kind, track.last_true or now)
            return []
        if track.pending_since is None:
            track.pending_since = now
        track.last_true = now
        if track.open_key is None:
            self._remember_worst(track, condition, evidence)
            persisted = now - track.pending_since >= self._debounce_seconds(kind)
            cooled = (
                track.last_closed_end is None
                or now - track.last_closed_end >= self.config.cooldown_seconds
            )
            if not (persisted and cooled):
                return []
            self._sequence += 1
            track.open_key = f"{self._key_prefix}{kind.value}-{self._sequence}"
            track.open_start = track.pending_since
            track.detail = condition.detail
            return [self._event(kind, track, EventPhase.OPENED, None)]
        self._remember_worst(track, condition, evidence)
        return []

    @staticmethod
    def _remember_worst(track: _Track, condition: _Condition, evidence: Evidence | None) -> None:
        if condition.confidence is not None:
            track.peak = max(track.peak or 0.0, condition.confidence)
        if condition.score > track.worst_score or track.evidence is None:
            track.worst_score = condition.score
            track.detail = condition.detail
            if evidence is not None:
                track.evidence = evidence

    def _close(self, kind: K, end: float) -> list[RuleEvent]:
        track = self._tracks[kind]
        if track.open_key is None:
            track.pending_since = None
            track.peak, track.evidence, track.worst_score = None, None, float("-inf")
            return []
        event = self._event(kind, track, EventPhase.CLOSED, max(end, track.open_start))
        track.open_key = None
        track.pending_since = None
        track.last_closed_end = event.ended_at
        track.peak, track.evidence, track.worst_score = None, None, float("-inf")
        return [event]

    @staticmethod
    def _event(kind: K, track: _Track, phase: EventPhase, end: float | None) -> RuleEvent:
        assert track.open_key is not None
        return RuleEvent(
            key=track.open_key,
            kind=kind,
            severity=SEVERITIES[kind],
            phase=phase,
            started_at=track.open_start,
            ended_at=end,
            peak_confidence=track.peak,
            detail=track.detail,
            evidence=track.evidence,
        )


class ConnectionRules:
    """Gaps in one interview's video, across reconnects, reloads and tabs. Pure: times are
    the caller's monotonic seconds. Not thread-safe: callers hold a lock.

    ``frame(now)`` for every video frame (from any connection), ``tick(now)`` periodically,
    ``end(now)`` when the interview's media session ends. A gap shorter than ``away_seconds``
    that ends with video coming back is one CONNECTION event (info, opened and closed at
    once); a gap reaching ``away_seconds`` opens CAMERA_LOST (warning) from the last frame
    until video returns. Gaps under ``min_gap_seconds`` are network jitter and recorded as
    nothing. A camera the candidate turns off (in the browser or the system: the page offers
    no off switch once it runs) is video missing like any other.
    """

    def __init__(
        self, *, away_seconds: float, min_gap_seconds: float = 2.0, key_prefix: str = ""
    ) -> None:
        if away_seconds <= 0 or min_gap_seconds < 0:
            raise ValueError("away_seconds must be > 0 and min_gap_seconds >= 0")
        self.away_seconds = away_seconds
        self.min_gap_seconds = min_gap_seconds
        self._prefix = key_prefix
        self._sequence = 0
        self._last_frame: float | None = None
        self._lost_key: str | None = None
        self._lost_start = 0.0
        self._lost_detail = ""
        self._ended = False

    def frame(self, now: float) -> list[RuleEvent]:
        if self._ended:
            return []
        events: list[RuleEvent] = []
        if self._lost_key is None and self._last_frame is not None:
            events += self.tick(now)  # a long gap no tick saw yet is still "camera lost"
        last, self._last_frame = self._last_frame, now
        if self._lost_key is not None:
            events.append(self._closed_lost(now))
        elif last is not None and now - last >= self.min_gap_seconds:
            gap = now - last
            events.append(
                RuleEvent(
                    key=self._next_key(K.CONNECTION),
                    kind=K.CONNECTION,
                    severity=SEVERITIES[K.CONNECTION],
                    phase=EventPhase.CLOSED,
                    started_at=last,
                    ended_at=now,
                    peak_confidence=None,
                    detail=f"video dropped for {gap:.0f} s and reconnected by itself",
                )
            )
        return events

    def tick(self, now: float) -> list[RuleEvent]:
        if self._ended or self._last_frame is None or self._lost_key is not None:
            return []
        gap = now - self._last_frame
        if gap < self.away_seconds:
            return []
        return [self._open_lost(f"no video for {gap:.0f} s (limit {self.away_seconds:.0f} s)")]

    def server_stalled(self, now: float, seconds: float) -> None:
        """The server itself could not run for ``seconds`` up to ``now`` (a starved process:
        its watchdog woke that late). Video missing meanwhile is not held against the
        candidate: the gap clock skips that time (never past ``now``)."""
        if seconds <= 0 or self._ended or self._last_frame is None or self._lost_key is not None:
            return
        self._last_frame = min(self._last_frame + seconds, now)

    def end(self, now: float) -> list[RuleEvent]:
        """The media session is over (interview finished): close an open warning now."""
        if self._ended:
            return []
        self._ended = True
        return [self._closed_lost(now)] if self._lost_key is not None else []

    def missing_for(self, now: float) -> float:
        """Seconds since the last frame (0 before the first frame and after the end)."""
        if self._ended or self._last_frame is None:
            return 0.0
        return max(0.0, now - self._last_frame)

    @property
    def lost(self) -> bool:
        return self._lost_key is not None

    @property
    def started(self) -> bool:
        return self._last_frame is not None

    def _next_key(self, kind: K) -> str:
        self._sequence += 1
        return f"{self._prefix}{kind.value}-{self._sequence}"

    def _open_lost(self, detail: str) -> RuleEvent:
        assert self._last_frame is not None
        self._lost_key = self._next_key(K.CAMERA_LOST)
        self._lost_start, self._lost_detail = self._last_frame, detail
        return self._lost_event(EventPhase.OPENED, None)

    def _closed_lost(self, now: float) -> RuleEvent:
        event = self._lost_event(EventPhase.CLOSED, max(now, self._lost_start))
        self._lost_key = None
        return event

    def _lost_event(self, phase: EventPhase, end: float | None) -> RuleEvent:
        assert self._lost_key is not None
        return RuleEvent(
            key=self._lost_key,
            kind=K.CAMERA_LOST,
            severity=SEVERITIES[K.CAMERA_LOST],
            phase=phase,
            started_at=self._lost_start,
            ended_at=end,
            peak_confidence=None,
            detail=self._lost_detail,
        )
