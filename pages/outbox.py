"""The email outbox: what was sent to candidates, and what is waiting or failed."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.clock import utcnow
from core.domain import OutboxStatus
from core.errors import PermissionDenied
from core.mail.outbox import OutboxError, calendar_file, list_outbox, resend
from core.staff.permissions import Action, staff_principal
from core.ui.format import label, local_time, md_escape
from core.ui.resources import app_database, app_settings
from core.ui.session import require

user = require(Action.MANAGE_OUTBOX)
principal = staff_principal(user)  # the use case asks core's permission check again
db, settings = app_database(), app_settings()
st.title("Email outbox")
if not settings.smtp_host:
    st.info(
        "No SMTP server is configured (INTERVISTA_SMTP_HOST): messages stay here, "
        "readable, and are not emailed. Copy a link from a message to send it yourself."
    )
statuses = st.multiselect("Status", list(OutboxStatus), format_func=label)
messages = list_outbox(db, tuple(statuses))
if not messages:
    st.info("No messages.")
    st.stop()
counts = {s: sum(m.status is s for m in messages) for s in OutboxStatus}
cols = st.columns(len(counts))
for col, (status, n) in zip(cols, counts.items(), strict=True):
    col.metric(label(status), n)
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
                "Sent": local_time(m.sent_at, settings.zone, False),
                "Last error": m.last_error,
            }
            for m in messages
        ]
    ),
    hide_index=True,
    width="stretch",
)
chosen = st.selectbox("Message", messages, format_func=lambda m: f"#{m.id} {m.subject}")
if chosen is not None:
    st.text(
        f"To: {chosen.to_address}\nSubject: {chosen.subject}\nStatus: {label(chosen.status)}"
        + (f"\nLast error: {chosen.last_error}" if chosen.last_error else "")
    )
    st.text(chosen.body_text)
    invite = calendar_file(db, chosen.id, principal=principal)
    if invite is not None:
        st.download_button(
            "Download the calendar invitation (.ics)",
            invite.content,
            file_name=invite.file_name,
            mime=invite.mime,
            on_click="ignore",
        )
        if invite.link_withheld:
            st.caption("The candidate's link was delivered and is not kept, so this copy has none.")
    if chosen.status in (OutboxStatus.FAILED, OutboxStatus.SENT) and st.button("Send again"):
        try:
            again = resend(
                db, chosen.id, utcnow(), settings=settings, actor_id=user.id, principal=principal
            )
        except (OutboxError, PermissionDenied) as exc:
            st.error(f"Not queued: {md_escape(exc)}")
        else:
            st.success(f"Queued again as #{again.id}.")
