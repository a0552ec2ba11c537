"""Administrators: API keys, webhook endpoints and their deliveries, and Greenhouse's setup."""

from __future__ import annotations

import streamlit as st

from core.clock import utcnow
from core.integrations.overview import integration_overview
from core.staff.permissions import Action, staff_principal
from core.ui.deliveries_view import deliveries_panel
from core.ui.integrations_view import (
    api_keys_panel,
    greenhouse_panel,
    overview_panel,
    webhooks_panel,
)
from core.ui.resources import app_database, app_settings
from core.ui.session import require

admin = require(Action.MANAGE_INTEGRATIONS)
principal = staff_principal(admin)  # the use cases ask core's permission check again
db, settings = app_database(), app_settings()
st.title("Integrations")
summary = st.container()  # filled last, so that it counts what this run changed
keys_tab, hooks_tab, deliveries_tab, greenhouse_tab = st.tabs(
    ["API keys", "Webhooks", "Deliveries", "Greenhouse"]
)
with keys_tab:
    api_keys_panel(db, principal, settings.zone)
with hooks_tab:
    webhooks_panel(db, principal, settings.zone)
with deliveries_tab:
    deliveries_panel(db, principal, settings.zone)
overview = integration_overview(db, settings, principal=principal, now=utcnow())
with summary:
    overview_panel(overview)
with greenhouse_tab:
    greenhouse_panel(overview.greenhouse, settings.public_base_url)
