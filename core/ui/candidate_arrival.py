"""Arriving early: a live countdown that opens the interview by itself when its window starts."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from core.clock import utcnow


def countdown_text(seconds: float) -> str:
    """``1 h 02 min 05 s`` / ``4 min 09 s`` / ``12 s`` (whole seconds, never negative)."""
    left = max(0, int(seconds + 0.999))  # round up: "0 s" only when it has opened
    hours, rest = divmod(left, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min {secs:02d} s"
    if minutes:
        return f"{minutes} min {secs:02d} s"
    return f"{secs} s"


def early_arrival(start_text: str, opens_at: datetime | None) -> None:
    st.info(
        f"Your interview starts {start_text}. This page opens by itself shortly before the "
        "start: keep it open, there is nothing to press."
    )
    if opens_at is None:
        st.button("Check again")
        return
    _countdown(opens_at)


@st.fragment(run_every=1)
def _countdown(opens_at: datetime) -> None:
    """Every second on the server: the time left; at zero, the whole page runs again (the
    link is checked again and the interview opens) without a reload."""
    left = (opens_at - utcnow()).total_seconds()
    if left <= 0:
        st.rerun(scope="app")
    st.metric("Opens in", countdown_text(left))
