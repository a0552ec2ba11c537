"""The application container for the Streamlit app: one per process, cached across reruns.

Pages get everything through :func:`app` (``app().db``, ``app().evaluator`` …); the helpers
below are short names for the parts most pages use.
"""

from __future__ import annotations

import threading

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

_built_once = threading.Event()


@st.cache_resource(show_spinner=False)
def _container() -> Application:
    configure_logging()
    application = build_application(get_settings())
    application.start_background_work()
    _built_once.set()
    return application


def app() -> Application:
    """The container; raises SettingsError or DatabaseUnavailable with a clear message.

    Background work (mail worker, interview sweeper) starts with it, once per process."""
    if _built_once.is_set():
        return _container()
    with st.spinner("Preparing the database…"):
        return _container()


def server_container() -> Application:
    """The same container for the HTTP API (``server.py``): any thread, no page to draw on."""
    return _container()


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
