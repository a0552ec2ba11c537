"""Text shown in pages: user text in markdown is inert."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from core.ui.format import local_time, md_escape


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("[click](http://evil)", r"\[click\]\(http\:\/\/evil\)".replace(r"\/", "/")),
        ("<b>bold</b>", r"\<b\>bold\</b\>"),
        ("**x**", r"\*\*x\*\*"),
        ("plain words", "plain words"),
    ],
)
def test_md_escape(raw: str, escaped: str) -> None:
    assert md_escape(raw) == escaped


def test_local_time_names_the_zone() -> None:
    t = datetime(2026, 1, 5, 4, 30, tzinfo=UTC)
    assert local_time(t, ZoneInfo("Asia/Kolkata")) == "Mon 05 Jan 2026, 10:00 (Asia/Kolkata)"
    assert local_time(None, ZoneInfo("UTC")) == "—"
