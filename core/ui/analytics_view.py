"""Rendering of the analytics dashboard: filter widgets, headline metrics, tabs of charts.

Runs on Streamlit's script thread. The computation lives in ``core.analytics``; this module
only turns widgets into a ``DashboardRequest`` and a ``Dashboard`` into elements.
"""

from __future__ import annotations

import logging
import time
from datetime import date
from typing import Any

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from core.analytics.csv_export import csv_text
from core.analytics.dashboard import SECTIONS, AnalyticsService, Chart, Dashboard, FilterOptions
from core.analytics.filters import AnalyticsFilters, AnalyticsInputError, DashboardRequest
from core.domain import Difficulty, InterviewType
from core.ui.format import label, md_escape, percent, plotly_text
from core.ui.resources import app, app_database

logger = logging.getLogger(__name__)

SECTION_NOTES = {
    "Scores": "Scores use the human override where a reviewer set one, else the evaluator's "
    "score. An interview's score is the mean of its scored answers, as a percentage; only "
    "completed interviews have one.",
    "Funnel": "Reviewed = completed and a decision, an overridden answer or a review comment. "
    "No-show = scheduled time passed, never started, not cancelled.",
    "Proctoring": "A warning is an event of severity warning or critical that is not a "
    "connection event; info events (could not tell, a short video drop) are shown by kind but "
    "are not warnings. Review and the candidate's page count the same way.",
    "Templates": "Completion rate = completed / interviews that were due (started, or "
    "scheduled in the past; cancelled left out). Counters are the template's stored values.",
    "Questions": "Discrimination is the item-rest correlation. Flags: fewer than 20 answers; "
    "too easy (mean ≥ 8.5/10); too hard (mean ≤ 3/10); not discriminating (< 0.2).",
    "Coding": "Pass rates count Submits (hidden tests); Runs (visible tests) only appear in "
    "the language mix.",
}
TABLE_CHARTS = {"most_flagged", "templates", "questions"}


def analytics_service() -> AnalyticsService:
    """The container's analytics service: one DuckDB copy per process and database."""
    return app().analytics


@st.cache_resource(show_spinner=False)
def _warm_up_started(database_url: str) -> bool:
    analytics_service().start_warm_up()
    return True


def warm_up_in_background() -> None:
    """Once per process: bring the analytics copy up to date on a background thread, so the
    first dashboard after a start does not wait for the full read (script thread). A failure
    is logged and never breaks the page that called it (the Analytics page shows its own)."""
    try:
        _warm_up_started(app_database().url)
    except Exception:
        logger.exception("analytics warm-up could not start")


PREPARE_WAIT_S = 1.0  # how long a page waits for the copy before saying it is being prepared
PREPARE_RECHECK_S = 2.0


def being_prepared() -> None:
    """The copy's first build (a full read) runs in the background: say so, look again in a
    moment (the page shows this while it waits; nothing else is blocked)."""
    st.info(
        "The analytics copy is being prepared (a first read of every interview). "
        "The dashboard appears here in a few seconds."
    )
    time.sleep(PREPARE_RECHECK_S)
    st.rerun()


def empty_state() -> None:
    st.info(
        "No interviews to analyse yet. Once interviews are scheduled and candidates take them, "
        "scores, the hiring funnel, proctoring warnings, templates, questions and coding "
        "results appear here."
    )


def _dates(options: FilterOptions) -> tuple[date | None, date | None]:
    if options.first_day is None or options.last_day is None:
        return None, None
    picked = st.date_input(
        "Interview dates",
        value=(options.first_day, options.last_day),
        key="analytics_dates",
    )
    values = tuple(picked) if isinstance(picked, list | tuple) else (picked,)
    first = values[0] if values else None
    last = values[1] if len(values) > 1 else first
    return first, last


