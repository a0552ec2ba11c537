"""Fixtures for proctoring integration tests: an interview row and the shared models."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.db.engine import Database
from tests.support.factories import make_proctor_interview
from tests.support.shared import shared_path


@pytest.fixture
def interview_id(db: Database) -> int:
    return make_proctor_interview(db)


@pytest.fixture(scope="session")
def onnx_640x480() -> Path:
    return shared_path("models", "yolo11n_480x640.onnx")


@pytest.fixture(scope="session")
def onnx_320() -> Path:
    return shared_path("models", "yolo11n_320.onnx")


@pytest.fixture(scope="session")
def torch_weights() -> Path:
    return shared_path("models", "yolo11n-rebuilt.pt")
