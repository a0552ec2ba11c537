"""The candidate's flow on a real database: drafts, idempotent submits, skips, server time,
a second tab taking over, completion revoking the link."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.db.engine import Database
from core.domain import InterviewStatus, ResponseStatus
from core.interview import flow
from core.scheduling.access import AccessStatus, JoinWindow, check_key
from tests.support.factories import issue_key, make_interview

T0 = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)


@pytest.fixture
def running(any_db: Database) -> tuple[Database, int, str]:
    iid = make_interview(any_db, scheduled_at=T0)
    token = flow.new_session_token()
    flow.start(any_db, iid, token=token, now=T0)
    return any_db, iid, token


def test_start_sets_status_time_and_first_question(running: tuple[Database, int, str]) -> None:
    db, iid, _ = running
    view = flow.load(db, iid)
    assert view.status is InterviewStatus.IN_PROGRESS and view.started_at == T0
    assert view.current is not None and view.current.order == 1
    assert view.deadline == T0 + timedelta(minutes=30)
    assert view.seconds_left(T0 + timedelta(minutes=10)) == 20 * 60


def test_draft_survives_and_double_submit_is_idempotent(running: tuple[Database, int, str]) -> None:
    db, iid, token = running
    q1 = flow.load(db, iid).questions[0]
    flow.save_draft(db, iid, q1.id, text="half an answer", code="", token=token, now=T0)
    assert flow.load(db, iid).questions[0].draft_text == "half an answer"  # e.g. after refresh
    first = flow.submit(
        db, iid, q1.id, text="final", code="", token=token, now=T0 + timedelta(seconds=1)
    )
    second = flow.submit(
        db, iid, q1.id, text="changed!", code="", token=token, now=T0 + timedelta(seconds=2)
    )
    assert first[1] is True and second == (first[0], False)
    view = flow.load(db, iid)
    assert view.questions[0].draft_text == "final" and view.current.order == 2


def test_skip_and_come_back(running: tuple[Database, int, str]) -> None:
    db, iid, token = running
    qs = flow.load(db, iid).questions
    flow.skip(db, iid, qs[0].id, token=token, now=T0)
    flow.submit(db, iid, qs[1].id, text="a2", code="", token=token, now=T0)
    flow.submit(db, iid, qs[2].id, text="a3", code="", token=token, now=T0)
    view = flow.load(db, iid)
    assert view.current is not None and view.current.order == 1  # wraps to the skipped one
    assert view.questions[0].status is ResponseStatus.SKIPPED
    flow.go_to(db, iid, 1, token=token, now=T0)
    assert flow.load(db, iid).questions[0].status is ResponseStatus.DRAFT


def test_second_tab_takes_over(running: tuple[Database, int, str]) -> None:
    db, iid, old = running
    new = flow.new_session_token()
    flow.start(db, iid, token=new, now=T0 + timedelta(minutes=1))
    assert not flow.owns_session(db, iid, old) and flow.owns_session(db, iid, new)
    q1 = flow.load(db, iid).questions[0]
    with pytest.raises(flow.FlowError, match="another tab"):
        flow.save_draft(db, iid, q1.id, text="x", code="", token=old, now=T0)
    assert flow.load(db, iid).started_at == T0  # taking over does not restart the clock


def test_time_is_kept_on_the_server(running: tuple[Database, int, str]) -> None:
    db, iid, token = running
    q1 = flow.load(db, iid).questions[0]
    with pytest.raises(flow.FlowError, match="Time is up"):
        flow.submit(
            db, iid, q1.id, text="late", code="", token=token, now=T0 + timedelta(minutes=30)
        )


def test_complete_is_idempotent_and_uses_up_the_key(any_db: Database) -> None:
    iid = make_interview(any_db, scheduled_at=T0)
    key = issue_key(any_db, iid)
    flow.start(any_db, iid, token="t", now=T0)
    assert flow.complete(any_db, iid, now=T0 + timedelta(minutes=5), reason="ended") is True
    assert flow.complete(any_db, iid, now=T0 + timedelta(minutes=6), reason="ended") is False
    view = flow.load(any_db, iid)
    assert view.status is InterviewStatus.COMPLETED
    decision = check_key(any_db, key, now=T0, address="x", window=JoinWindow(30, 600))
    assert decision.status is AccessStatus.COMPLETED


@pytest.mark.parametrize("text", ["x" * (flow.MAX_ANSWER_CHARS + 1)])
def test_huge_answers_are_refused_clearly(running: tuple[Database, int, str], text: str) -> None:
    db, iid, token = running
    q1 = flow.load(db, iid).questions[0]
    with pytest.raises(flow.FlowError, match="too long"):
        flow.submit(db, iid, q1.id, text=text, code="", token=token, now=T0)
    assert flow.load(db, iid).questions[0].status in (None, ResponseStatus.DRAFT)
