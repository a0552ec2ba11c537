"""Candidates: validated create/update/delete, resumes on disk, and CSV import with a report.

Every function runs on the caller's thread and uses one short transaction. Every function that
changes data takes an optional ``principal``: when given (pages, the HTTP API) it must be
allowed ``MANAGE_CANDIDATES``, checked before anything is read, stored or written; the command
line and fixtures act as the operator and pass none.
"""

from __future__ import annotations

import logging
import re
import secrets
from dataclasses import dataclass, fields, replace

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.config import Settings
from core.db.models import Candidate, Interview
from core.db.uow import Tx, reading, writing
from core.recruiting.candidate_rows import (
    CandidateError,
    CandidateInput,
    RowError,
    normalise_email,
    normalise_timezone,
    parse_candidate_csv,
    validate_candidate,
)
from core.recruiting.catalog import CandidateView, candidate_view
from core.recruiting.documents import DocumentError, extract_text, file_extension
from core.review.erasure import ErasureError, erase_candidate, safe_path
from core.staff.audit import record_audit
from core.staff.permissions import Action, Principal, require_given

logger = logging.getLogger(__name__)

__all__ = [
    "CandidateChanges",
    "CandidateDuplicate",
    "CandidateError",
    "CandidateInput",
    "CandidateMissing",
    "ImportReport",
    "ResumeError",
    "RowError",
    "attach_resume",
    "create_candidate",
    "delete_candidate",
    "get_candidate",
    "import_candidates_csv",
    "normalise_email",
    "normalise_timezone",
    "parse_candidate_csv",
    "update_candidate",
    "validate_candidate",
]

RESUME_DIR = "resumes"


class ResumeError(CandidateError, DocumentError):
    """The resume file was refused (catchable as CandidateError or DocumentError)."""

    code = "resume_invalid"


class CandidateMissing(CandidateError):
    """There is no such candidate (any more)."""

    code = "candidate_not_found"
    status = 404


class CandidateDuplicate(CandidateError):
    """Another candidate has that email address."""

    code = "candidate_email_taken"
    status = 409


@dataclass(frozen=True)
class CandidateChanges:
    """Some of a candidate's fields (None: keep it), merged under the row's lock."""

    full_name: str | None = None
    email: str | None = None
    phone: str | None = None
    timezone: str | None = None
    notes: str | None = None

    def applied_to(self, current: CandidateInput) -> CandidateInput:
        given = {f.name: getattr(self, f.name) for f in fields(self)}
        return replace(current, **{k: v for k, v in given.items() if v is not None})


@dataclass(frozen=True)
class ImportReport:
    created: tuple[CandidateView, ...]
    errors: tuple[RowError, ...]


# Create / read / update / delete ------------------------------------------------------------
def _email_taken(session: Session, email: str, except_id: int | None = None) -> bool:
    stmt = select(Candidate.id).where(func.lower(Candidate.email) == email)
    if except_id is not None:
        stmt = stmt.where(Candidate.id != except_id)
    return session.scalars(stmt.limit(1)).first() is not None


def _duplicate(email: str) -> CandidateError:
    return CandidateDuplicate(f"A candidate with the email {email} already exists.")


def _interview_count(session: Session, candidate_id: int) -> int:
    stmt = select(func.count(Interview.id)).where(Interview.candidate_id == candidate_id)
    return int(session.scalar(stmt) or 0)


def _locked(session: Session, candidate_id: int) -> Candidate:
    stmt = select(Candidate).where(Candidate.id == candidate_id).with_for_update()
    candidate = session.scalars(stmt).first()
    if candidate is None:
        raise CandidateMissing("That candidate no longer exists.")
    return candidate


def _apply(candidate: Candidate, data: CandidateInput) -> None:
    candidate.full_name, candidate.email, candidate.phone = data.full_name, data.email, data.phone
    candidate.timezone, candidate.notes = data.timezone, data.notes


def create_candidate(
    db: Tx, data: CandidateInput, *, actor_id: int | None, principal: Principal | None = None
) -> CandidateView:
    require_given(principal, Action.MANAGE_CANDIDATES)
    clean = validate_candidate(data)
    try:
        with writing(db) as session:
            if _email_taken(session, clean.email):
                raise _duplicate(clean.email)
            candidate = Candidate(resume_text="")
            _apply(candidate, clean)
            session.add(candidate)
            session.flush()
            record_audit(session, actor_id, "candidate.create", "candidate", candidate.id)
            return candidate_view(candidate, 0)
    except IntegrityError as exc:  # a concurrent insert of the same email
        raise _duplicate(clean.email) from exc


def update_candidate(
    db: Tx,
    candidate_id: int,
    data: CandidateInput | CandidateChanges,
    *,
    actor_id: int | None,
    principal: Principal | None = None,
) -> CandidateView:
    """Replace the candidate's fields (``CandidateInput``) or change some (``CandidateChanges``,
    merged with the row as it is under its lock, so concurrent edits of other fields stay)."""
    require_given(principal, Action.MANAGE_CANDIDATES)
    clean = validate_candidate(data) if isinstance(data, CandidateInput) else None
    try:
        with writing(db) as session:
            c = _locked(session, candidate_id)
            if isinstance(data, CandidateChanges):
                was = CandidateInput(c.full_name, c.email, c.phone, c.timezone, c.notes)
                clean = validate_candidate(data.applied_to(was))
            assert clean is not None
            if _email_taken(session, clean.email, except_id=candidate_id):
                raise _duplicate(clean.email)
            _apply(c, clean)
            session.flush()
            record_audit(session, actor_id, "candidate.update", "candidate", candidate_id)
            return candidate_view(c, _interview_count(session, candidate_id))
    except IntegrityError as exc:
        raise _duplicate(clean.email if clean else str(data.email)) from exc