def filter_controls(options: FilterOptions) -> DashboardRequest | None:
    """The filter widgets; ``None`` (with an error shown) when they do not make sense."""
    with st.expander("Filters", expanded=True):
        top = st.columns([2, 1])
        with top[0]:
            first, last = _dates(options)
        threshold = top[1].slider("Pass threshold (%)", 0, 100, 60, step=5, key="analytics_pass")
        cols = st.columns(4)
        jobs = cols[0].multiselect(
            "Job", list(options.jobs), format_func=options.jobs.__getitem__, key="analytics_jobs"
        )
        templates = cols[1].multiselect(
            "Template",
            list(options.templates),
            format_func=options.templates.__getitem__,
            key="analytics_templates",
        )
        types = cols[2].multiselect(
            "Type", [t.value for t in InterviewType], format_func=label, key="analytics_types"
        )
        levels = cols[3].multiselect(
            "Difficulty", [d.value for d in Difficulty], format_func=label, key="analytics_levels"
        )
    try:
        return DashboardRequest(
            filters=AnalyticsFilters(
                first, last, tuple(jobs), tuple(templates), tuple(types), tuple(levels)
            ),
            pass_threshold=float(threshold),
        )
    except AnalyticsInputError as exc:
        st.error(md_escape(exc))
        return None


def headline(dashboard: Dashboard) -> None:
    h = dashboard.headline
    threshold = dashboard.request.pass_threshold
    cols = st.columns(6)
    cols[0].metric("Interviews", f"{h.interviews:,}")
    cols[1].metric("Completed", f"{h.completed:,}")
    cols[2].metric("Average score", percent(h.mean_score))
    cols[3].metric(
        f"Pass rate (≥ {threshold:g}%)", percent(None if h.pass_rate is None else 100 * h.pass_rate)
    )
    cols[4].metric("No-shows", f"{h.no_shows:,}")
    minutes = "—" if h.median_minutes is None else f"{h.median_minutes:.0f} min"
    cols[5].metric("Median time to complete", minutes)
    if h.overridden:
        st.caption(f"{h.overridden:,} scored interviews include a human override.")


_TEXT_PROPERTIES = ("x", "y", "text", "hovertext", "labels", "name")
_MARKUP = ("<", ">", "&")


def _texts(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, np.ndarray) and value.dtype != object:
        return []  # numbers and dates: nothing plotly could read as markup
    if isinstance(value, tuple | list | np.ndarray):
        return [v for v in value if isinstance(v, str)]
    return []


def _inert(value: Any) -> Any:
    if isinstance(value, str):
        return plotly_text(value)
    return [plotly_text(v) if isinstance(v, str) else v for v in value]


def inert_figure(figure: go.Figure) -> go.Figure:
    """The figure with its trace texts (template titles, job names, question texts as
    categories, legend names and hover texts) shown as written: plotly draws a small HTML
    subset in labels (``<a href>`` links among them). A copy only when some text needs it:
    the dashboard's figures are cached and shared."""
    marked = [
        (n, name)
        for n, trace in enumerate(figure.data)
        for name in _TEXT_PROPERTIES
        if name in trace and any(c in t for t in _texts(trace[name]) for c in _MARKUP)
    ]
    if not marked:
        return figure
    safe = go.Figure(figure)
    for n, name in marked:
        safe.data[n][name] = _inert(safe.data[n][name])
    return safe


def chart(item: Chart) -> None:
    st.plotly_chart(inert_figure(item.figure), key=f"chart_{item.key}")
    if item.key in TABLE_CHARTS and not item.data.empty:
        st.dataframe(item.data, hide_index=True, key=f"table_{item.key}")
    st.download_button(
        f"Download {item.key}.csv",
        data=csv_text(item.data),  # no cell runs as a spreadsheet formula
        file_name=f"{item.key}.csv",
        mime="text/csv",
        key=f"csv_{item.key}",
        on_click="ignore",
    )


def sections(dashboard: Dashboard) -> None:
    for tab, name in zip(st.tabs(list(SECTIONS)), SECTIONS, strict=True):
        with tab:
            st.caption(SECTION_NOTES[name])
            for item in dashboard.section(name):
                chart(item)
