"""Process-wide resources for the Streamlit app, cached across reruns and sessions."""

from __future__ import annotations

import streamlit as st

from core.bootstrap import ensure_database
from core.coding.sandbox.factory import Sandbox, build_sandbox
from core.coding.sandbox.models import SandboxUnavailable
from core.config import Settings, get_settings
from core.db.engine import Database
from core.interviewer.ai.conversation import Interviewer
from core.interviewer.ai.factory import build_evaluator, build_llm_client
from core.interviewer.ai.types import Evaluator
from core.logging_setup import configure_logging
from core.mail.worker import MailWorker, start_mail_worker


@st.cache_resource(show_spinner=False)
def app_settings() -> Settings:
    configure_logging()
    return get_settings()


@st.cache_resource(show_spinner="Preparing the database…")
def app_database() -> Database:
    """The migrated database; raises DatabaseUnavailable with a clear message."""
    return ensure_database(app_settings())


@st.cache_resource(show_spinner=False)
def app_mail_worker() -> MailWorker | None:
    """Start (once per process) the background sender for the email outbox, if SMTP is set."""
    return start_mail_worker(app_database(), app_settings())


@st.cache_resource(show_spinner="Loading the evaluator…")
def app_evaluator() -> Evaluator:
    """The answer evaluator chosen by settings (LLM with offline fallback, or offline)."""
    return build_evaluator(app_settings())


@st.cache_resource(show_spinner=False)
def app_interviewer() -> Interviewer:
    return Interviewer(build_llm_client(app_settings()))


@st.cache_resource(show_spinner=False)
def app_sandbox() -> Sandbox | SandboxUnavailable:
    """The code sandbox, or the reason it cannot run (shown to the user, never hidden)."""
    try:
        return build_sandbox(app_settings())
    except SandboxUnavailable as exc:
        return exc
