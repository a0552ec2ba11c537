"""The "System status" panel: each model, its status, and what runs (or is lost) because of it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.config import Settings
from core.models.system_status import SystemStatus, candidate_capabilities
from core.ui.format import md_escape

_STATUS = {"verified": "verified", "missing": "MISSING", "corrupt": "CORRUPT (refused)",
           "partial": "PARTIAL (unfinished)"}  # fmt: skip


def system_status_panel(status: SystemStatus) -> None:
    st.subheader("System status")
    if status.degraded:
        st.warning(
            "Running with fallbacks: "
            + "; ".join(md_escape(f"{c.area}: {c.note}") for c in status.degraded)
            + (
                ". Install the models with `python -m core models pull`, or copy a models "
                "folder from a machine that has them and set `INTERVISTA_MODELS_DIR`."
                if status.detailed
                else ". An administrator can install the missing models."
            )
        )
    else:
        st.success("Every model is installed and verified; nothing runs degraded.")
    for c in status.capabilities:  # text, not a grid: read by screen readers and tests
        mark = ":material/check_circle:" if c.full else ":material/warning: fallback —"
        lost = f" (lost: {md_escape(c.note)})" if c.note else ""
        st.markdown(f"{mark} **{md_escape(c.area)}:** {md_escape(c.engine)}{lost}")
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Model": m.name,
                    "Status": _STATUS.get(m.status, m.status),
                    "Used for": m.purpose,
                    "Size (MB)": m.size_mb,
                    "Without it": m.degraded_without,
                    **(
                        {"Path": m.path or "—", "Detail": m.detail or "—"}
                        if status.detailed
                        else {}
                    ),
                }
                for m in status.models
            ]
        ),
        hide_index=True,
        width="stretch",
    )
    if status.detailed:
        st.caption("`python -m core models verify` re-checks every file against its checksum.")


def candidate_capability_notes(settings: Settings, *, audio: bool) -> None:
    """What a candidate should know before starting (no paths, no model names)."""
    seen = candidate_capabilities(settings)
    st.caption(seen.camera_checks)
    if audio:
        st.caption(
            "Spoken answers are transcribed and scored like typed ones; you will see what was "
            "heard."
            if seen.spoken_answers_transcribed
            else "Spoken answers are recorded for the reviewers, who listen to them; they are "
            "not transcribed on this server, so typing your answer too is best."
        )