def get_candidate(
    db: Tx, candidate_id: int, *, principal: Principal | None = None
) -> CandidateView | None:
    """The candidate, or None. ``principal``, when given, must be allowed
    ``MANAGE_CANDIDATES``."""
    require_given(principal, Action.MANAGE_CANDIDATES)
    with reading(db) as session:
        candidate = session.get(Candidate, candidate_id)
        if candidate is None:
            return None
        return candidate_view(candidate, _interview_count(session, candidate_id))


def _remove_data_file(settings: Settings, relative: str | None) -> None:
    """Delete a file named relative to the data dir; never anything outside it."""
    if not relative:
        return
    path = safe_path(settings.data_dir, relative)
    if path is None:
        logger.warning("not deleting %s: outside the data dir", relative)
        return
    try:
        path.unlink(missing_ok=True)
        if path.parent.name.isdigit() and path.parent.parent.name == RESUME_DIR:
            path.parent.rmdir()  # fails (kept) if other files are still there
    except OSError as exc:
        logger.debug("could not remove %s: %s", path, exc)


def delete_candidate(
    db: Tx,
    settings: Settings,
    candidate_id: int,
    *,
    actor_id: int | None,
    principal: Principal | None = None,
) -> None:
    """Erase the candidate with every row and file (see ``core.review.erasure``); the audit
    entry keeps only ids, never the erased personal data. ``principal``, when given, must be
    allowed ``MANAGE_CANDIDATES`` and, because the candidate's interviews go too,
    ``ERASE_INTERVIEW`` (``erase_candidate`` asks both)."""
    require_given(principal, Action.MANAGE_CANDIDATES)
    require_given(principal, Action.ERASE_INTERVIEW)
    if get_candidate(db, candidate_id) is None:
        raise CandidateMissing("That candidate no longer exists.")
    try:
        erase_candidate(db, settings, candidate_id, actor_id=actor_id, principal=principal)
    except ErasureError as exc:  # erased by someone else meanwhile
        raise CandidateMissing(str(exc)) from exc


# Resumes ------------------------------------------------------------------------------------
def _display_filename(filename: str, ext: str) -> str:
    base = re.split(r"[\\/]", filename)[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip() or f"resume{ext}"
    return base if len(base) <= 255 else base[: 255 - len(ext)] + ext


def attach_resume(
    db: Tx,
    settings: Settings,
    candidate_id: int,
    filename: str,
    data: bytes,
    *,
    actor_id: int | None,
    principal: Principal | None = None,
) -> CandidateView:
    """Extract the text first (nothing is stored if that fails), then store and link the file."""
    require_given(principal, Action.MANAGE_CANDIDATES)
    try:
        text = extract_text(filename, data, max_bytes=settings.resume_max_bytes)
    except DocumentError as exc:
        raise ResumeError(str(exc)) from exc
    if get_candidate(db, candidate_id) is None:
        raise CandidateMissing("That candidate no longer exists.")
    ext = file_extension(filename)
    relative = f"{RESUME_DIR}/{candidate_id}/{secrets.token_hex(16)}{ext}"
    path = settings.data_dir / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("xb") as handle:
            handle.write(data)
        with writing(db) as session:
            candidate = _locked(session, candidate_id)
            old = candidate.resume_path
            candidate.resume_path = relative
            candidate.resume_filename = _display_filename(filename, ext)
            candidate.resume_text = text
            session.flush()
            details = {"filename": candidate.resume_filename, "bytes": len(data)}
            record_audit(session, actor_id, "candidate.resume", "candidate", candidate_id, details)
            view = candidate_view(candidate, _interview_count(session, candidate_id))
    except BaseException:
        _remove_data_file(settings, relative)
        raise
    if old and old != relative:
        _remove_data_file(settings, old)
    return view


def import_candidates_csv(
    db: Tx,
    data: bytes,
    *,
    actor_id: int | None,
    max_rows: int = 5000,
    principal: Principal | None = None,
) -> ImportReport:
    """Save the good rows in one transaction; report the bad ones. Nothing is saved on a
    file-level problem (not CSV, no header, too many rows)."""
    require_given(principal, Action.MANAGE_CANDIDATES)
    good, errors = parse_candidate_csv(data, max_rows=max_rows)
    created: list[Candidate] = []
    try:
        with writing(db) as session:
            taken: set[str] = set()
            emails = [c.email for _, c in good]
            for i in range(0, len(emails), 500):
                chunk = emails[i : i + 500]
                stmt = select(func.lower(Candidate.email)).where(
                    func.lower(Candidate.email).in_(chunk)
                )
                taken.update(session.scalars(stmt))
            for line, clean in good:
                if clean.email in taken:
                    errors.append(RowError(line, clean.email, str(_duplicate(clean.email))))
                    continue
                candidate = Candidate(resume_text="")
                _apply(candidate, clean)
                created.append(candidate)
            session.add_all(created)
            session.flush()
            details = {"created": len(created), "rejected": len(errors)}
            record_audit(session, actor_id, "candidate.import", "candidate", None, details)
            views = tuple(candidate_view(c, 0) for c in created)
    except IntegrityError as exc:
        raise CandidateError(
            "Another change added some of these emails at the same time; nothing was "
            "imported. Try again."
        ) from exc
    return ImportReport(created=views, errors=tuple(sorted(errors, key=lambda e: e.line)))
