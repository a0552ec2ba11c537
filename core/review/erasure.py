"""Erasure and retention: delete a candidate or an interview with every row and file, and purge
old media while keeping scores. Files are removed after the database commit; a file that cannot
be removed is reported, never silently left."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.config import Settings
from core.db.models import (
    Candidate,
    Interview,
    InterviewResponse,
    ProctorEvent,
    Recording,
)
from core.db.uow import Tx, reading, writing
from core.errors import IntervistaError
from core.proctor.joined_cache import remove_joined
from core.staff.audit import record_audit
from core.staff.permissions import Action, Principal, require_given

logger = logging.getLogger(__name__)


class ErasureError(IntervistaError, ValueError):
    """The erasure cannot be done; the message says why."""

    code = "erasure_refused"


@dataclass
class FileReport:
    removed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    bytes_freed: int = 0


def safe_path(data_dir: Path, relative: str) -> Path | None:
    """The absolute path of a stored relative path, or None if it points outside data_dir."""
    root = data_dir.resolve()
    target = (root / relative).resolve()
    return target if target.is_relative_to(root) and target != root else None


def _remove(data_dir: Path, paths: list[str], report: FileReport, dry_run: bool = False) -> None:
    for rel in paths:
        target = safe_path(data_dir, rel)
        if target is None:
            logger.error("refusing to delete %r: outside the data directory", rel)
            report.failed.append(rel)
            continue
        if not target.exists():
            report.missing.append(rel)
            continue
        try:
            size = target.stat().st_size
            if not dry_run:
                target.unlink()
            report.removed.append(rel)
            report.bytes_freed += size
        except OSError as exc:
            logger.error("could not delete %s: %s", target, exc)
            report.failed.append(rel)


def _interview_files(session: Session, interview_ids: list[int]) -> list[str]:
    if not interview_ids:
        return []
    paths: list[str] = []
    paths += session.scalars(
        select(Recording.path).where(Recording.interview_id.in_(interview_ids))
    )
    for snap, thumb in session.execute(
        select(ProctorEvent.snapshot_path, ProctorEvent.thumbnail_path).where(
            ProctorEvent.interview_id.in_(interview_ids)
        )
    ):
        paths += [p for p in (snap, thumb) if p]
    for audio, video in session.execute(
        select(InterviewResponse.audio_path, InterviewResponse.video_path).where(
            InterviewResponse.interview_id.in_(interview_ids)
        )
    ):
        paths += [p for p in (audio, video) if p]
    return paths


def _remove_empty_dirs(data_dir: Path, interview_ids: list[int]) -> None:
    for sub in ("snapshots", "recordings", "audio"):
        for iid in interview_ids:
            folder = data_dir / sub / str(iid)
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()


def erase_interview(
    db: Tx,
    settings: Settings,
    interview_id: int,
    *,
    actor_id: int | None,
    principal: Principal | None = None,
) -> FileReport:
    """Delete one interview with every row and file. ``principal``, when given, must be allowed
    ``ERASE_INTERVIEW`` (pages and the API pass it; the command line acts as the operator)."""
    require_given(principal, Action.ERASE_INTERVIEW, interview_id=interview_id)
    with writing(db) as session:
        interview = session.get(Interview, interview_id)
        if interview is None:
            raise ErasureError("That interview no longer exists.")
        files = _interview_files(session, [interview_id])
        session.delete(interview)  # rows below it go by ON DELETE CASCADE
        record_audit(
            session, actor_id, "erase.interview", "interview", interview_id, {"files": len(files)}
        )
    report = FileReport()
    _remove(settings.data_dir, files, report)
    remove_joined(settings.data_dir, [interview_id])
    _remove_empty_dirs(settings.data_dir, [interview_id])
    return report


def erase_candidate(
    db: Tx,
    settings: Settings,
    candidate_id: int,
    *,
    actor_id: int | None,
    principal: Principal | None = None,
) -> FileReport:
    """Delete a candidate, their interviews, recordings and resume. ``principal``, when given,
    must be allowed both ``MANAGE_CANDIDATES`` and ``ERASE_INTERVIEW``."""
    require_given(principal, Action.MANAGE_CANDIDATES)
    require_given(principal, Action.ERASE_INTERVIEW)
    with writing(db) as session:
        candidate = session.get(Candidate, candidate_id)
        if candidate is None:
            raise ErasureError("That candidate no longer exists.")
        ids = list(
            session.scalars(select(Interview.id).where(Interview.candidate_id == candidate_id))
        )
        files = _interview_files(session, ids)
        if candidate.resume_path:
            files.append(candidate.resume_path)
        session.delete(candidate)
        record_audit(
            session,
            actor_id,
            "erase.candidate",
            "candidate",
            candidate_id,
            {"interviews": len(ids), "files": len(files)},
        )
    report = FileReport()
    _remove(settings.data_dir, files, report)
    remove_joined(settings.data_dir, ids)
    _remove_empty_dirs(settings.data_dir, ids)
    resume_dir = settings.data_dir / "resumes" / str(candidate_id)
    if resume_dir.is_dir() and not any(resume_dir.iterdir()):
        resume_dir.rmdir()
    return report


@dataclass
class PurgeReport:
    cutoff: datetime
    recordings: int
    snapshots: int
    files: FileReport


def purge_media(
    db: Tx, settings: Settings, *, now: datetime, dry_run: bool, actor_id: int | None = None
) -> PurgeReport:
    """Remove recordings and snapshots older than the retention period; scores stay."""
    cutoff = now - timedelta(days=settings.recording_retention_days)
    with reading(db) if dry_run else writing(db) as session:
        recordings = list(session.scalars(select(Recording).where(Recording.started_at < cutoff)))
        events = list(
            session.scalars(
                select(ProctorEvent).where(
                    ProctorEvent.started_at < cutoff,
                    ProctorEvent.snapshot_path.is_not(None)
                    | ProctorEvent.thumbnail_path.is_not(None),
                )
            )
        )
        files = [r.path for r in recordings]
        purged_interviews = {r.interview_id for r in recordings}
        files += [p for e in events for p in (e.snapshot_path, e.thumbnail_path) if p]
        if not dry_run:
            for r in recordings:
                session.delete(r)
            for e in events:
                e.snapshot_path = None
                e.thumbnail_path = None
                e.details = {**e.details, "media_purged_at": now.isoformat()}
            record_audit(
                session,
                actor_id,
                "purge.media",
                "",
                None,
                {
                    "recordings": len(recordings),
                    "snapshots": len(events),
                    "cutoff": cutoff.isoformat(),
                },
            )
    report = FileReport()
    _remove(settings.data_dir, files, report, dry_run=dry_run)
    if not dry_run:
        remove_joined(settings.data_dir, purged_interviews)
    return PurgeReport(cutoff, len(recordings), len(events), report)
