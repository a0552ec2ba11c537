"""Jobs on real databases: create, update, (de)activate, audit."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.db.engine import Database
from core.db.models import Job
from core.domain import CodingLanguage
from core.recruiting.catalog import list_jobs
from core.recruiting.jobs import JobError, JobInput, create_job, get_job, set_job_active, update_job
from core.staff.audit import recent_audit


def test_create_update_deactivate(any_db: Database) -> None:
    job = create_job(
        any_db,
        JobInput(
            title=" Data Engineer ",
            company="Acme",
            description="Pipelines.",
            domain="retail",
            coding_language=CodingLanguage.SQL,
            required_skills=("SQL", "sql", "Airflow"),
        ),
        actor_id=None,
    )
    assert (job.title, job.coding_language, job.required_skills, job.is_active) == (
        "Data Engineer",
        CodingLanguage.SQL,
        ("SQL", "Airflow"),
        True,
    )
    assert get_job(any_db, job.id) == job

    updated = update_job(
        any_db, job.id, JobInput(title="Senior Data Engineer", company="Acme"), actor_id=None
    )
    assert (updated.title, updated.required_skills, updated.coding_language) == (
        "Senior Data Engineer",
        (),
        CodingLanguage.PYTHON,
    )

    hidden = set_job_active(any_db, job.id, False, actor_id=None)
    assert hidden.is_active is False
    assert job.id not in [j.id for j in list_jobs(any_db, include_inactive=False)]
    assert set_job_active(any_db, job.id, True, actor_id=None).is_active is True
    actions = [e.action for e in recent_audit(any_db, limit=4)]
    assert actions == ["job.activate", "job.deactivate", "job.update", "job.create"]


def test_invalid_or_missing_job_changes_nothing(db: Database) -> None:
    with pytest.raises(JobError, match="A job title is required"):
        create_job(db, JobInput(title=" "), actor_id=None)
    with db.read() as s:
        assert s.scalar(select(func.count(Job.id))) == 0
    job = create_job(db, JobInput(title="QA"), actor_id=None)
    with pytest.raises(JobError, match="longer than 200"):
        update_job(db, job.id, JobInput(title="t" * 300), actor_id=None)
    assert get_job(db, job.id) == job
    for call in (
        lambda: update_job(db, 999, JobInput(title="x"), actor_id=None),
        lambda: set_job_active(db, 999, False, actor_id=None),
    ):
        with pytest.raises(JobError, match="That job no longer exists"):
            call()
    assert get_job(db, 999) is None
