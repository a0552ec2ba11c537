"""Analytics: scores, the hiring funnel, proctoring, templates, questions and coding."""

from __future__ import annotations

import streamlit as st

from core.clock import utcnow
from core.staff.permissions import Action
from core.ui import analytics_view as view
from core.ui.session import require

require(Action.VIEW_ANALYTICS)
st.title("Analytics")
service = view.analytics_service()
if not service.prepare(wait_s=view.PREPARE_WAIT_S):
    view.being_prepared()  # the copy's first build runs in the background; checks again
    st.stop()
options = service.options()
if options.first_day is None:
    view.empty_state()
    st.stop()
request = view.filter_controls(options)
if request is None:
    st.stop()
with st.spinner("Computing the dashboard…"):
    dashboard = service.dashboard(request, utcnow())
if dashboard.is_empty:
    st.info("No interviews match these filters. Widen the dates or clear a filter.")
    st.stop()
view.headline(dashboard)
view.sections(dashboard)
