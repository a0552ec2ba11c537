"""The application container for the Streamlit app: one per process, cached across reruns.

Pages get everything through :func:`app` (``app().db``, ``app().evaluator`` …); the helpers
below are short names for the parts most pages use.
"""

from __future__ import annotations

import streamlit as st

from core.app import Application, build_application
from core.coding.sandbox.factory import Sandbox
from core.coding.sandbox.models import SandboxUnavailable
from core.config import Settings, get_settings
from core.db.engine import Database
from core.interview.grading import DeferredGrading
from core.interview.transcripts import SpokenAnswers
from core.interviewer.ai.conversation import Interviewer
from core.interviewer.ai.types import Evaluator
from core.logging_setup import configure_logging


@st.cache_resource(show_spinner="Preparing the database…")
def app() -> Application:
    """The container; raises SettingsError or DatabaseUnavailable with a clear message.

    Background work (mail worker, interview sweeper) starts with it, once per process."""
    configure_logging()
    application = build_application(get_settings())
    application.start_background_work()
    return application


def app_settings() -> Settings:
    return app().settings


def app_database() -> Database:
    return app().db


def app_evaluator() -> Evaluator:
    with st.spinner("Loading the evaluator…"):
        return app().evaluator


def app_interviewer() -> Interviewer:
    return app().interviewer


def app_grading() -> DeferredGrading:
    return app().grading


def app_spoken_answers() -> SpokenAnswers:
    """Transcription of spoken answers (the model loads on the worker's first job)."""
    return app().spoken_answers


def app_sandbox() -> Sandbox | SandboxUnavailable:
    return app().sandbox
