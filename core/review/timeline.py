"""One interview on one clock: questions, answers, code runs and warnings (pure functions).

The figure draws no text on the bars (short bars close together made their labels overlap):
each bar says what it is in its hover text, and the legend names the lanes.
"""

from __future__ import annotations

import html
import textwrap
from dataclasses import dataclass
from datetime import datetime

import plotly.graph_objects as go

from core.review.bundle import ReviewBundle

LANES = ("Question", "Code", "Warning")
COLOURS = {"Question": "#2F5DA8", "Code": "#3C8D5A", "Warning": "#C0392B"}


@dataclass(frozen=True)
class TimelineItem:
    lane: str  # one of LANES
    label: str
    start_s: float  # seconds since the interview started
    end_s: float
    detail: str = ""  # more for the hover text (a human override and its reason)


def _offset(t: datetime | None, origin: datetime) -> float | None:
    return None if t is None else max(0.0, (t - origin).total_seconds())


def interview_origin(bundle: ReviewBundle) -> datetime | None:
    """Time zero: when the interview started (or its first recorded moment)."""
    if bundle.interview.started_at:
        return bundle.interview.started_at
    moments = [w.started_at for w in bundle.warnings] + [s.at for s in bundle.submissions]
    moments += [r.started_at for r in bundle.recordings]
    return min(moments) if moments else None


def build_timeline(bundle: ReviewBundle) -> list[TimelineItem]:
    origin = interview_origin(bundle)
    if origin is None:
        return []
    items: list[TimelineItem] = []
    for q in bundle.interview.questions:
        start, end = _offset(q.started_at, origin), _offset(q.submitted_at, origin)
        if start is not None:
            detail = ""
            if q.override_score is not None:
                ai = "—" if q.score is None else f"{q.score:.1f}"
                reason = q.override_reason or "(no reason recorded)"
                detail = f"human score {q.override_score:.1f} (AI {ai}); reason: {reason}"
            items.append(TimelineItem("Question", f"Q{q.order}", start, end or start + 1, detail))
    for s in bundle.submissions:
        t = _offset(s.at, origin) or 0.0
        verdict = f"{s.kind.value} {s.verdict or ''} {s.passed}/{s.total}".strip()
        items.append(TimelineItem("Code", verdict, t, t + 2))
    for w in bundle.warnings:
        start = _offset(w.started_at, origin) or 0.0
        end = _offset(w.ended_at, origin) or start + 1
        items.append(
            TimelineItem("Warning", w.kind.value.replace("_", " "), start, max(end, start + 1))
        )
    return sorted(items, key=lambda i: (i.start_s, LANES.index(i.lane)))


def video_offset(item_start_s: float, bundle: ReviewBundle, recording_index: int = 0) -> int:
    """Where in the recording an item happens, in whole seconds (never negative)."""
    origin = interview_origin(bundle)
    if origin is None or not bundle.recordings:
        return 0
    rec_start = _offset(bundle.recordings[recording_index].started_at, origin) or 0.0
    return max(0, int(item_start_s - rec_start))


def _clock(seconds: float) -> str:
    return f"{int(seconds // 60):02d}:{int(seconds % 60):02d}"


def hover_text(item: TimelineItem) -> str:
    """What a bar says on hover. Plotly reads a few HTML tags in hover text: every text from
    the interview is escaped, so it is shown as written."""
    lines = [f"{item.lane}: {item.label}", f"{_clock(item.start_s)}–{_clock(item.end_s)}"]
    if item.detail:
        lines += textwrap.wrap(item.detail, 60)
    return "<br>".join(html.escape(line) for line in lines)


def timeline_figure(items: list[TimelineItem]) -> go.Figure:
    fig = go.Figure()
    for lane in LANES:
        lane_items = [i for i in items if i.lane == lane]
        if not lane_items:
            continue
        fig.add_bar(
            name=lane,
            orientation="h",
            y=[lane] * len(lane_items),
            base=[i.start_s for i in lane_items],
            x=[i.end_s - i.start_s for i in lane_items],
            hovertext=[hover_text(i) for i in lane_items],
            hoverinfo="text",
            marker_color=COLOURS[lane],
            customdata=[i.start_s for i in lane_items],
            hovertemplate="%{hovertext}<extra></extra>",
        )
    fig.update_layout(
        barmode="overlay",
        height=280,
        margin={"l": 10, "r": 10, "t": 30, "b": 30},
        xaxis_title="seconds since the interview started",
        showlegend=True,
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        hoverlabel={"align": "left"},
    )
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(LANES)))
    return fig
