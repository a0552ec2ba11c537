"""CSV files people download and open in a spreadsheet: no cell may run as a formula.

Spreadsheets (Excel, LibreOffice, Google Sheets) treat a cell that starts with ``=``, ``+``,
``-`` or ``@`` — or with a tab or carriage return before one — as a formula, so a template
title ``=HYPERLINK("http://…")`` would become a live link or worse (CSV injection). Every
such text cell, and header, is prefixed with a single quote, which spreadsheets show as text.
Numbers are left alone (a negative score stays a number). Every CSV download of the product
goes through :func:`csv_text`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: Any) -> Any:
    """``value`` with a leading ``'`` when it is text a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(frame: pd.DataFrame) -> str:
    """The frame as CSV (no index), every text cell and header neutralised."""
    safe = frame.map(neutralise_cell) if not frame.empty else frame.copy()
    safe.columns = [neutralise_cell(str(c)) for c in frame.columns]
    return safe.to_csv(index=False)
