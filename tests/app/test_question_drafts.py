"""The recruiter generates a 5-question Java interview from a job and a resume (offline: our
bank, ranked by closeness to the job and the resume), edits one question, saves it as a
template; the candidate then sees those questions (AppTest through the real pages)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from core.db.engine import Database
from core.db.models import Candidate, InterviewTemplate, Job
from core.domain import CodingLanguage, Role
from core.recruiting.template_admin import use_template
from core.recruiting.templates import InterviewOptions
from tests.support.apptest import REPO, sign_in_as, texts
from tests.support.factories import issue_key, make_user

RESUME = (
    "Backend engineer, 6 years. Built Spring Boot services in Java 17 for payments; "
    "tuned PostgreSQL queries and indexes; wrote JUnit tests and REST APIs."
)
EDITED = "Walk us through a Spring Boot service you built: how did you structure it?"


def _job_and_candidate(db: Database) -> tuple[int, int]:
    with db.write() as s:
        job = Job(
            title="Java Backend Developer",
            company="Draftco",
            description="Build and run payment services on the JVM.",
            coding_language=CodingLanguage.JAVA,
            required_skills=["Java", "Spring", "SQL"],
        )
        person = Candidate(full_name="Grace Draft", email="grace.draft@example.com")
        person.resume_text = RESUME
        s.add_all([job, person])
        s.flush()
        return job.id, person.id


def _choose(at: AppTest, form: str, label: str, shown: str) -> None:
    box = next(b for b in at.selectbox if b.label == label and b.proto.form_id == form)
    box.select_index(next(i for i, o in enumerate(box.options) if shown in o))


def _run_until(at: AppTest, text: str, seconds: float = 120) -> AppTest:
    """The draft is written on a worker thread; the page shows it once it is there."""
    deadline = time.monotonic() + seconds
    while text not in texts(at) and not any(t.label == text for t in at.text_input):
        assert time.monotonic() < deadline, texts(at)
        time.sleep(0.3)
        at.run()
    return at


def test_generate_edit_save_and_the_candidate_sees_them(
    app_env: Database, open_app: Callable[..., AppTest]
) -> None:
    recruiter = make_user(app_env, Role.RECRUITER)
    job_id, candidate_id = _job_and_candidate(app_env)
    at = AppTest.from_file(str(REPO / "pages/templates.py"), default_timeout=60)
    sign_in_as(at, recruiter.id)
    at.run()
    _choose(at, "draft_request", "Job", "Java Backend Developer")
    _choose(
        at,
        "draft_request",
        "Candidate (optional: questions probe what their resume claims)",
        "Grace Draft",
    )
    next(n for n in at.number_input if n.label == "Questions").set_value(5)
    next(b for b in at.button if b.label == "Generate questions").click()
    at.run()
    at = _run_until(at, "Template title")
    content = texts(at)
    assert "Chosen from our question bank" in content and "resume" in content

    questions = [t for t in at.text_area if t.label.startswith("Question ")]
    assert len(questions) == 5
    drafted = [q.value for q in questions]
    assert any(v.startswith("Your resume mentions") for v in drafted), drafted
    assert all(t.value for t in at.text_area if t.label.startswith("Expected answer"))
    questions[0].input(EDITED)
    next(b for b in at.button if b.label == "Save as template").click()
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "Saved the template" in texts(at)

    with app_env.read() as s:
        template = s.scalars(
            select(InterviewTemplate).order_by(InterviewTemplate.id.desc())
        ).first()
        assert template is not None
        stored = [q["question_text"] for q in template.questions]
        assert all(q["evaluation_criteria"] and q["expected_answer"] for q in template.questions)
    assert stored == [EDITED, *drafted[1:]]

    interview_id = use_template(
        app_env,
        template.id,
        candidate_id,
        job_id,
        InterviewOptions(scheduled_at=datetime.now(UTC) + timedelta(seconds=5), enable_video=False),
    )
    candidate = open_app(key=issue_key(app_env, interview_id))
    next(b for b in candidate.button if b.label == "Start the interview").click()
    candidate.run()
    assert "Question 1 of 5" in texts(candidate)
    assert EDITED in texts(candidate)
