"""Builders for rule-engine tests: observations and a simulated timeline at a fixed rate."""

from __future__ import annotations

from core.proctor.detection import Detection
from core.proctor.frame_quality import FrameQuality
from core.proctor.rule_types import Observation, RuleConfig, RuleEvent
from core.proctor.rules import RuleEngine

NORMAL = FrameQuality(brightness=120.0, contrast=50.0)


def det(name: str, conf: float) -> Detection:
    return Detection(name, conf, 10.0, 10.0, 100.0, 200.0)


def obs(
    people: tuple[float, ...] = (0.9,),
    *,
    phone: float = 0.0,
    book: float = 0.0,
    laptop: float = 0.0,
    brightness: float = 120.0,
    contrast: float = 50.0,
    error: str | None = None,
    absence_known: bool = True,
) -> Observation:
    quality = FrameQuality(brightness, contrast)
    if error is not None:
        return Observation(None, quality, None, error)
    found = [det("person", c) for c in people]
    for name, conf in (("cell phone", phone), ("book", book), ("laptop", laptop)):
        if conf:
            found.append(det(name, conf))
    return Observation(tuple(found), quality, absence_known=absence_known)


ONE = obs()
NOBODY = obs(())
TWO = obs((0.9, 0.8))
NO_FRAME = None

Segment = tuple[float, Observation | None]


def run(
    segments: list[Segment],
    *,
    config: RuleConfig | None = None,
    rate_hz: float = 2.0,
    close: bool = True,
) -> list[RuleEvent]:
    """Feed each segment's observation at ``rate_hz`` for its duration; clock starts at 0."""
    engine = RuleEngine(config)
    events: list[RuleEvent] = []
    step = 1.0 / rate_hz
    tick = 0
    for duration, observation in segments:
        for _ in range(round(duration * rate_hz)):
            events += engine.update(tick * step, observation)
            tick += 1
    if close:
        events += engine.close_all(tick * step)
    return events
