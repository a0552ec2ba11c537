"""Replay a video through a detector and the rule engine on the video's own clock."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

from core.proctor.detection import Detection, Detector
from core.proctor.frame_quality import FrameQuality, measure_frame
from core.proctor.rule_types import Observation, RuleConfig, RuleEvent
from core.proctor.rules import RuleEngine


@dataclass(frozen=True)
class AnalysedFrame:
    time: float
    detections: tuple[Detection, ...]
    quality: FrameQuality
    frame: np.ndarray


def video_frames(path: Path) -> Iterator[tuple[float, np.ndarray]]:
    with av.open(str(path)) as container:
        for frame in container.decode(video=0):
            yield float(frame.time or 0.0), frame.to_ndarray(format="bgr24")


def analyse(
    path: Path, detector: Detector, *, keep_frames: bool = False, every: int = 1
) -> list[AnalysedFrame]:
    """Every ``every``-th frame of the video with its timestamp, detections and brightness."""
    out = []
    for index, (t, image) in enumerate(video_frames(path)):
        if index % every:
            continue
        out.append(
            AnalysedFrame(
                t,
                detector.detect(image),
                measure_frame(image),
                image if keep_frames else np.zeros((1, 1, 3), np.uint8),
            )
        )
    return out


def replay(
    frames: list[AnalysedFrame],
    *,
    rate_hz: float | None,
    config: RuleConfig | None = None,
    absence_known: bool = True,
) -> list[RuleEvent]:
    """Feed frames sampled at ``rate_hz`` (None: every frame), clock = video timestamps.
    ``absence_known``: the detector's ``info.confirms_absence`` (False for faces only)."""
    engine = RuleEngine(config)
    events: list[RuleEvent] = []
    next_sample = 0.0
    for item in frames:
        if rate_hz is not None and item.time + 1e-6 < next_sample:
            continue
        next_sample = item.time + (1.0 / rate_hz if rate_hz else 0.0)
        observation = Observation(
            item.detections, item.quality, item.frame, absence_known=absence_known
        )
        events += engine.update(item.time, observation)
    events += engine.close_all(frames[-1].time)
    return events
