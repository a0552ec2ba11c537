"""Fixtures for mail tests: a recording SMTP server on loopback (helpers: tests/support)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.smtp_server import RecordingHandler, smtp_server


@pytest.fixture
def smtp() -> Iterator[tuple[RecordingHandler, int]]:
    with smtp_server() as running:
        yield running
