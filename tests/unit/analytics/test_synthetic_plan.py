"""The synthetic distributions are what ``python -m core synth --help`` says."""

from __future__ import annotations

import numpy as np
import pytest

from core.cli.synth import plan
from core.cli.synth.bulk import timestamps_text

NOW = 1_780_000_000.0


def test_outcome_shares_of_past_interviews() -> None:
    rng = np.random.default_rng(1)
    draw = plan.draw_interviews(rng, plan.make_catalog(rng), 60_000, 20_000, NOW)
    past = draw.outcome[draw.outcome >= 0]
    shares = np.bincount(past, minlength=4) / past.size
    # completed ones whose end would be in the future count as abandoned: a hair fewer
    assert shares == pytest.approx(plan.OUTCOME_SHARES, abs=0.01)
    assert (draw.outcome == -1).mean() == pytest.approx(14 / 379, abs=0.005)
    done = ~np.isnan(draw.completed)
    assert np.median(draw.completed[done] - draw.started[done]) == pytest.approx(35 * 60, rel=0.03)
    assert np.all(np.isnan(draw.started[(draw.outcome == 1) | (draw.outcome == 2)]))


def test_scores_are_tenths_between_0_and_10_and_follow_ability() -> None:
    rng = np.random.default_rng(2)
    strong = plan.response_scores(rng, np.full(5000, 2.0), np.zeros(5000), np.full(5000, 1.5))
    weak = plan.response_scores(rng, np.full(5000, -2.0), np.zeros(5000), np.full(5000, 1.5))
    both = np.concatenate([strong, weak])
    assert both.min() >= 0 and both.max() <= 10
    assert np.allclose(both * 10, np.round(both * 10))
    assert strong.mean() > 7 > 3 > weak.mean()


def test_event_rates() -> None:
    counts = plan.event_counts(np.random.default_rng(3), 40_000)
    assert counts.shape == (40_000, len(plan.EVENT_RATES))
    assert counts.sum(axis=1).mean() == pytest.approx(sum(plan.EVENT_RATES.values()), rel=0.03)
    assert (counts.sum(axis=1) == 0).mean() > 0.001  # overdispersed: some have none


def test_timestamps_text_matches_sqlalchemy_sqlite_format() -> None:
    text = timestamps_text(np.array([0.0, np.nan, 1_700_000_000.123456]))
    assert text.tolist() == ["1970-01-01 00:00:00.000000", None, "2023-11-14 22:13:20.123456"]
