"""The email outbox: what was sent to candidates, and what is waiting or failed."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.domain import OutboxStatus, Role
from core.services.outbox import list_outbox
from core.ui.format import label, local_time
from core.ui.resources import app_database, app_settings
from core.ui.session import require_role

require_role(Role.RECRUITER)
db, settings = app_database(), app_settings()
st.title("Email outbox")
if not settings.smtp_host:
    st.info(
        "No SMTP server is configured (INTERVISTA_SMTP_HOST): messages stay here, "
        "readable, and are not emailed."
    )
statuses = st.multiselect("Status", list(OutboxStatus), format_func=label)
messages = list_outbox(db, tuple(statuses))
if not messages:
    st.info("No messages.")
    st.stop()
st.dataframe(
    pd.DataFrame(
        [
            {
                "ID": m.id,
                "Created": local_time(m.created_at, settings.zone, False),
                "To": m.to_address,
                "Subject": m.subject,
                "Kind": label(m.kind),
                "Status": label(m.status),
                "Attempts": m.attempts,
                "Last error": m.last_error,
            }
            for m in messages
        ]
    ),
    hide_index=True,
    width="stretch",
)
chosen = st.selectbox("Read a message", messages, format_func=lambda m: f"#{m.id} {m.subject}")
if chosen is not None:
    st.text(chosen.body_text)
