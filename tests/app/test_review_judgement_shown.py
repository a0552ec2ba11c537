"""Review: what a reviewer did shows at once and stays visible; the evaluator reads as fields
(issue 16 d, e, f)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from core.config import get_settings
from core.db.engine import Database
from core.db.models import Evaluation
from core.domain import Decision, Role
from core.review import judgement
from core.review.bundle import load_review
from tests.support.apptest import REPO, sign_in_as, texts
from tests.support.factories import make_full_interview, make_user

REASON = "Engine missed the <b>edge case</b> handling"


def _review(db: Database, interview_id: int, role: Role = Role.HIRING_MANAGER) -> AppTest:
    at = AppTest.from_file(str(REPO / "pages/review.py"), default_timeout=30)
    sign_in_as(at, make_user(db, role).id)
    at.session_state["review_interview_id"] = interview_id
    return at.run()


def _metric(at: AppTest, name: str) -> str:
    return next(str(m.value) for m in at.metric if m.label == name)


def test_the_override_reason_shows_beside_the_score_and_in_the_print_view(
    open_app: Callable[..., AppTest], app_env: Database
) -> None:
    iid = make_full_interview(app_env, get_settings().data_dir)
    bundle = load_review(app_env, iid)
    assert bundle is not None
    first = bundle.interview.questions[0]
    manager = make_user(app_env, Role.HIRING_MANAGER)
    judgement.override_score(
        app_env,
        response_id=first.response_id or 0,
        score=9.5,
        reason=REASON,
        actor_id=manager.id,
        now=datetime.now(UTC),
    )
    at = _review(app_env, iid)
    assert not at.exception
    expander = next(e for e in at.expander if e.label.startswith("Q1 ·"))
    assert "human 9.5/10" in expander.label
    assert REASON in [t.value for t in expander.text]  # inside the question, as plain text
    assert any(f"Reason: {REASON}" == t.value for t in at.text)  # and on the Judgement tab
    next(t for t in at.toggle if t.label == "Print view").set_value(True).run()
    report = "\n".join(c.value for c in at.code)
    assert f"Override reason: {REASON}" in report
    assert not any("<b>" in m.value for m in at.markdown)


def test_the_decision_shows_in_the_header_as_soon_as_it_is_recorded(
    open_app: Callable[..., AppTest], app_env: Database
) -> None:
    iid = make_full_interview(app_env, get_settings().data_dir)
    at = _review(app_env, iid)
    assert _metric(at, "Decision") == "—"
    next(r for r in at.radio if r.label == "Decision").set_value(Decision.ADVANCE).run()
    next(b for b in at.button if b.label == "Record decision").click().run()
    assert not at.exception
    assert _metric(at, "Decision") == "Advance", texts(at)  # this run, not a later one
    assert any("Decision recorded: Advance." in s.value for s in at.success)
    assert any(c.value.startswith("Advance by ") for c in at.caption)


def test_a_posted_comment_is_listed_at_once(
    open_app: Callable[..., AppTest], app_env: Database
) -> None:
    iid = make_full_interview(app_env, get_settings().data_dir)
    at = _review(app_env, iid)
    next(t for t in at.text_area if t.label == "Add a comment").input("Strong on recursion")
    next(b for b in at.button if b.label == "Post comment").click().run()
    assert "Strong on recursion" in [t.value for t in at.text]
    assert any("Comment added." in s.value for s in at.success)


def test_evaluated_by_reads_as_fields_never_a_raw_dict(
    open_app: Callable[..., AppTest], app_env: Database
) -> None:
    iid = make_full_interview(app_env, get_settings().data_dir)
    with app_env.write() as s:
        evaluation = s.scalars(select(Evaluation).where(Evaluation.interview_id == iid)).one()
        evaluation.evaluator_versions = {  # as core.interviewer.evaluation stores it
            "engines": {"offline": 2, "llm": 1},
            "questions": {
                f"Q{n}": {
                    "engine": "llm" if n == 3 else "offline",
                    "model": "gpt-4o-mini" if n == 3 else "all-MiniLM-L6-v2",
                    "prompt_version": "v3",
                    "rubric_hash": "9f2c",
                }
                for n in (1, 2, 3)
            },
        }
    at = _review(app_env, iid)
    assert not at.exception
    shown = texts(at)
    assert "Evaluated by (first evaluated" in shown
    assert not any("{" in c.value or "'engine'" in c.value for c in at.caption), shown
    [table] = [d.value for d in at.dataframe if "Engine" in d.value.columns]
    assert table.to_dict("records") == [
        {
            "Engine": "offline",
            "Model": "all-MiniLM-L6-v2",
            "Prompt version": "v3",
            "Questions": "Q1, Q2",
        },
        {"Engine": "llm", "Model": "gpt-4o-mini", "Prompt version": "v3", "Questions": "Q3"},
    ]
