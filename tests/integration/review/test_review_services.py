"""Review read model, judgement, PDF/JSON exports, erasure and retention on real files."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from core.config import Settings
from core.db.engine import Database
from core.db.models import (
    AuditLog,
    Candidate,
    ChatMessage,
    CodeSubmission,
    Interview,
    InterviewResponse,
    ProctorEvent,
    Recording,
)
from core.domain import Decision, ProctorEventKind, Role
from core.proctor.joined_cache import joined_dir, joined_name
from core.review import judgement
from core.review.bundle import load_review
from core.review.erasure import erase_candidate, erase_interview, purge_media
from core.review.export import candidate_of, export_json
from core.review.pdf import build_pdf
from core.review.timeline import build_timeline, video_offset
from tests.support.factories import make_full_interview, make_user

NOW = datetime(2026, 1, 6, 9, 0, tzinfo=UTC)


def test_bundle_has_every_kind_of_record(any_db: Database, settings: Settings) -> None:
    iid = make_full_interview(any_db, settings.data_dir)
    bundle = load_review(any_db, iid)
    assert bundle is not None
    assert [q.score for q in bundle.interview.questions] == [6.0, 7.0, 8.0]
    assert [c.content for c in bundle.chat] == ["Welcome!", "Thanks, ready."]
    assert [s.verdict for s in bundle.submissions] == ["wrong_answer", "accepted"]
    assert bundle.submissions[0].diff_from_previous == ""
    assert "+    return x * 2" in bundle.submissions[1].diff_from_previous
    grouped = bundle.warnings_by_kind()
    assert {k: len(v) for k, v in grouped.items()} == {
        ProctorEventKind.PHONE: 2,
        ProctorEventKind.MULTIPLE_PEOPLE: 1,
    }
    assert bundle.evaluation is not None and bundle.evaluation.overall_score == 7.0
    assert load_review(any_db, 999_999) is None


def test_timeline_puts_everything_on_one_clock(db: Database, settings: Settings) -> None:
    bundle = load_review(db, make_full_interview(db, settings.data_dir))
    assert bundle is not None
    items = build_timeline(bundle)
    lanes = [i.lane for i in items]
    assert lanes.count("Question") == 3 and lanes.count("Code") == 2 and lanes.count("Warning") == 3
    first_warning = next(i for i in items if i.lane == "Warning")
    assert first_warning.start_s == 180.0
    assert (
        video_offset(first_warning.start_s, bundle) == 180
    )  # recording started with the interview


def test_override_keeps_ai_score_and_updates_totals(any_db: Database, settings: Settings) -> None:
    iid = make_full_interview(any_db, settings.data_dir)
    manager = make_user(any_db, Role.HIRING_MANAGER)
    bundle = load_review(any_db, iid)
    first = bundle.interview.questions[0]
    with pytest.raises(judgement.JudgementError, match="reason"):
        judgement.override_score(
            any_db, response_id=first.response_id, score=9, reason="", actor_id=manager.id, now=NOW
        )
    with pytest.raises(judgement.JudgementError, match="between 0 and 10"):
        judgement.override_score(
            any_db,
            response_id=first.response_id,
            score=11,
            reason="too high anyway",
            actor_id=manager.id,
            now=NOW,
        )
    judgement.override_score(
        any_db,
        response_id=first.response_id,
        score=9.0,
        reason="Answer was right; engine missed synonyms",
        actor_id=manager.id,
        now=NOW,
    )
    judgement.set_decision(any_db, iid, Decision.ADVANCE, actor_id=manager.id, now=NOW)
    judgement.add_comment(any_db, iid, "Strong on Q3.", actor_id=manager.id)
    after = load_review(any_db, iid)
    q = after.interview.questions[0]
    assert (q.score, q.override_score) == (6.0, 9.0)
    assert after.interview.total_score == 24.0 and after.interview.summary.percentage == 80.0
    assert after.decision is Decision.ADVANCE and after.comments[0].body == "Strong on Q3."
    with any_db.read() as s:
        actions = set(s.scalars(select(AuditLog.action)))
    assert {"score_override", "review.decision", "review.comment"} <= actions


def test_pdf_report_reads_back(db: Database, settings: Settings) -> None:
    bundle = load_review(db, make_full_interview(db, settings.data_dir))
    pdf = build_pdf(bundle, data_dir=settings.data_dir, zone=settings.zone)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Zoe Quinn" in text
    assert "Score: 21.0 / 30.0 (70%)" in text and "Overall 7.0/10" in text
    assert "phone\n2" in text and "multiple people\n1" in text  # the warning-count table
    assert "Q1: clear explanation" in text


def test_json_export_has_everything(db: Database, settings: Settings) -> None:
    bundle = load_review(db, make_full_interview(db, settings.data_dir))
    doc = json.loads(export_json(bundle, candidate_of(db, bundle)))
    assert doc["candidate"]["full_name"] == "Zoe Quinn"
    assert len(doc["interview"]["questions"]) == 3 and len(doc["chat"]) == 2
    assert len(doc["code_submissions"]) == 2 and len(doc["proctoring_warnings"]) == 3
    assert doc["recordings"][0]["path"].endswith(".mp4")


def test_erase_candidate_leaves_no_row_and_no_file(any_db: Database, settings: Settings) -> None:
    iid = make_full_interview(any_db, settings.data_dir)
    keep = make_full_interview(any_db, settings.data_dir)  # someone else's stays
    with any_db.read() as s:
        cid = s.get(Interview, iid).candidate_id
    report = erase_candidate(any_db, settings, cid, actor_id=None)
    assert report.failed == [] and len(report.removed) == 1 + 6 + 1  # video, 6 images, resume
    with any_db.read() as s:
        assert s.get(Candidate, cid) is None
        for model in (
            Interview,
            InterviewResponse,
            ChatMessage,
            CodeSubmission,
            ProctorEvent,
            Recording,
        ):
            column = model.id if model is Interview else model.interview_id
            assert s.scalar(select(func.count()).select_from(model).where(column == iid)) == 0
    leftovers = [
        p
        for p in settings.data_dir.rglob("*")
        if p.is_file() and (f"/{iid}" in str(p) or f"resumes/{cid}/" in str(p))
    ]
    assert leftovers == []
    assert (
        load_review(any_db, keep) is not None
        and (settings.data_dir / "recordings" / f"{keep}.mp4").exists()
    )


def test_erase_interview(db: Database, settings: Settings) -> None:
    iid = make_full_interview(db, settings.data_dir)
    erase_interview(db, settings, iid, actor_id=None)
    assert load_review(db, iid) is None
    assert not (settings.data_dir / "snapshots" / str(iid)).exists()


def test_erasure_and_purge_remove_the_joined_videos_too(db: Database, settings: Settings) -> None:
    """The Review player's joined copy of the segments must not outlive an erased interview."""
    erased = make_full_interview(db, settings.data_dir)
    kept = make_full_interview(db, settings.data_dir)
    old = make_full_interview(db, settings.data_dir, started=NOW - timedelta(days=400))
    folder = joined_dir(settings.data_dir)
    folder.mkdir(parents=True)
    for iid in (erased, kept, old):
        (folder / joined_name(iid, "0123456789abcdef")).write_bytes(b"joined video")
    erase_interview(db, settings, erased, actor_id=None)
    purge_media(db, settings, now=NOW, dry_run=False)
    assert sorted(p.name for p in folder.iterdir()) == [joined_name(kept, "0123456789abcdef")]


