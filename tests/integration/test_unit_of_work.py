"""One user action, one transaction: use cases joined in a unit of work commit together or
not at all, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.db.engine import Database
from core.db.uow import UnitOfWork, unit_of
from core.domain import InterviewStatus
from core.interview import flow
from tests.support.factories import make_interview

T0 = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)


def _start_and_draft(tx: Database | UnitOfWork, iid: int, token: str) -> None:
    flow.start(tx, iid, token=token, now=T0)
    q = flow.load(tx, iid).questions[0]  # reads its own uncommitted start
    flow.save_draft(tx, iid, q.id, text="draft", code="", token=token, now=T0)


def test_joined_use_cases_commit_once_at_the_end(any_db: Database) -> None:
    iid = make_interview(any_db, scheduled_at=T0)
    with any_db.unit_of_work() as uow:
        _start_and_draft(uow, iid, "tab")
        assert flow.load(any_db, iid).status is InterviewStatus.SCHEDULED  # not yet committed
    view = flow.load(any_db, iid)
    assert view.status is InterviewStatus.IN_PROGRESS
    assert view.questions[0].draft_text == "draft"


def test_a_failure_rolls_back_every_joined_use_case(any_db: Database) -> None:
    iid = make_interview(any_db, scheduled_at=T0)
    with pytest.raises(RuntimeError), any_db.unit_of_work() as uow:
        _start_and_draft(uow, iid, "tab")
        raise RuntimeError("the next step failed")
    view = flow.load(any_db, iid)
    assert view.status is InterviewStatus.SCHEDULED and view.questions[0].draft_text == ""


def test_unit_of_joins_an_open_unit_and_opens_one_for_a_database(any_db: Database) -> None:
    iid = make_interview(any_db, scheduled_at=T0)
    with any_db.unit_of_work() as outer:
        with unit_of(outer) as inner:
            assert inner is outer
            flow.start(inner, iid, token="tab", now=T0)
        assert flow.load(any_db, iid).status is InterviewStatus.SCHEDULED  # outer commits
    assert flow.load(any_db, iid).status is InterviewStatus.IN_PROGRESS
    with unit_of(any_db) as own:
        assert isinstance(own, UnitOfWork) and own.db is any_db


def test_a_closed_unit_of_work_cannot_be_used(any_db: Database) -> None:
    uow = any_db.unit_of_work()
    with pytest.raises(RuntimeError, match="not open"):
        _ = uow.session
