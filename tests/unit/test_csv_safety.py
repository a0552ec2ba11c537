"""CSV downloads hand no formula to a spreadsheet (CSV injection), and keep every value."""

from __future__ import annotations

import csv
import io
from typing import Any

import pandas as pd
import pytest

from core.analytics.csv_export import csv_text, neutralise_cell


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ('=HYPERLINK("http://198.51.100.7")', '\'=HYPERLINK("http://198.51.100.7")'),
        ("=1+1", "'=1+1"),
        ("+1 555 0100", "'+1 555 0100"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=cmd", "'\t=cmd"),
        ("\r=cmd", "'\r=cmd"),
        ("Backend engineer", "Backend engineer"),
        ("a=b", "a=b"),  # only the first character counts
        ("", ""),
        (-3.5, -3.5),  # numbers stay numbers
        (7, 7),
        (None, None),
    ],
)
def test_neutralise_cell(cell: Any, written: Any) -> None:
    assert neutralise_cell(cell) == written


def _read(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_csv_text_neutralises_text_cells_and_headers_only() -> None:
    frame = pd.DataFrame(
        {
            "title": ['=HYPERLINK("http://198.51.100.7","x")', "Plain, with comma", "-", "@x"],
            "=header": [1, 2, 3, 4],
            "score": [-1.5, 0.0, 2.5, None],
        }
    )
    rows = _read(csv_text(frame))
    assert rows[0] == ["title", "'=header", "score"]
    assert [r[0] for r in rows[1:]] == [
        '\'=HYPERLINK("http://198.51.100.7","x")',
        "Plain, with comma",
        "'-",
        "'@x",
    ]
    assert [r[2] for r in rows[1:]] == ["-1.5", "0.0", "2.5", ""]  # numbers untouched


def test_csv_text_of_an_empty_frame_keeps_the_header() -> None:
    assert _read(csv_text(pd.DataFrame(columns=["=a", "b"]))) == [["'=a", "b"]]


def test_the_analytics_download_uses_it() -> None:
    """The dashboard's only CSV download goes through csv_text (no bare to_csv in the UI)."""
    from pathlib import Path

    from tests.support.shared import REPO_ROOT

    sources = [*Path(REPO_ROOT, "core", "ui").glob("*.py"), *Path(REPO_ROOT, "pages").glob("*.py")]
    bare = [p.name for p in sources if ".to_csv(" in p.read_text()]
    assert bare == [], f"CSV written without csv_text in {bare}"
    assert "csv_text(" in (REPO_ROOT / "core" / "ui" / "analytics_view.py").read_text()
