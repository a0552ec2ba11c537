"""The review timeline draws no labels on its bars (they overlapped): hover text and a legend
say what each bar is, overrides with their reason included (issue 16 g, d)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from core.config import Settings
from core.db.engine import Database
from core.domain import Role
from core.review import judgement
from core.review.bundle import load_review
from core.review.export import export_json, text_report
from core.review.timeline import build_timeline, timeline_figure
from tests.support.factories import make_full_interview, make_user

REASON = "Edge cases <script>x</script> were handled"


def test_no_label_is_drawn_on_a_bar_and_every_bar_says_what_it_is_on_hover(
    db: Database, settings: Settings
) -> None:
    iid = make_full_interview(db, settings.data_dir)
    bundle = load_review(db, iid)
    assert bundle is not None
    judgement.override_score(
        db,
        response_id=bundle.interview.questions[1].response_id or 0,
        score=8.5,
        reason=REASON,
        actor_id=make_user(db, Role.HIRING_MANAGER).id,
        now=datetime.now(UTC),
    )
    bundle = load_review(db, iid)
    assert bundle is not None
    items = build_timeline(bundle)
    figure = timeline_figure(items)
    assert figure.layout.showlegend is True
    assert {trace.name for trace in figure.data} == {"Question", "Code", "Warning"}
    hover: list[str] = []
    for trace in figure.data:
        assert trace.text is None  # nothing written on the bars: nothing can overlap
        assert trace.hovertemplate == "%{hovertext}<extra></extra>"
        hover += list(trace.hovertext)
    assert len(hover) == len(items)
    for item, text in zip(
        sorted(items, key=lambda i: ("Question", "Code", "Warning").index(i.lane)),
        hover,
        strict=True,
    ):
        assert text.startswith(f"{item.lane}: {item.label}<br>")
    q2 = next(h for h in hover if h.startswith("Question: Q2<br>"))
    assert "human score 8.5 (AI 7.0)" in q2
    assert "&lt;script&gt;" in q2 and "<script>" not in q2  # escaped: plotly reads some HTML
    report = text_report(bundle)
    assert f"  Override reason: {REASON}" in report
    exported = json.loads(export_json(bundle, None))
    assert exported["interview"]["questions"][1]["override_reason"] == REASON
