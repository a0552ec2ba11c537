"""The review page on demo data and on a factory interview with every kind of record."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from core.config import get_settings
from core.db.engine import Database
from core.db.models import AuditLog, Interview, InterviewResponse
from core.domain import ResponseStatus, Role
from core.proctor.media_session import MediaSession
from tests.support.apptest import REPO, sign_in_as, texts
from tests.support.factories import issue_key, make_full_interview, make_interview, make_user


def _review(db: Database, role: Role = Role.HIRING_MANAGER, **state: object) -> AppTest:
    at = AppTest.from_file(str(REPO / "pages/review.py"), default_timeout=30)
    sign_in_as(at, make_user(db, role).id)
    for k, v in state.items():
        at.session_state[k] = v
    return at.run()


def _all_text(at: AppTest) -> str:
    parts = [texts(at)]
    parts += [e.label for e in at.expander]
    parts += [c.value for c in at.code]
    parts += [str(df.value.to_string()) for df in at.dataframe]
    return "\n".join(parts)


def test_demo_completed_interview(open_app: Callable[..., AppTest], app_env: Database) -> None:
    at = _review(app_env)
    assert not at.exception
    content = _all_text(at)
    assert "Maya Fernandes — Backend Engineer at StartupX" in content
    assert "80%" in content
    assert "Q2 · Technical · AI 9.0/10" in content
    assert "No proctoring warnings were recorded." in content
    with app_env.read() as s:
        assert "review.view" in set(s.scalars(select(AuditLog.action)))


def test_factory_interview_shows_every_record(
    open_app: Callable[..., AppTest], app_env: Database
) -> None:
    iid = make_full_interview(app_env, get_settings().data_dir)
    at = _review(app_env, review_interview_id=iid)
    content = _all_text(at)
    assert "Zoe Quinn" in content
    assert "Thanks, ready." in content  # transcript
    assert "+    return x * 2" in content  # code diff against the previous attempt
    assert "Q3 problem: Balanced brackets (easy)" in content  # the problem statement
    assert "Phone (2)" in content and "Multiple people (1)" in content
    assert "<script>alert(1)</script>" in content  # shown as text, never as HTML
    assert not any("<script>" in m.value for m in at.markdown)


def test_override_from_the_page(open_app: Callable[..., AppTest], app_env: Database) -> None:
    iid = make_full_interview(app_env, get_settings().data_dir)
    at = _review(app_env, review_interview_id=iid)
    at.number_input[0].set_value(9.5)
    next(t for t in at.text_area if t.label.startswith("Reason")).input("Engine missed it")
    next(b for b in at.button if b.label == "Save override").click().run()
    assert any("human score 9.5 saved beside AI 6.0/10" in s.value for s in at.success), texts(at)


def test_no_review_without_a_staff_role(
    open_app: Callable[..., AppTest], app_env: Database
) -> None:
    logged_out = AppTest.from_file(str(REPO / "pages/review.py"), default_timeout=30).run()
    assert "Please sign in" in texts(logged_out) and "Maya" not in _all_text(logged_out)
    key = issue_key(app_env, make_interview(app_env))
    candidate = open_app(key=key)
    assert "Review" not in [t.value for t in candidate.title]
    assert "Maya Fernandes" not in _all_text(candidate)


@pytest.mark.parametrize(
    ("role", "may_erase"),
    [(Role.HIRING_MANAGER, False), (Role.RECRUITER, True), (Role.ADMIN, True)],
)
def test_erase_panel_follows_the_permissions_table(
    open_app: Callable[..., AppTest], app_env: Database, role: Role, may_erase: bool
) -> None:
    at = _review(app_env, role)
    assert not at.exception
    assert ("Erase this interview" in [e.label for e in at.expander]) is may_erase
    assert ("Erase interview" in [b.label for b in at.button]) is may_erase
    assert "Download everything as JSON (data access request)" in [
        b.label for b in at.get("download_button")
    ]  # the rest of the Export tab shows for every reviewer


def test_recruiter_erases_an_interview_from_the_page(
    open_app: Callable[..., AppTest], app_env: Database
) -> None:
    iid = make_full_interview(app_env, get_settings().data_dir)
    at = _review(app_env, Role.RECRUITER, review_interview_id=iid)
    next(t for t in at.text_input if t.label == "Type ERASE to confirm").input("ERASE").run()
    next(b for b in at.button if b.label == "Erase interview").click().run()
    assert any("Erased;" in s.value for s in at.success), texts(at)
    with app_env.read() as s:
        assert s.get(Interview, iid) is None
        assert "erase.interview" in set(s.scalars(select(AuditLog.action)))


def test_a_skipped_question_says_so(open_app: Callable[..., AppTest], app_env: Database) -> None:
    iid = make_full_interview(app_env, get_settings().data_dir)
    with app_env.write() as s:
        response = s.scalars(
            select(InterviewResponse)
            .where(InterviewResponse.interview_id == iid)
            .order_by(InterviewResponse.id)
        ).first()
        assert response is not None
        response.status, response.answer, response.score = ResponseStatus.SKIPPED, "", None
    content = _all_text(_review(app_env, review_interview_id=iid))
    assert "Q1 · Technical · skipped by the candidate" in content
    assert "(skipped: the candidate moved on without answering)" in content


def test_a_link_opens_its_interview_whatever_its_status(
    open_app: Callable[..., AppTest], app_env: Database
) -> None:
    iid = make_interview(app_env)  # scheduled, not completed
    at = AppTest.from_file(str(REPO / "pages/review.py"), default_timeout=30)
    sign_in_as(at, make_user(app_env, Role.HIRING_MANAGER).id)
    at.query_params["interview"] = str(iid)
    at.run()
    assert not at.exception
    assert at.selectbox(key="review_choice").value == iid
    assert at.query_params["interview"] == str(iid)


def test_an_incident_shows_its_id_for_staff(
    open_app: Callable[..., AppTest], app_env: Database
) -> None:
    """A problem on our side during the interview: the candidate saw only its id; Review shows
    the id with the message, so staff can find it in the server log."""
    iid = make_full_interview(app_env, get_settings().data_dir)
    media = MediaSession(iid, db=app_env, away_seconds=30)
    ref = media.incident("recording seg-3.mp4 does not decode")
    assert media.store() == 1
    content = _all_text(_review(app_env, review_interview_id=iid))
    assert "System issue (1)" in content
    assert f"incident {ref}: recording seg-3.mp4 does not decode" in content
    assert "Not counted as a warning." in content
