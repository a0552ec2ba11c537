"""Resumes on disk: real PDF/DOCX uploads, refused files leaving nothing, and deletion."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.config import Settings
from core.db.engine import Database
from core.db.models import Candidate, Interview, ProctorEvent, Recording
from core.domain import ProctorEventKind, Severity
from core.recruiting.candidates import (
    CandidateError,
    ResumeError,
    attach_resume,
    delete_candidate,
    get_candidate,
)
from core.recruiting.documents import DocumentError
from tests.support.factories import make_candidate, make_interview
from tests.support.sample_files import docx_bomb, make_docx, make_pdf


def _files(settings: Settings) -> list[Path]:
    """Every file under the data dir except the SQLite database and its journals."""
    found = settings.data_dir.rglob("*")
    return sorted(p for p in found if p.is_file() and not p.name.startswith("app.db"))


def _resume_path(db: Database, cid: int) -> str | None:
    with db.read() as s:
        return s.scalar(select(Candidate.resume_path).where(Candidate.id == cid))


def test_pdf_then_docx_replaces_the_file(any_db: Database, settings: Settings) -> None:
    cid = make_candidate(any_db)
    pdf = make_pdf([["Ravi Kumar", "Data engineer"]])
    view = attach_resume(any_db, settings, cid, "../../etc/Ravi CV.pdf", pdf, actor_id=None)
    assert view.resume_filename == "Ravi CV.pdf"
    assert "Data engineer" in view.resume_text
    relative = _resume_path(any_db, cid)
    assert relative is not None and relative.startswith(f"resumes/{cid}/")
    assert relative.endswith(".pdf") and "Ravi" not in relative and ".." not in relative
    assert (settings.data_dir / relative).read_bytes() == pdf
    assert _files(settings) == [settings.data_dir / relative]

    docx = make_docx(["Ravi Kumar", "Now a platform engineer"])
    view = attach_resume(any_db, settings, cid, "C:\\cv\\ravi.docx", docx, actor_id=None)
    assert view.resume_filename == "ravi.docx"
    assert "platform engineer" in view.resume_text
    new_relative = _resume_path(any_db, cid)
    assert new_relative is not None and new_relative.endswith(".docx")
    assert _files(settings) == [settings.data_dir / new_relative]


BAD_UPLOADS = [
    ("cv.pdf", b"%PDF-1.4\n1 0 obj garbage", "The PDF could not be read"),
    ("cv.pdf", b"", "The file is empty."),
    ("cv.docx", b"this is no zip", "not a DOCX"),
    ("cv.docx", docx_bomb(), "unpacks to too much data"),
    ("cv.odt", b"PK\x03\x04", ".odt is not supported"),
    ("cv.txt", b"x" * (2 * 1024 * 1024), "The file is 2.0 MB; the limit is 1.0 MB."),
]


@pytest.mark.parametrize(("filename", "data", "message"), BAD_UPLOADS)
def test_bad_upload_stores_nothing_and_keeps_the_old_resume(
    db: Database, settings: Settings, filename: str, data: bytes, message: str
) -> None:
    small = settings.model_copy(update={"resume_max_bytes": 1024 * 1024})
    cid = make_candidate(db)
    before = attach_resume(db, small, cid, "old.txt", b"Old resume text", actor_id=None)
    files = _files(small)
    with pytest.raises(ResumeError) as caught:
        attach_resume(db, small, cid, filename, data, actor_id=None)
    assert isinstance(caught.value, CandidateError) and isinstance(caught.value, DocumentError)
    assert message in str(caught.value)
    assert _files(small) == files
    assert get_candidate(db, cid) == before


def test_unknown_candidate_stores_nothing(db: Database, settings: Settings) -> None:
    with pytest.raises(CandidateError, match=r"^That candidate no longer exists\.$"):
        attach_resume(db, settings, 12345, "cv.txt", b"text", actor_id=None)
    assert _files(settings) == []


def test_delete_removes_rows_resume_and_interview_media(db: Database, settings: Settings) -> None:
    cid = make_candidate(db)
    other = make_candidate(db)
    attach_resume(db, settings, cid, "cv.txt", b"Resume", actor_id=None)
    attach_resume(db, settings, other, "cv.txt", b"Other resume", actor_id=None)
    interview_id = make_interview(db, candidate_id=cid)
    media = settings.data_dir / "recordings" / f"{interview_id}.mp4"
    snapshot = settings.data_dir / "snapshots" / "1.jpg"
    outside = settings.data_dir.parent / "outside.txt"
    for path in (media, snapshot, outside):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"data")
    now = datetime(2026, 1, 5, 10, tzinfo=UTC)
    with db.write() as s:
        s.add(
            Recording(
                interview_id=interview_id, path=f"recordings/{interview_id}.mp4", started_at=now
            )
        )
        s.add(
            ProctorEvent(
                interview_id=interview_id,
                kind=ProctorEventKind.PHONE,
                severity=Severity.WARNING,
                started_at=now,
                snapshot_path="snapshots/1.jpg",
                thumbnail_path="../outside.txt",
            )
        )
    resume = settings.data_dir / str(_resume_path(db, cid))

    delete_candidate(db, settings, cid, actor_id=None)

    assert get_candidate(db, cid) is None
    with db.read() as s:
        assert s.scalar(select(func.count(Interview.id)).where(Interview.id == interview_id)) == 0
        assert s.scalar(select(func.count(Recording.id))) == 0
    assert not resume.exists() and not resume.parent.exists()
    assert not media.exists() and not snapshot.exists()
    assert outside.exists()  # never anything outside the data dir
    assert (settings.data_dir / str(_resume_path(db, other))).exists()
    with pytest.raises(CandidateError, match="no longer exists"):
        delete_candidate(db, settings, cid, actor_id=None)
