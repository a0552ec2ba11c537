"""A tiny Streamlit page using the proctoring widget, for the browser test.

Environment: INTERVISTA_DATA_DIR / INTERVISTA_DATABASE_URL / INTERVISTA_YOLO_WEIGHTS (settings)
and PROCTOR_E2E_INTERVIEW_ID (an interview row the test created).
"""

from __future__ import annotations

import logging
import os

import streamlit as st

from core.bootstrap import ensure_database
from core.config import load_settings
from core.ui.proctor_widget import proctor_status, render_proctoring

KEY = "proctor-e2e"

# The test prints this log when it fails: show connection and track life cycle.
for name in ("streamlit_webrtc", "aiortc", "core"):
    logger = logging.getLogger(name)
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)

settings = load_settings()
db = ensure_database(settings)
interview_id = int(os.environ["PROCTOR_E2E_INTERVIEW_ID"])
st.title("Proctoring test page")
with_audio = st.query_params.get("audio") == "1"  # the microphone too: H.264 + AAC
render_proctoring(
    interview_id, settings, key=KEY, enable_audio=with_audio, db=db, auto_start=False
)  # this page tests START/STOP by hand


@st.fragment(run_every=0.5)
def _show_counters() -> None:
    status = proctor_status(KEY)
    if status is not None:
        st.text(
            f"frames_received={status.frames_received} analysed={status.frames_analysed} "
            f"media_seconds={status.media_seconds:.3f} recordings={len(status.recordings)}"
        )


_show_counters()
