"""Process-wide resources for the Streamlit app, cached across reruns and sessions."""

from __future__ import annotations

import streamlit as st

from core.bootstrap import ensure_database
from core.config import Settings, get_settings
from core.db.engine import Database
from core.logging_setup import configure_logging


@st.cache_resource(show_spinner=False)
def app_settings() -> Settings:
    configure_logging()
    return get_settings()


@st.cache_resource(show_spinner="Preparing the database…")
def app_database() -> Database:
    """The migrated database; raises DatabaseUnavailable with a clear message."""
    return ensure_database(app_settings())
