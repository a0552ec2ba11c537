"""Access to ``../shared`` (models, datasets, videos) for tests and benchmarks.

The folder is found through INTERVISTA_SHARED_DIR (``.ci/run`` sets it) or next to the repo.
Absent on a user's machine: tests that need it skip with a reason. Absent in CI (CI=true): they
fail, because CI must run them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def shared_dir() -> Path | None:
    configured = os.environ.get("INTERVISTA_SHARED_DIR")
    candidate = Path(configured) if configured else REPO_ROOT.parent / "shared"
    return candidate.resolve() if candidate.is_dir() else None


def shared_path(*parts: str) -> Path:
    """Return an absolute path inside shared/, or skip (fail in CI) if it is missing."""
    base = shared_dir()
    path = base.joinpath(*parts) if base else None
    if path is None or not path.exists():
        reason = f"shared data not found: {'/'.join(parts)} (set INTERVISTA_SHARED_DIR)"
        if in_ci():
            pytest.fail(reason)
        pytest.skip(reason)
    return path


def require_or_skip(condition: bool, reason: str) -> None:
    """Skip on a user's machine, fail in CI, when something the test needs is missing."""
    if condition:
        return
    if in_ci():
        pytest.fail(reason)
    pytest.skip(reason)
