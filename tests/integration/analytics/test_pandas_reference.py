"""The pandas baseline (bench) computes the same numbers as the DuckDB queries."""

from __future__ import annotations

import pandas as pd
import pytest

from bench import pandas_reference as reference
from core.analytics.dashboard import AnalyticsService
from core.analytics.filters import DashboardRequest
from core.cli.synth.generate import generate
from core.db.engine import Database
from tests.support.analytics import chart_data
from tests.support.analytics_dataset import NOW


def test_duckdb_and_pandas_agree_on_synthetic_data(db: Database) -> None:
    generate(db, 400, seed=4, now=NOW)
    svc = AnalyticsService(db.engine)
    try:
        request = DashboardRequest()
        dash = svc.dashboard(request, NOW)
        ref = reference.compute(
            svc.store.frames(), request.pass_threshold, NOW.replace(minute=0), request.questions
        )
    finally:
        svc.close()
    head = ref["headline"].iloc[0]
    h = dash.headline
    assert (h.interviews, h.completed, h.scored, h.overridden, h.no_shows) == (
        head["interviews"],
        head["completed"],
        head["scored"],
        head["overridden"],
        head["no_shows"],
    )
    assert h.mean_score == pytest.approx(head["mean_score"])
    assert h.pass_rate == pytest.approx(head["pass_rate"])
    assert h.median_minutes == pytest.approx(head["median_minutes"])
    assert chart_data(dash, "funnel")["interviews"].tolist() == ref["funnel"]["interviews"].tolist()
    duck_events = chart_data(dash, "events_by_kind").set_index(["kind", "severity"])["events"]
    pandas_events = (
        ref["events_by_kind"]
        .astype({"kind": str, "severity": str})
        .set_index(["kind", "severity"])["events"]
    )
    pd.testing.assert_series_equal(
        duck_events.sort_index(), pandas_events.sort_index(), check_dtype=False
    )
    duck_q = chart_data(dash, "questions").set_index("question")
    pandas_q = ref["questions"].set_index("question")
    assert duck_q["answers"].tolist() == pandas_q["answers"].tolist()
    assert duck_q["mean"].to_numpy() == pytest.approx(pandas_q["mean"].to_numpy())
    assert duck_q["flag"].tolist() == pandas_q["flag"].tolist()
    duck_submits = dict(
        zip(
            chart_data(dash, "submits_to_accept")["submits"],
            chart_data(dash, "submits_to_accept")["problems"],
            strict=True,
        )
    )
    pandas_submits = dict(
        zip(ref["submits_to_accept"].iloc[:, 0], ref["submits_to_accept"]["problems"], strict=True)
    )
    assert duck_submits == pandas_submits
