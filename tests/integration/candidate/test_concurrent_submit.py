"""One submit wins: 20 threads submit the same answer at once, on SQLite and PostgreSQL.

The answer flow locks the interview row (PostgreSQL ``SELECT … FOR UPDATE``; SQLite's write
transactions ``BEGIN IMMEDIATE``): exactly one thread is told it submitted, the others that it
was already submitted, one answer is stored, and nobody gets a database error — with or
without a draft row there before (without one, every thread would insert it).
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from core.db.engine import Database
from core.db.models import InterviewResponse
from core.domain import ResponseStatus
from core.interview import flow
from tests.support.factories import make_interview

T0 = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
THREADS = 20


@pytest.mark.parametrize("draft_first", [False, True], ids=["no draft row", "a draft row"])
def test_twenty_concurrent_submits_store_one_answer(any_db: Database, draft_first: bool) -> None:
    iid = make_interview(any_db, scheduled_at=T0)
    token = flow.new_session_token()
    flow.start(any_db, iid, token=token, now=T0)
    question = flow.load(any_db, iid).questions[1]  # never seen: no response row yet
    if draft_first:
        flow.save_draft(any_db, iid, question.id, text="draft", code="", token=token, now=T0)
    barrier = threading.Barrier(THREADS)

    def submit(n: int) -> tuple[int, bool]:
        barrier.wait()
        return flow.submit(
            any_db,
            iid,
            question.id,
            text=f"answer {n}",
            code="",
            token=token,
            now=T0 + timedelta(seconds=1),
        )

    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(submit, range(THREADS)))  # re-raises any thread's error
    assert sum(first for _, first in results) == 1
    assert len({response_id for response_id, _ in results}) == 1
    with any_db.read() as s:
        rows = s.scalars(
            select(InterviewResponse).where(InterviewResponse.question_id == question.id)
        ).all()
        assert len(rows) == 1 and rows[0].status is ResponseStatus.SUBMITTED
        winner = next(n for n, (_, first) in enumerate(results) if first)
        assert rows[0].text_response == f"answer {winner}"
