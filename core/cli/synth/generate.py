"""Fill a database with synthetic interviews for analytics (see ``plan`` for the
distributions). Appends to what is there; ids continue after the current maxima. Blocking;
runs on the caller's thread in one transaction. SQL text names only model tables
(``noqa: S608``)."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
from sqlalchemy import Connection, Table, text

from core.cli.synth import plan
from core.cli.synth.bulk import bulk_insert, now_text, reset_postgres_sequence, timestamps_text
from core.db import changes
from core.db.engine import Database
from core.db.models import (
    Candidate,
    Interview,
    InterviewTemplate,
    Job,
)
from core.domain import Decision

logger = logging.getLogger(__name__)
MAX_INTERVIEWS = 5_000_000
JOB_TITLES = (
    "Backend Engineer",
    "Frontend Developer",
    "Data Engineer",
    "Site Reliability Engineer",
    "Mobile Developer",
    "QA Engineer",
    "Data Scientist",
    "Security Engineer",
    "Platform Engineer",
    "Full Stack Developer",
    "ML Engineer",
    "DBA",
)


class SynthError(ValueError):
    """Bad parameters for the generator; the message says which."""


@dataclass
class SynthReport:
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def _table(model: type) -> Table:
    table: Table = model.__table__  # type: ignore[attr-defined]
    return table


def _next_id(conn: Connection, model: type) -> int:
    name = _table(model).name
    return int(conn.execute(text(f'SELECT coalesce(max(id), 0) FROM "{name}"')).scalar_one()) + 1  # noqa: S608


def _ids(start: int, n: int) -> np.ndarray:
    return np.arange(start, start + n, dtype=np.int64)


def generate(db: Database, interviews: int, seed: int, now: datetime) -> SynthReport:
    if not 1 <= interviews <= MAX_INTERVIEWS:
        raise SynthError(f"--interviews must be between 1 and {MAX_INTERVIEWS:,}")
    started_at = time.perf_counter()
    rng = np.random.default_rng(seed)
    report = SynthReport()
    catalog = plan.make_catalog(rng)
    now_s = now.timestamp()
    with db.engine.begin() as conn:
        writer = _Writer(conn, report)
        job_ids = writer.jobs(catalog)
        template_ids = writer.templates(catalog, now_s)
        n_candidates = max(1, interviews // 3)
        cand_ids = writer.candidates(n_candidates, seed, now_s)
        draw = plan.draw_interviews(rng, catalog, interviews, n_candidates, now_s)
        ability = rng.normal(0.0, 1.0, n_candidates)
        writer.interviews_and_children(rng, catalog, draw, ability, job_ids, template_ids, cand_ids)
    report.seconds = time.perf_counter() - started_at
    logger.info("synthetic data: %s in %.1f s", report.rows, report.seconds)
    return report


class _Writer:
    def __init__(self, conn: Connection, report: SynthReport) -> None:
        self.conn = conn
        self.report = report

    def insert(self, model: type, data: dict[str, object]) -> None:
        table = _table(model)
        n = bulk_insert(self.conn, table, data)  # type: ignore[arg-type]
        reset_postgres_sequence(self.conn, table)
        record_changes(self.conn, table.name, data["id"])
        self.report.rows[table.name] = self.report.rows.get(table.name, 0) + n

    def jobs(self, catalog: plan.Catalog) -> np.ndarray:
        ids = _ids(_next_id(self.conn, Job), plan.N_JOBS)
        langs = [plan.LANGUAGES[i].value for i in catalog.job_language]
        self.insert(
            Job,
            {
                "id": ids,
                "title": [JOB_TITLES[i % len(JOB_TITLES)] for i in range(plan.N_JOBS)],
                "company": ["Synthetic Co"] * plan.N_JOBS,
                "coding_language": langs,
                "description": ["Synthetic job for analytics."] * plan.N_JOBS,
            },
        )
        return ids

    def templates(self, catalog: plan.Catalog, now_s: float) -> np.ndarray:
        ids = _ids(_next_id(self.conn, InterviewTemplate), plan.N_TEMPLATES)
        bank = catalog.bank
        questions = [
            [
                {
                    "question_text": f"Synthetic question {q}",
                    "question_type": plan.TYPES[bank.question_type[q]].value,
                    "difficulty": plan.LEVELS[bank.level[q]].value,
                    "bank_id": f"synthetic-{q:03d}",
                }
                for q in qs.tolist()
            ]
            for qs in catalog.template_questions
        ]
        self.insert(
            InterviewTemplate,
            {
                "id": ids,
                "title": [
                    f"Synthetic {plan.TYPES[t].value} {plan.LEVELS[lv].value} #{i + 1}"
                    for i, (t, lv) in enumerate(
                        zip(catalog.template_type, catalog.template_level, strict=True)
                    )
                ],
                "interview_type": [plan.TYPES[t].value for t in catalog.template_type],
                "difficulty": [plan.LEVELS[lv].value for lv in catalog.template_level],
                "questions": questions,
                "created_at": timestamps_text(np.full(plan.N_TEMPLATES, now_s - 400 * plan.DAY)),
            },
        )
        return ids

    def candidates(self, n: int, seed: int, now_s: float) -> np.ndarray:
        ids = _ids(_next_id(self.conn, Candidate), n)
        stamp = timestamps_text(np.full(n, now_s - 380 * plan.DAY))
        self.insert(
            Candidate,
            {
                "id": ids,
                "full_name": [f"Synthetic Candidate {i}" for i in ids.tolist()],
                "email": [f"synthetic-{seed}-{i}@example.invalid" for i in ids.tolist()],
                "created_at": stamp,
                "updated_at": stamp,
            },
        )
        return ids

    def interviews_and_children(
        self,
        rng: np.random.Generator,
        catalog: plan.Catalog,
        draw: plan.InterviewDraw,
        ability: np.ndarray,
        job_ids: np.ndarray,
        template_ids: np.ndarray,
        cand_ids: np.ndarray,
    ) -> None:
        from core.cli.synth.children import write_children

        n = draw.template.size
        ids = _ids(_next_id(self.conn, Interview), n)
        status = np.array(
            ["completed", "expired", "cancelled", "expired", "scheduled"], dtype=object
        )[np.where(draw.outcome < 0, 4, draw.outcome)]
        completed = draw.outcome == 0
        decided = completed & (rng.random(n) < 0.60)
        decision = np.where(
            decided,
            rng.choice(
                [d.value for d in (Decision.ADVANCE, Decision.REJECT, Decision.HOLD)],
                n,
                p=[0.3, 0.5, 0.2],
            ),
            np.array(None, dtype=object),
        )
        decision_at = np.where(decided, draw.completed + rng.uniform(1, 7, n) * plan.DAY, np.nan)
        updated = np.fmax(np.fmax(draw.created, draw.completed), decision_at)
        updated = np.where(np.isnan(updated), draw.created, updated)
        children = write_children(self, rng, catalog, draw, ability, ids)
        ttype = catalog.template_type[draw.template]
        tlevel = catalog.template_level[draw.template]
        self.insert(
            Interview,
            {
                "id": ids,
                "candidate_id": cand_ids[draw.candidate],
                "job_id": job_ids[draw.job],
                "template_id": template_ids[draw.template],
                "title": [
                    f"{JOB_TITLES[j % len(JOB_TITLES)]} interview" for j in draw.job.tolist()
                ],
                "interview_type": [plan.TYPES[t].value for t in ttype],
                "difficulty": [plan.LEVELS[lv].value for lv in tlevel],
                "coding_language": [
                    plan.LANGUAGES[catalog.job_language[j]].value for j in draw.job
                ],
                "total_questions": children.question_counts,
                "status": status,
                "scheduled_at": timestamps_text(draw.scheduled),
                "started_at": timestamps_text(draw.started),
                "completed_at": timestamps_text(draw.completed),
                "total_score": children.total_score,
                "max_score": children.max_score,
                "percentage": children.percentage,
                "needs_review": completed & (rng.random(n) < 0.10),
                "decision": decision,
                "decision_at": timestamps_text(decision_at),
                "created_at": timestamps_text(draw.created),
                "updated_at": timestamps_text(updated),
            },
        )
        children.flush()
        _update_template_counters(self.conn, template_ids)


def record_changes(conn: Connection, table: str, ids: object) -> None:
    """Put the written rows in the change record (bulk: the ORM's hooks do not see them)."""
    if table in changes.RECORDED and table not in changes.DELETE_ONLY:
        values = np.asarray(ids, dtype=np.int64)
        bulk_insert(
            conn,
            changes.CHANGES,
            {
                "table_name": [table] * values.size,
                "row_id": values.tolist(),
                "op": [changes.UPSERT] * values.size,
                "at": [now_text(datetime.now(UTC))] * values.size,
            },
        )


def _update_template_counters(conn: Connection, template_ids: np.ndarray) -> None:
    for tid in template_ids.tolist():
        conn.execute(
            text(
                "UPDATE interview_templates SET "
                "times_used = (SELECT count(*) FROM interviews WHERE template_id = :t), "
                "scored_interviews = (SELECT count(*) FROM interviews "
                "  WHERE template_id = :t AND percentage IS NOT NULL), "
                "average_score = (SELECT round(CAST(avg(percentage) AS numeric), 2) "
                "  FROM interviews WHERE template_id = :t AND percentage IS NOT NULL) "
                "WHERE id = :t"
            ),
            {"t": tid},
        )
    record_changes(conn, "interview_templates", template_ids)
