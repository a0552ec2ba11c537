"""Schedule: a slot that has started is never offered for booking or moving (issue 16 b)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from streamlit.testing.v1 import AppTest

from core.config import get_settings
from core.db.engine import Database
from core.domain import Role
from core.scheduling.booking import book
from tests.support.apptest import REPO, sign_in_as, texts
from tests.support.factories import make_interview, make_user
from tests.support.slots import make_future_slot, make_running_slot


def test_the_book_and_move_lists_offer_only_future_slots_with_room(
    open_app: Callable[..., AppTest], app_env: Database
) -> None:
    make_running_slot(app_env, capacity=7)
    make_future_slot(app_env, capacity=5)
    booked = book(
        app_env,
        get_settings(),
        interview_id=make_interview(app_env),
        slot_id=make_future_slot(app_env, capacity=6, days=3),
        now=datetime.now(UTC),
    )
    assert booked.link
    make_interview(app_env)  # something left to book
    at = AppTest.from_file(str(REPO / "pages/schedule.py"), default_timeout=30)
    sign_in_as(at, make_user(app_env, Role.RECRUITER).id)
    at.run()
    assert not at.exception
    offered = next(s for s in at.selectbox if s.label == "Slot").options
    moves = next(s for s in at.selectbox if s.label == "Move to slot").options
    assert any("(5 of 5 free)" in o for o in offered), offered
    assert not any("of 7 free" in o for o in offered), offered  # started: not bookable
    assert not any("of 7 free" in o for o in moves), moves
    assert any("(5 of 5 free)" in o for o in moves), moves
    [table] = [d.value for d in at.dataframe if "Capacity" in d.value.columns]
    assert 7 in table["Capacity"].tolist(), texts(at)  # still listed under Slots, running
