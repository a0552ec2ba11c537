"""Helpers for Streamlit AppTest tests: the repository root, signing a test session in, and
the visible text of a run."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from core.bootstrap import get_database
from core.clock import utcnow
from core.config import get_settings
from core.staff import sessions
from core.ui.session import SESSION_ID, USER_ID

REPO = Path(__file__).resolve().parents[2]


def sign_in_as(at: AppTest, user_id: int) -> AppTest:
    """Sign an AppTest session in as ``user_id``, as the sign-in form does: a real staff
    session in the app's database (settings from the environment), its id in session state.
    (AppTest cannot send the cookie a browser would.)"""
    started = sessions.start(
        get_database(get_settings()),
        user_id=user_id,
        now=utcnow(),
        policy=sessions.SessionPolicy.from_settings(get_settings()),
        address="apptest",
    )
    at.session_state[USER_ID] = user_id
    at.session_state[SESSION_ID] = started.session_id
    return at


def texts(at: AppTest) -> str:
    """All visible text of a run, for content assertions."""
    parts: list[str] = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "text",
        "caption",
        "info",
        "warning",
        "error",
        "success",
        "metric",
    ):
        for el in getattr(at, kind):
            parts.append(str(getattr(el, "value", "")) + " " + str(getattr(el, "label", "")))
    return "\n".join(parts)


def code_blocks(at: AppTest) -> list[str]:
    """The text of every ``st.code`` block of a run (program output, values, compiler text)."""
    return [str(el.value) for el in at.code]


def everything_shown(at: AppTest) -> str:
    """All visible text of a run including code blocks, expander labels and table cells: for
    asserting that something is NOT shown anywhere."""
    parts = [texts(at), *code_blocks(at), *(str(e.label) for e in at.expander)]
    parts.extend(frame.value.to_csv() for frame in at.dataframe)
    return "\n".join(parts)
