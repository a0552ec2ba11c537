"""A JSON export of everything about one interview (a candidate's data access request)."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime
from enum import Enum
from typing import Any

from core.db.engine import Database
from core.proctor.warning_count import is_warning, warnings_only
from core.recruiting.catalog import CandidateView, list_candidates
from core.review.bundle import ReviewBundle

FORMAT = "intervista.interview-export"
VERSION = 1


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def candidate_of(db: Database, bundle: ReviewBundle) -> CandidateView | None:
    email = bundle.interview.summary.candidate_email
    return next((c for c in list_candidates(db, search=email) if c.email == email), None)


def export_json(bundle: ReviewBundle, candidate: CandidateView | None) -> str:
    document = {
        "format": FORMAT,
        "version": VERSION,
        "candidate": _plain(candidate),
        "interview": _plain(bundle.interview),
        "evaluation": _plain(bundle.evaluation),
        "chat": _plain(bundle.chat),
        "code_submissions": _plain(bundle.submissions),
        "proctoring_warnings": _plain(bundle.warnings),
        "recordings": _plain(bundle.recordings),
        "review_comments": _plain(bundle.comments),
        "decision": _plain(bundle.decision),
        "decision_by": bundle.decision_by,
        "decision_at": _plain(bundle.decision_at),
    }
    return json.dumps(document, indent=2, ensure_ascii=False)


def text_report(bundle: ReviewBundle, zone_name: str = "UTC") -> str:
    """A print-friendly plain-text report (no markup; safe for any user text)."""
    from collections import Counter
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(zone_name)
    s, d = bundle.interview.summary, bundle.interview

    def when(t: datetime | None) -> str:
        return t.astimezone(zone).strftime("%d %b %Y %H:%M") if t else "-"

    lines = [
        f"INTERVIEW REPORT - {s.candidate_name} <{s.candidate_email}>",
        f"{s.title} | {s.job_title} | {s.company_name}",
        f"Status {s.status.value} | {s.interview_type.value}, {s.difficulty.value} | "
        f"scheduled {when(s.scheduled_at)} | completed {when(s.completed_at)} ({zone_name})",
        f"Score {d.total_score if d.total_score is not None else '-'} / "
        f"{d.max_score if d.max_score is not None else '-'}"
        + (f" ({s.percentage:.0f}%)" if s.percentage is not None else ""),
    ]
    if bundle.decision:
        lines.append(
            f"Decision: {bundle.decision.value} by {bundle.decision_by} "
            f"on {when(bundle.decision_at)}"
        )
    lines.append("")
    for q in d.questions:
        human = f" | human {q.override_score:.1f}" if q.override_score is not None else ""
        ai = f"{q.score:.1f}" if q.score is not None else "-"
        lines += [
            f"Q{q.order} [{q.question_type.value}] AI {ai}{human}",
            f"  {q.text}",
            f"  Answer: {q.answer or '(none)'}",
            f"  Feedback: {q.feedback or '-'}",
        ]
        if q.override_score is not None:
            lines.append(f"  Override reason: {q.override_reason or '(none recorded)'}")
        lines.append("")
    for title, items in (
        ("Strengths", d.strengths),
        ("Weaknesses", d.weaknesses),
        ("Recommendations", d.recommendations),
    ):
        if items:
            lines += [title + ":", *[f"  - {i}" for i in items], ""]
    warned = warnings_only(bundle.warnings)
    counts = Counter(w.kind.value for w in warned)
    lines.append(
        f"Proctoring warnings: {len(warned)}"
        + (" (" + ", ".join(f"{k} {n}" for k, n in counts.items()) + ")" if counts else "")
    )
    others = Counter(w.kind.value for w in bundle.warnings if not is_warning(w.kind, w.severity))
    if others:
        lines.append(
            "Other proctoring events (not warnings): "
            + ", ".join(f"{k} {n}" for k, n in others.items())
        )
    return "\n".join(lines)
