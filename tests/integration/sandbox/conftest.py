"""Fixtures for sandbox integration tests: the real bubblewrap sandbox (fails in CI without it)."""

from __future__ import annotations

import pytest

from core.coding.sandbox.bwrap import BwrapSandbox, bwrap_problem
from tests.support.shared import require_or_skip


@pytest.fixture(scope="session")
def sandbox() -> BwrapSandbox:
    problem = bwrap_problem()
    require_or_skip(problem is None, f"bubblewrap unavailable: {problem}")
    return BwrapSandbox()
