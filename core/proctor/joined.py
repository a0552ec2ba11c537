"""One interview's recording segments as one continuous video for the reviewers.

A reconnect starts a new segment. ``joined_recording`` puts the segments end to end in one MP4
without re-encoding (PyAV remux: packets copied, timestamps shifted), marks the gaps between
them (where the video is in the joined file, when and how long nothing was recorded) and says
what share of the interview was recorded. Segments encoded with different parameters cannot
share one stream: then ``path`` is None and the page plays them one after another.

Joined files are derived data kept in ``<data_dir>/cache/joined`` and removed after
``CACHE_HOURS`` (or when their segments are gone), so retention and erasure of the segments
also remove them soon after.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import av

from core.proctor.joined_cache import joined_dir, joined_name
from core.proctor.media_probe import probe_media
from core.proctor.recordings import RecordingView

logger = logging.getLogger(__name__)

CACHE_HOURS = 24
MIN_GAP_SECONDS = 1.0  # shorter pauses between segments are not worth marking


@dataclass(frozen=True)
class Segment:
    path: str  # relative to the data dir
    started_at: datetime
    seconds: float
    registered: bool  # False: found on disk only (its registration failed)


@dataclass(frozen=True)
class Gap:
    starts_at: datetime
    seconds: float
    video_at: float  # where the gap falls in the joined video (seconds)


@dataclass(frozen=True)
class JoinedRecording:
    path: str | None  # the joined MP4, relative to the data dir; None: play segments in turn
    segments: tuple[Segment, ...]
    gaps: tuple[Gap, ...]
    recorded_seconds: float
    span_seconds: float | None  # from the interview's start to its end (or the last video)
    unreadable: tuple[str, ...]  # segment files that do not decode
    note: str = ""  # why the segments are not joined

    @property
    def share(self) -> float | None:
        if not self.span_seconds:
            return None
        return min(1.0, self.recorded_seconds / self.span_seconds)

    @property
    def complete(self) -> bool:
        return not self.gaps and not self.unreadable and (self.share or 0) >= 0.99

    def video_position(self, at: datetime) -> float:
        """Where the moment ``at`` is in the joined video (a moment in a gap: where the video
        resumes)."""
        position = 0.0
        for segment in self.segments:
            offset = (at - segment.started_at).total_seconds()
            if offset < 0:
                return position
            if offset <= segment.seconds:
                return position + offset
            position += segment.seconds
        return position


def _segments(
    recordings: Sequence[RecordingView], data_dir: Path, interview_id: int
) -> tuple[list[Segment], list[str]]:
    """Registered segments, plus files on disk whose registration failed but which decode."""
    segments: list[Segment] = []
    unreadable: list[str] = []
    known: set[str] = set()
    for rec in recordings:
        known.add(rec.path)
        if rec.kind.value != "video":
            continue
        path = data_dir / rec.path
        if not path.is_file():
            unreadable.append(rec.path)
            continue
        segments.append(Segment(rec.path, rec.started_at, rec.duration_seconds or 0.0, True))
    folder = data_dir / "recordings" / str(int(interview_id))
    for path in sorted(folder.glob("*.mp4")) if folder.is_dir() else []:
        relative = path.relative_to(data_dir).as_posix()
        if relative in known:
            continue
        probe = probe_media(path)
        if probe.error or not probe.video_frames:
            unreadable.append(relative)
            continue
        started = datetime.fromtimestamp(path.stat().st_mtime).astimezone() - timedelta(
            seconds=probe.duration_seconds or 0.0
        )
        segments.append(Segment(relative, started, probe.duration_seconds or 0.0, False))
    segments.sort(key=lambda s: s.started_at)
    return segments, unreadable


def joined_recording(
    recordings: Sequence[RecordingView],
    data_dir: Path,
    interview_id: int,
    *,
    started_at: datetime | None,
    ended_at: datetime | None,
) -> JoinedRecording:
    """Join (or reuse the joined copy of) the interview's segments (``list_recordings``);
    measure the gaps and the share of the interview that was recorded."""
    data_dir = Path(data_dir)
    segments, unreadable = _segments(recordings, data_dir, interview_id)
    recorded = sum(s.seconds for s in segments)
    start = started_at or (segments[0].started_at if segments else None)
    end = ended_at or (
        segments[-1].started_at + timedelta(seconds=segments[-1].seconds) if segments else None
    )
    span = (end - start).total_seconds() if start and end else None
    gaps = _gaps(segments, start, end)
    if not segments:
        return JoinedRecording(None, (), gaps, 0.0, span, tuple(unreadable))
    cache = joined_dir(data_dir)
    _clean_cache(cache)
    if len(segments) == 1:
        return JoinedRecording(segments[0].path, tuple(segments), gaps, recorded, span,
                               tuple(unreadable))  # fmt: skip
    sources = [data_dir / s.path for s in segments]
    digest = hashlib.sha256(
        "|".join(f"{p.name}:{p.stat().st_size}" for p in sources).encode()
    ).hexdigest()[:16]
    target = cache / joined_name(interview_id, digest)
    note = ""
    if not target.is_file():
        try:
            concat_without_reencoding(sources, target)
        except (JoinError, av.FFmpegError, OSError) as exc:
            logger.warning("interview %s: segments not joined: %s", interview_id, exc)
            note = str(exc) if isinstance(exc, JoinError) else "the segments could not be joined"
            return JoinedRecording(None, tuple(segments), gaps, recorded, span,
                                   tuple(unreadable), note)  # fmt: skip
    relative = target.relative_to(data_dir).as_posix()
    return JoinedRecording(relative, tuple(segments), gaps, recorded, span, tuple(unreadable))


def _gaps(segments: list[Segment], start: datetime | None, end: datetime | None) -> tuple[Gap, ...]:
    gaps: list[Gap] = []
    cursor, position = start, 0.0
    for segment in segments:
        if cursor is not None:
            missing = (segment.started_at - cursor).total_seconds()
            if missing >= MIN_GAP_SECONDS:
                gaps.append(Gap(cursor, missing, position))
        seg_end = segment.started_at + timedelta(seconds=segment.seconds)
        cursor = seg_end if cursor is None else max(cursor, seg_end)
        position += segment.seconds
    if cursor is not None and end is not None:
        missing = (end - cursor).total_seconds()
        if missing >= MIN_GAP_SECONDS:
            gaps.append(Gap(cursor, missing, position))
    return tuple(gaps)


class JoinError(Exception):
    """The segments cannot be put in one stream without re-encoding."""


def _signature(container: av.container.InputContainer) -> tuple[object, ...]:
    parts: list[object] = []
    for stream in container.streams:
        if stream.type not in ("video", "audio"):
            continue
        ctx: Any = stream.codec_context
        size = (ctx.width, ctx.height) if stream.type == "video" else (ctx.sample_rate,)
        parts.append((stream.type, ctx.name, size, bytes(ctx.extradata or b"")))
    return tuple(parts)


def concat_without_reencoding(sources: list[Path], target: Path) -> None:
    """Write ``sources`` end to end into ``target`` (packets copied; timestamps shifted)."""
    inputs = [av.open(str(p)) for p in sources]
    try:
        signatures = {_signature(c) for c in inputs}
        if len(signatures) != 1:
            raise JoinError("the segments were recorded with different settings (e.g. size)")
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".partial.mp4")
        with av.open(str(partial), "w", format="mp4") as out:
            template = inputs[0]
            kinds = [s for s in template.streams if s.type in ("video", "audio")]
            outs = [out.add_stream_from_template(s) for s in kinds]
            last_dts: dict[int, int] = {}
            offset = 0.0  # seconds already written
            for container in inputs:
                streams = [s for s in container.streams if s.type in ("video", "audio")]
                starts: dict[int, float] = {}
                seg_end = 0.0
                for packet in container.demux(*streams):
                    if packet.dts is None or packet.pts is None or packet.time_base is None:
                        continue
                    index = streams.index(packet.stream)
                    tb = packet.time_base
                    first = starts.setdefault(index, float(packet.dts * tb))
                    shift = round((offset - first) / tb)
                    packet.pts += shift
                    packet.dts += shift
                    if index in last_dts and packet.dts <= last_dts[index]:
                        bump = last_dts[index] + 1 - packet.dts
                        packet.dts += bump
                        packet.pts += bump
                    last_dts[index] = packet.dts
                    end = float((packet.pts + (packet.duration or 0)) * tb)
                    seg_end = max(seg_end, end)
                    packet.stream = outs[index]
                    out.mux(packet)
                offset = max(offset, seg_end)
        partial.replace(target)
    finally:
        for container in inputs:
            container.close()


def _clean_cache(cache: Path) -> None:
    if not cache.is_dir():
        return
    cutoff = time.time() - CACHE_HOURS * 3600
    for path in cache.glob("*.mp4"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            logger.warning("could not remove the old joined video %s", path.name)
