"""``python -m core synth``: a real subprocess on SQLite, the generator on both backends."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.cli.synth.generate import SynthError, generate
from core.db.engine import Database
from core.db.models import (
    Candidate,
    Interview,
    InterviewQuestion,
    InterviewResponse,
    InterviewTemplate,
    ProctorEvent,
)
from tests.support.analytics_dataset import NOW

REPO = Path(__file__).resolve().parents[3]


def _run(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "INTERVISTA_DATA_DIR": str(tmp_path / "data"),
        "INTERVISTA_DATABASE_URL": f"sqlite:///{tmp_path / 'data' / 'app.db'}",
        "INTERVISTA_SECRETS_FILE": str(tmp_path / "none.toml"),
    }
    return subprocess.run(
        [sys.executable, "-m", "core", "synth", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_synth_command_fills_the_database(tmp_path: Path) -> None:
    result = _run(["--interviews", "60", "--seed", "5"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "interviews: 60 rows" in result.stdout
    db = Database(f"sqlite:///{tmp_path / 'data' / 'app.db'}")
    try:
        with db.read() as s:
            assert s.scalar(select(func.count(Interview.id))) == 60
            assert s.scalar(select(func.count(Candidate.id))) == 20
            # every answer belongs to a question of the same interview
            mismatched = s.scalar(
                select(func.count(InterviewResponse.id))
                .join(InterviewQuestion, InterviewQuestion.id == InterviewResponse.question_id)
                .where(InterviewQuestion.interview_id != InterviewResponse.interview_id)
            )
            assert mismatched == 0
            used = s.scalar(select(func.sum(InterviewTemplate.times_used)))
            assert used == 60
    finally:
        db.dispose()


def test_synth_help_documents_the_distributions(tmp_path: Path) -> None:
    result = _run(["--help"], tmp_path)
    assert result.returncode == 0
    assert "Beta(1 + 8p" in result.stdout and "Poisson" in result.stdout and "72%" in result.stdout


@pytest.mark.parametrize("value", ["0", "-3", "many", "9999999999"])
def test_bad_interview_count_is_refused_and_writes_nothing(tmp_path: Path, value: str) -> None:
    result = _run(["--interviews", value], tmp_path)
    assert result.returncode == 2
    assert "--interviews" in result.stderr
    assert not (tmp_path / "data" / "app.db").exists()


@pytest.mark.postgres
def test_generator_on_both_backends_keeps_ids_usable(any_db: Database) -> None:
    report = generate(any_db, 30, seed=11, now=NOW)
    again = generate(any_db, 30, seed=12, now=NOW)  # appends; ids continue
    assert report.rows["interviews"] == again.rows["interviews"] == 30
    with any_db.write() as s:  # sequences moved past the explicit ids (PostgreSQL)
        s.add(Candidate(full_name="After", email="after@example.com"))
    with any_db.read() as s:
        assert s.scalar(select(func.count(Interview.id))) == 60
        events = s.scalar(select(func.count(ProctorEvent.id)))
        assert events == report.rows["proctor_events"] + again.rows["proctor_events"]
        completed = s.scalars(select(Interview).where(Interview.status == "completed")).first()
        assert completed is not None and completed.completed_at is not None
        assert completed.completed_at.tzinfo is not None


def test_generator_refuses_a_bad_count(db: Database) -> None:
    with pytest.raises(SynthError, match="between 1 and"):
        generate(db, 0, seed=1, now=NOW)
