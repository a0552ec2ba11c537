"""Fixtures for proctoring integration tests: an interview row and the shared models."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.db.engine import Database
from core.db.models import Candidate, Interview
from core.domain import Difficulty, InterviewType
from tests.support.shared import shared_path


def make_interview(db: Database, email: str = "cand@example.com") -> int:
    with db.write() as session:
        candidate = Candidate(full_name="Test Candidate", email=email)
        session.add(candidate)
        session.flush()
        interview = Interview(
            candidate_id=candidate.id,
            title="Proctoring test",
            interview_type=InterviewType.TECHNICAL,
            difficulty=Difficulty.EASY,
        )
        session.add(interview)
        session.flush()
        return interview.id


@pytest.fixture
def interview_id(db: Database) -> int:
    return make_interview(db)


@pytest.fixture(scope="session")
def onnx_640x480() -> Path:
    return shared_path("models", "yolo11n_480x640.onnx")


@pytest.fixture(scope="session")
def onnx_320() -> Path:
    return shared_path("models", "yolo11n_320.onnx")


@pytest.fixture(scope="session")
def torch_weights() -> Path:
    return shared_path("models", "yolo11n-rebuilt.pt")
