"""The Integrations page's Deliveries tab: webhook and Greenhouse deliveries, newest first,
filtered and paged, each with its payload and a Replay. Runs in the Streamlit script thread;
``core.integrations.deliveries`` asks core's permission check again."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from core.clock import utcnow
from core.db.uow import Tx
from core.errors import IntervistaError
from core.integrations import deliveries, webhooks
from core.integrations.deliveries import DeliveryStatus, DeliveryView
from core.integrations.events import Event
from core.staff.permissions import StaffPrincipal
from core.ui.choice import pick_by_id
from core.ui.format import label, local_time, md_escape

DELIVERIES_PER_PAGE = 50
_DELIVERY_EVENTS = [*(e.value for e in Event), webhooks.PING_EVENT, deliveries.GREENHOUSE_EVENT]


def _delivery_row(d: DeliveryView, zone: ZoneInfo) -> dict[str, object]:
    return {
        "ID": d.id,
        "Created": local_time(d.created_at, zone, False),
        "Event": d.event,
        "To": d.url,
        "Status": label(d.status),
        "Attempts": d.attempts,
        "Last answer": _or_dash(d.last_status_code),
        "Last error": d.last_error,
        "Next attempt": local_time(d.next_attempt_at, zone, False)
        if d.status is DeliveryStatus.QUEUED
        else "—",
        "Delivered": local_time(d.delivered_at, zone, False),
        "Replay of": _or_dash(d.replay_of_id),
    }


def _or_dash(value: int | None) -> str:
    return "—" if value is None else str(value)


def deliveries_panel(db: Tx, principal: StaffPrincipal, zone: ZoneInfo) -> None:
    st.button("Refresh", help="Deliveries are sent in the background; see where they are now")
    cols = st.columns(3)
    status = cols[0].selectbox("Status", [None, *DeliveryStatus], format_func=_or_all(label))
    event = cols[1].selectbox("Event", [None, *_DELIVERY_EVENTS], format_func=_or_all(str))
    page = cols[2].number_input("Page", min_value=1, value=1, step=1)
    offset = (int(page) - 1) * DELIVERIES_PER_PAGE
    total, shown = deliveries.page_deliveries(
        db, principal=principal, status=status, event=event, offset=offset,
        limit=DELIVERIES_PER_PAGE,
    )  # fmt: skip
    if not shown:
        st.info("No deliveries match." if total == 0 else f"Only {total} deliveries match.")
        return
    st.caption(f"{offset + 1}–{offset + len(shown)} of {total}, newest first.")
    st.dataframe(
        pd.DataFrame([_delivery_row(d, zone) for d in shown]), hide_index=True, width="stretch"
    )
    chosen = pick_by_id("Delivery", shown, lambda d: f"#{d.id} {d.event} → {d.url}")
    if chosen is None:
        return
    st.text(
        f"Event id: {chosen.event_id}\nMethod: {chosen.method}\nStatus: {label(chosen.status)}"
        f" after {chosen.attempts} attempt(s)"
        + (f"\nLast error: {chosen.last_error}" if chosen.last_error else "")
    )
    st.json(chosen.payload, expanded=False)
    if chosen.status in (DeliveryStatus.QUEUED, DeliveryStatus.SENDING):
        st.caption("Still being sent: it can be replayed once it is sent or has failed.")
    elif st.button("Replay", help="Send the same body and event id again, as a new delivery"):
        try:
            again = deliveries.replay(db, chosen.id, principal=principal, now=utcnow())
        except IntervistaError as exc:
            st.error(f"Not replayed: {md_escape(exc)}")
        else:
            st.success(f"Queued again as delivery #{again.id}.")


def _or_all(fmt: Callable[[Any], str]) -> Callable[[Any], str]:
    return lambda value: "All" if value is None else fmt(value)
