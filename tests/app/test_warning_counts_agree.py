"""One warning count: Review, the candidate's completion page and Analytics agree on the same
interview (issue 16 h). Definition: core.proctor.warning_count."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from core.config import get_settings
from core.db.engine import Database
from core.db.models import Interview, ProctorEvent
from core.domain import ProctorEventKind, Role, Severity
from core.proctor.warning_count import is_warning
from tests.support.apptest import REPO, sign_in_as, texts
from tests.support.factories import make_full_interview, make_user


def _completion_page() -> None:  # the candidate's page after the interview (AppTest script)
    import streamlit as st

    from core.ui.candidate_done import completion
    from core.ui.resources import app_database, app_settings

    completion(app_database(), app_settings(), st.session_state["interview_id"], True)


def _interview_with_mixed_events(db: Database) -> tuple[int, int]:
    """make_full_interview's 3 warnings, plus a camera lost warning and two info events."""
    iid = make_full_interview(db, get_settings().data_dir)
    with db.write() as s:
        started = s.get(Interview, iid).started_at  # type: ignore[union-attr]
        assert started is not None
        for n, (kind, severity) in enumerate(
            [
                (ProctorEventKind.CAMERA_LOST, Severity.WARNING),
                (ProctorEventKind.COULD_NOT_TELL, Severity.INFO),
                (ProctorEventKind.COULD_NOT_TELL, Severity.INFO),
            ]
        ):
            at = started + timedelta(minutes=10 + n)
            s.add(
                ProctorEvent(
                    interview_id=iid,
                    kind=kind,
                    severity=severity,
                    started_at=at,
                    ended_at=at + timedelta(seconds=5),
                )
            )
    with db.read() as s:
        events = s.execute(
            select(ProctorEvent.kind, ProctorEvent.severity).where(ProctorEvent.interview_id == iid)
        ).all()
    assert len(events) == 6
    return iid, sum(is_warning(kind, severity) for kind, severity in events)


def test_review_candidate_page_and_analytics_count_the_same_warnings(
    open_app: Callable[..., AppTest], app_env: Database
) -> None:
    iid, expected = _interview_with_mixed_events(app_env)
    assert expected == 4  # 2 phone, 1 multiple people, 1 camera lost; could not tell is info

    review = AppTest.from_file(str(REPO / "pages/review.py"), default_timeout=30)
    sign_in_as(review, make_user(app_env, Role.HIRING_MANAGER).id)
    review.session_state["review_interview_id"] = iid
    review.run()
    assert not review.exception
    on_review = int(next(m.value for m in review.metric if m.label == "Warnings"))

    candidate = AppTest.from_function(_completion_page, default_timeout=30)
    candidate.session_state["interview_id"] = iid
    candidate.run()
    assert not candidate.exception, candidate.exception
    shown = texts(candidate)
    per_kind = [int(n) for n in re.findall(r": (\d+) time\(s\)", shown)]
    assert f"Warnings: {expected}" in shown, shown
    on_candidate_page = sum(per_kind)

    analytics = AppTest.from_file(str(REPO / "pages/analytics.py"), default_timeout=60)
    sign_in_as(analytics, make_user(app_env, Role.RECRUITER).id)
    analytics.run()
    assert not analytics.exception
    [flagged] = [
        d.value for d in analytics.dataframe if {"interview_id", "warnings"} <= set(d.value.columns)
    ]
    row = flagged[flagged["interview_id"] == iid]
    on_analytics = int(row["warnings"].iloc[0])

    assert (on_review, on_candidate_page, on_analytics) == (expected, expected, expected)
