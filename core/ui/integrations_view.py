"""The Integrations page's panels: the summary, API keys, webhook endpoints, Greenhouse.

Runs in the Streamlit script thread. Every change goes through the use cases in
``core.staff.api_access`` and ``core.integrations`` (which ask core's permission check again);
a key's text and an endpoint's secret are shown once, on the run that made them.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from core.clock import utcnow
from core.db.uow import Tx
from core.errors import IntervistaError
from core.integrations import webhooks
from core.integrations.events import Event
from core.integrations.overview import GreenhouseReadiness, IntegrationOverview
from core.staff import api_access
from core.staff.api_access import KEY_PREFIX, ApiKeyView
from core.staff.permissions import API_KEY_SCOPES, DEFAULT_API_KEY_SCOPES, StaffPrincipal
from core.ui.choice import pick_by_id
from core.ui.format import local_time, md_escape

#: How long a new key lives, the choices offered (days); keys always expire.
KEY_LIFETIMES_DAYS = (7, 30, 90, 180, 365, 730)
DEFAULT_KEY_LIFETIME_DAYS = 90
_EVENTS = [e.value for e in Event]


def overview_panel(o: IntegrationOverview) -> None:
    cols = st.columns(4)
    cols[0].metric("Live API keys", o.live_keys)
    cols[1].metric("Webhook endpoints", f"{o.active_endpoints} of {o.endpoints} on")
    cols[2].metric("Deliveries waiting", o.deliveries_waiting)
    cols[3].metric("Deliveries failed", o.deliveries_failed)
    if o.deliveries_failed:
        st.warning(
            f"{o.deliveries_failed} {'delivery' if o.deliveries_failed == 1 else 'deliveries'} "
            "gave up after every retry. "
            "Fix the receiver, then replay them under Deliveries."
        )


def _key_status(k: ApiKeyView, now: datetime) -> str:
    if k.revoked_at is not None:
        return "Revoked"
    if k.expires_at is not None and k.expires_at <= now:
        return "Expired"
    return "Active"


def api_keys_panel(db: Tx, principal: StaffPrincipal, zone: ZoneInfo) -> None:
    st.caption(
        "Keys let other systems call the HTTP API (docs/api.md). A key is stored only as a hash: "
        "its text is shown once, when it is made."
    )
    with st.form("new_api_key", clear_on_submit=True):
        name = st.text_input("Name", key="key_name", placeholder="e.g. Greenhouse, nightly export")
        scopes = st.multiselect(
            "Scopes",
            list(API_KEY_SCOPES),
            key="key_scopes",
            default=list(DEFAULT_API_KEY_SCOPES),
            help="read: interviews · recruiting: candidates, jobs, templates · scheduling: "
            "slots and invitations · review: decisions · greenhouse: only Greenhouse's API",
        )
        days = st.selectbox(
            "Expires after (days)",
            KEY_LIFETIMES_DAYS,
            index=KEY_LIFETIMES_DAYS.index(DEFAULT_KEY_LIFETIME_DAYS),
        )
        if st.form_submit_button("Create key", type="primary"):
            try:
                made = api_access.create_api_key(
                    db, name=name, scopes=scopes, now=utcnow(), expires_days=days,
                    actor_id=principal.user_id, principal=principal,
                )  # fmt: skip
            except IntervistaError as exc:
                st.error(f"Not created: {md_escape(exc)}")
            else:
                st.success(
                    f"Created {md_escape(made.name)}. Copy the key now; it is not shown again."
                )
                st.code(made.key, language=None)
    now = utcnow()
    keys = api_access.list_api_keys(db, principal=principal)
    if not keys:
        st.info("No API keys yet.")
        return
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "ID": k.id,
                    "Name": k.name,
                    "Key": f"{KEY_PREFIX}{k.prefix}_…",
                    "Scopes": ", ".join(k.scopes),
                    "Status": _key_status(k, now),
                    "Created": local_time(k.created_at, zone, False),
                    "Expires": local_time(k.expires_at, zone, False),
                    "Last used": local_time(k.last_used_at, zone, False),
                }
                for k in keys
            ]
        ),
        hide_index=True,
        width="stretch",
    )
    live = [k for k in keys if _key_status(k, now) == "Active"]
    if not live:
        return
    chosen = pick_by_id(
        "Revoke a key", live, lambda k: f"#{k.id} {k.name} ({KEY_PREFIX}{k.prefix}_…)"
    )
    if chosen is None:
        return
    sure = st.checkbox("Calls with this key stop working at once", key=f"revoke_{chosen.id}")
    if st.button("Revoke key", disabled=not sure):
        try:
            api_access.revoke_api_key(
                db, chosen.id, now=utcnow(), actor_id=principal.user_id, principal=principal
            )
        except IntervistaError as exc:
            st.error(f"Not revoked: {md_escape(exc)}")
        else:
            st.rerun()  # the table shows it revoked


def _show_secret(secret: str) -> None:
    st.caption(
        "The signing secret, shown once: each delivery carries X-Intervista-Signature, an "
        "HMAC-SHA256 of the timestamp and body with it (docs/api.md, Webhooks)."
    )
    st.code(secret, language=None)


def webhooks_panel(db: Tx, principal: StaffPrincipal, zone: ZoneInfo) -> None:
    with st.form("new_webhook", clear_on_submit=True):
        url = st.text_input(
            "URL", key="hook_url", placeholder="https://example.com/hooks/intervista"
        )
        events = st.multiselect("Events", _EVENTS, default=_EVENTS, key="hook_events")
        description = st.text_input("Description (optional)", key="hook_description")
        if st.form_submit_button("Add endpoint", type="primary"):
            try:
                made = webhooks.create_endpoint(
                    db, url=url, events=events, description=description,
                    principal=principal, now=utcnow(),
                )  # fmt: skip
            except IntervistaError as exc:
                st.error(f"Not added: {md_escape(exc)}")
            else:
                st.success(f"Added endpoint #{made.endpoint.id}.")
                _show_secret(made.secret)
    endpoints = webhooks.list_endpoints(db, principal=principal)
    if not endpoints:
        st.info("No webhook endpoints yet.")
        return
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "ID": e.id,
                    "URL": e.url,
                    "Events": ", ".join(e.events),
                    "Description": e.description,
                    "On": e.is_active,
                    "Created": local_time(e.created_at, zone, False),
                }
                for e in endpoints
            ]
        ),
        hide_index=True,
        width="stretch",
    )
    chosen = pick_by_id("Endpoint", endpoints, lambda e: f"#{e.id} {e.url}")
    if chosen is None:
        return
    cols = st.columns(3)
    try:
        if cols[0].button("Pause" if chosen.is_active else "Resume"):
            webhooks.update_endpoint(
                db, chosen.id, principal=principal, is_active=not chosen.is_active
            )
            st.rerun()
        if cols[1].button("Send a ping", disabled=not chosen.is_active):
            sent = webhooks.send_ping(db, chosen.id, principal=principal, now=utcnow())
            st.success(f"Ping queued as delivery #{sent}; see Deliveries.")
        if cols[2].button("Replace the secret"):
            _show_secret(webhooks.rotate_secret(db, chosen.id, principal=principal).secret)
        sure = st.checkbox("Its queued deliveries are dropped too", key=f"remove_{chosen.id}")
        if st.button("Remove endpoint", disabled=not sure):
            webhooks.delete_endpoint(db, chosen.id, principal=principal)
            st.rerun()
    except IntervistaError as exc:
        st.error(md_escape(exc))


def greenhouse_panel(ready: GreenhouseReadiness, base_url: str) -> None:
    def step(done: bool, text: str) -> None:
        st.markdown(f"{':material/check_circle:' if done else ':material/cancel:'} {text}")

    st.caption(f"Greenhouse calls {base_url}/api/greenhouse/… (docs/api.md, Greenhouse).")
    step(
        ready.partner_keys > 0,
        f"A live API key with the *greenhouse* scope ({ready.partner_keys}): make one under "
        "API keys and give it to Greenhouse as the API key.",
    )
    step(
        ready.callback_key_set,
        "The key Greenhouse gave us, to sign the completion callback "
        "(INTERVISTA_GREENHOUSE_PATCH_KEY): " + ("set." if ready.callback_key_set else "not set."),
    )
    step(
        ready.offered_tests > 0,
        f"Templates offered as tests ({ready.offered_tests}): tick *Offer to Greenhouse as a "
        "test* on the Templates page.",
    )
    if ready.ready:
        st.success("Greenhouse can list our tests, send them and hear back.")
