"""The interview report as a PDF (reportlab): header, scores, questions, findings, warnings."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    Image,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import Flowable

from core.proctor.warning_count import warnings_only
from core.review.bundle import ReviewBundle
from core.review.erasure import safe_path

MAX_THUMBNAILS = 4


def _p(text: str, style: str = "BodyText") -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), getSampleStyleSheet()[style])


def _fmt(score: float | None) -> str:
    return "—" if score is None else f"{score:.1f}"


def _score_chart(bundle: ReviewBundle) -> Drawing | None:
    values = [
        q.override_score if q.override_score is not None else q.score
        for q in bundle.interview.questions
    ]
    if not any(v is not None for v in values):
        return None
    drawing = Drawing(160 * mm, 55 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 10 * mm, 8 * mm, 140 * mm, 40 * mm
    chart.data = [[v or 0 for v in values]]
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 10, 2
    chart.categoryAxis.categoryNames = [f"Q{q.order}" for q in bundle.interview.questions]
    chart.bars[0].fillColor = colors.HexColor("#2F5DA8")
    drawing.add(chart)
    return drawing


def _table(rows: Sequence[Sequence[object]], widths: list[float]) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8ECF4")),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONTSIZE", (0, 0), (-1, -1), 8),
            ]
        )
    )
    return table


def build_pdf(bundle: ReviewBundle, *, data_dir: Path, zone: ZoneInfo) -> bytes:
    """Render the report and return the PDF bytes."""
    s = bundle.interview.summary
    story: list[Flowable] = [
        _p(f"Interview report — {s.candidate_name}", "Title"),
        _p(f"{s.title} · {s.job_title} · {s.company_name}"),
        _p(
            f"Status: {s.status.value} · Type: {s.interview_type.value} · "
            f"Difficulty: {s.difficulty.value}"
        ),
    ]
    if s.completed_at:
        story.append(
            _p(f"Completed: {s.completed_at.astimezone(zone):%d %b %Y %H:%M} ({zone.key})")
        )
    total, maximum = bundle.interview.total_score, bundle.interview.max_score
    score_line = f"Score: {_fmt(total)} / {_fmt(maximum)}"
    if s.percentage is not None:
        score_line += f" ({s.percentage:.0f}%)"
    if bundle.evaluation:
        score_line += f" · Overall {bundle.evaluation.overall_score:.1f}/10"
    story += [Spacer(1, 4 * mm), _p(score_line, "Heading2")]
    if bundle.decision:
        story.append(_p(f"Decision: {bundle.decision.value} by {bundle.decision_by}"))
    chart = _score_chart(bundle)
    if chart is not None:
        story.append(chart)
    rows: list[list[object]] = [["#", "Question", "AI score", "Human score", "Feedback"]]
    for q in bundle.interview.questions:
        rows.append(
            [
                f"Q{q.order}",
                _p(q.text[:400]),
                _fmt(q.score),
                _fmt(q.override_score),
                _p(
                    q.feedback[:500]
                    + (
                        f"\nOverride reason: {q.override_reason[:300] or '(none recorded)'}"
                        if q.override_score is not None
                        else ""
                    )
                ),
            ]
        )
    story += [
        _p("Questions", "Heading2"),
        _table(rows, [10 * mm, 70 * mm, 18 * mm, 20 * mm, 62 * mm]),
    ]
    detail = bundle.interview
    for title, items in (
        ("Strengths", detail.strengths),
        ("Weaknesses", detail.weaknesses),
        ("Recommendations", detail.recommendations),
    ):
        if items:
            story += [_p(title, "Heading2"), *[_p(f"- {item}") for item in items]]
    counts = Counter(w.kind.value.replace("_", " ") for w in warnings_only(bundle.warnings))
    story.append(_p(f"Proctoring warnings: {sum(counts.values())}", "Heading2"))
    if counts:
        story.append(
            _table(
                [["Kind", "Count"], *[[k, str(n)] for k, n in counts.most_common()]],
                [60 * mm, 20 * mm],
            )
        )
        thumbs = [w for w in bundle.warnings if w.thumbnail_path][:MAX_THUMBNAILS]
        images = []
        for w in thumbs:
            path = safe_path(data_dir, w.thumbnail_path or "")
            if path is not None and path.is_file():
                images.append(Image(str(path), width=38 * mm, height=28 * mm, kind="proportional"))
        if images:
            story += [Spacer(1, 3 * mm), Table([images])]
    else:
        story.append(_p("No warnings were recorded."))
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=f"Interview report — {s.candidate_name}",
        leftMargin=15 * mm,
        rightMargin=15 * mm,
    ).build(story)
    return buffer.getvalue()