def test_purge_removes_only_old_media_and_keeps_scores(db: Database, settings: Settings) -> None:
    old = make_full_interview(db, settings.data_dir, started=NOW - timedelta(days=400))
    new = make_full_interview(db, settings.data_dir, started=NOW - timedelta(days=10))
    dry = purge_media(db, settings, now=NOW, dry_run=True)
    assert (dry.recordings, dry.snapshots) == (1, 3)
    assert (settings.data_dir / "recordings" / f"{old}.mp4").exists()  # dry run removes nothing
    done = purge_media(db, settings, now=NOW, dry_run=False)
    assert len(done.files.removed) == 7
    assert not (settings.data_dir / "recordings" / f"{old}.mp4").exists()
    assert (settings.data_dir / "recordings" / f"{new}.mp4").exists()
    old_bundle = load_review(db, old)
    assert old_bundle.recordings == () and len(old_bundle.warnings) == 3
    assert all(w.snapshot_path is None for w in old_bundle.warnings)
    assert [q.score for q in old_bundle.interview.questions] == [6.0, 7.0, 8.0]
    assert len(load_review(db, new).recordings) == 1


def test_print_view_text(db: Database, settings: Settings) -> None:
    from core.review.export import text_report

    report = text_report(
        load_review(db, make_full_interview(db, settings.data_dir)), "Asia/Kolkata"
    )
    assert report.startswith("INTERVIEW REPORT - Zoe Quinn")
    assert "Score 21.0 / 30.0 (70%)" in report and "phone 2" in report
    assert "Answer: My answer 0 <script>alert(1)</script>" in report
