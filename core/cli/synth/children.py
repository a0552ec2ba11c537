"""Questions, responses, code submissions, proctoring events and review comments of synthetic
interviews (distributions in ``plan``). Computed before the interviews are written
(their totals come from the scores), inserted after them (foreign keys)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from core.cli.synth import plan
from core.cli.synth.bulk import timestamps_text
from core.db.models import (
    CodeSubmission,
    InterviewQuestion,
    InterviewResponse,
    ProctorEvent,
    ReviewComment,
)
from core.domain import InterviewType

CODING = plan.TYPES.index(InterviewType.CODING)
FAILED_VERDICTS = ("wrong_answer", "runtime_error", "time_limit", "compile_error")


class _Inserter(Protocol):
    conn: Any

    def insert(self, model: type, data: dict[str, object]) -> None: ...


def _next_id(writer: _Inserter, model: type) -> int:
    from core.cli.synth.generate import _next_id as next_id

    return next_id(writer.conn, model)


@dataclass
class Children:
    question_counts: np.ndarray
    total_score: np.ndarray
    max_score: np.ndarray
    percentage: np.ndarray
    flush: Callable[[], None]


def _group_order(counts: np.ndarray) -> np.ndarray:
    """1, 2, ..., k for each group of ``counts`` rows, concatenated."""
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    return np.arange(int(counts.sum())) - starts + 1


def _nan_to_none(values: np.ndarray) -> list[Any]:
    return [None if v != v else v for v in values.tolist()]


def write_children(
    writer: _Inserter,
    rng: np.random.Generator,
    catalog: plan.Catalog,
    draw: plan.InterviewDraw,
    ability: np.ndarray,
    interview_ids: np.ndarray,
) -> Children:
    n = interview_ids.size
    lengths = np.array([q.size for q in catalog.template_questions])
    matrix = np.zeros((lengths.size, int(lengths.max())), dtype=np.int64)
    for t, qs in enumerate(catalog.template_questions):
        matrix[t, : qs.size] = qs
    counts = lengths[draw.template]
    owner = np.repeat(np.arange(n), counts)
    order = _group_order(counts)
    bank_q = matrix[draw.template[owner], order - 1]
    bank = catalog.bank
    nq = owner.size
    q_ids = np.arange(nq, dtype=np.int64) + _next_id(writer, InterviewQuestion)

    completed = draw.outcome[owner] == 0
    reached = rng.integers(0, counts)[owner]  # abandoned interviews answered this many
    answered = completed | ((draw.outcome[owner] == 3) & (order <= reached))
    duration = np.where(completed, (draw.completed - draw.started)[owner], 1200.0)
    submitted = draw.started[owner] + duration * order / counts[owner]
    scores = plan.response_scores(
        rng, ability[draw.candidate[owner]], bank.difficulty[bank_q], bank.discrimination[bank_q]
    )
    skipped = answered & (rng.random(nq) < 0.03)
    scores = np.where(answered & ~skipped, scores, np.nan)
    overridden = completed & ~np.isnan(scores) & (rng.random(nq) < 0.04)
    override = np.where(
        overridden, np.clip(np.round(scores + rng.normal(0, 1.5, nq), 1), 0, 10), np.nan
    )
    flagged = ~np.isnan(scores) & ~overridden & (rng.random(nq) < 0.05)
    effective = np.where(overridden, override, scores)
    scored = ~np.isnan(effective) & completed
    n_scored = np.bincount(owner[scored], minlength=n).astype(float)
    total = np.bincount(owner[scored], weights=effective[scored], minlength=n)
    done = (draw.outcome == 0) & (n_scored > 0)
    total_score = np.where(done, np.round(total, 2), np.nan)
    max_score = np.where(done, 10.0 * n_scored, np.nan)
    percentage = np.where(done, np.round(100 * total / np.maximum(max_score, 1), 1), np.nan)

    def flush() -> None:
        writer.insert(
            InterviewQuestion,
            {
                "id": q_ids,
                "interview_id": interview_ids[owner],
                "order": order,
                "question_text": [f"Synthetic question {q}" for q in bank_q.tolist()],
                "question_type": np.array([t.value for t in plan.TYPES], dtype=object)[
                    bank.question_type[bank_q]
                ],
                "difficulty": np.array([d.value for d in plan.LEVELS], dtype=object)[
                    bank.level[bank_q]
                ],
                "bank_id": [f"synthetic-{q:03d}" for q in bank_q.tolist()],
            },
        )
        rows = np.flatnonzero(answered)
        writer.insert(
            InterviewResponse,
            {
                "id": np.arange(rows.size, dtype=np.int64) + _next_id(writer, InterviewResponse),
                "interview_id": interview_ids[owner[rows]],
                "question_id": q_ids[rows],
                "status": np.where(skipped[rows], "skipped", "submitted").astype(object),
                "text_response": ["(synthetic answer)"] * rows.size,
                "submitted_at": timestamps_text(submitted[rows]),
                "score": _nan_to_none(scores[rows]),
                "is_evaluated": ~np.isnan(scores[rows]),
                "needs_review": flagged[rows],
                "evaluator_kind": ["synthetic"] * rows.size,
                "override_score": _nan_to_none(override[rows]),
                "override_reason": np.where(overridden[rows], "synthetic override", "").astype(
                    object
                ),
                "override_at": timestamps_text(
                    np.where(overridden[rows], draw.completed[owner[rows]] + 2 * plan.DAY, np.nan)
                ),
            },
        )
        coding = np.flatnonzero(answered & (bank.question_type[bank_q] == CODING))
        p_good = 1 / (
            1 + np.exp(-(ability[draw.candidate[owner[coding]]] - bank.difficulty[bank_q[coding]]))
        )
        _submissions(
            writer,
            rng,
            catalog,
            draw,
            interview_ids,
            owner[coding],
            q_ids[coding],
            submitted[coding],
            p_good,
        )
        _events(writer, rng, draw, interview_ids)
        commented = np.flatnonzero((draw.outcome == 0) & (rng.random(n) < 0.15))
        writer.insert(
            ReviewComment,
            {
                "id": np.arange(commented.size, dtype=np.int64) + _next_id(writer, ReviewComment),
                "interview_id": interview_ids[commented],
                "body": ["Synthetic review note."] * commented.size,
                "created_at": timestamps_text(draw.completed[commented] + 2 * plan.DAY),
            },
        )

    return Children(counts, total_score, max_score, percentage, flush)


def _submissions(
    writer: _Inserter,
    rng: np.random.Generator,
    catalog: plan.Catalog,
    draw: plan.InterviewDraw,
    interview_ids: np.ndarray,
    owner: np.ndarray,
    question_ids: np.ndarray,
    answered_at: np.ndarray,
    p_good: np.ndarray,
) -> None:
    runs = rng.poisson(1.5, owner.size)
    success = 0.25 + 0.5 * p_good
    tries = rng.geometric(success)
    accepted = tries <= 6
    submits = np.minimum(tries, 6)
    per = runs + submits
    item = np.repeat(np.arange(owner.size), per)
    step = _group_order(per)
    is_run = step <= runs[item]
    last = step == per[item]
    ok = np.where(is_run, rng.random(item.size) < success[item], last & accepted[item])
    total = np.where(is_run, 3, 8)
    verdict = np.where(
        ok, "accepted", rng.choice(FAILED_VERDICTS, item.size, p=[0.6, 0.2, 0.1, 0.1])
    )
    lang = np.array([lang.value for lang in plan.LANGUAGES], dtype=object)[
        catalog.job_language[draw.job[owner[item]]]
    ]
    writer.insert(
        CodeSubmission,
        {
            "id": np.arange(item.size, dtype=np.int64) + _next_id(writer, CodeSubmission),
            "interview_id": interview_ids[owner[item]],
            "question_id": question_ids[item],
            "kind": np.where(is_run, "run", "submit").astype(object),
            "language": lang,
            "code": ["# synthetic"] * item.size,
            "submitted_at": timestamps_text(answered_at[item] - 60.0 * (per[item] - step)),
            "verdict": verdict.astype(object),
            "tests_passed": np.where(ok, total, rng.integers(0, total)),
            "tests_total": total,
        },
    )


def _events(
    writer: _Inserter, rng: np.random.Generator, draw: plan.InterviewDraw, ids: np.ndarray
) -> None:
    started = np.flatnonzero(~np.isnan(draw.started))
    counts = plan.event_counts(rng, started.size)  # (started, kinds)
    kinds = list(plan.EVENT_RATES)
    owner = np.repeat(np.repeat(started, len(kinds)), counts.ravel())
    kind_idx = np.repeat(np.tile(np.arange(len(kinds)), started.size), counts.ravel())
    span = np.where(np.isnan(draw.completed), 1200.0, draw.completed - draw.started)[owner]
    at = draw.started[owner] + rng.random(owner.size) * span
    writer.insert(
        ProctorEvent,
        {
            "id": np.arange(owner.size, dtype=np.int64) + _next_id(writer, ProctorEvent),
            "interview_id": ids[owner],
            "kind": np.array([k.value for k in kinds], dtype=object)[kind_idx],
            "severity": np.array([plan.EVENT_SEVERITY[k].value for k in kinds], dtype=object)[
                kind_idx
            ],
            "started_at": timestamps_text(at),
            "ended_at": timestamps_text(at + rng.uniform(2, 30, owner.size)),
            "peak_confidence": np.round(rng.uniform(0.5, 0.99, owner.size), 3),
            "created_at": timestamps_text(at),
        },
    )
