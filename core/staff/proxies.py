"""Which reverse proxies' X-Forwarded-For is believed: the ``trusted_proxies`` setting.

The address sign-in delays and the candidate-link throttle count is the connection's own,
unless the connection comes from a trusted proxy: then it is the client the proxy names in
``X-Forwarded-For``. Believing that header from anyone else would let a client choose its
address (a fresh one for every guess).

uvicorn (which ``streamlit run server.py`` serves the app with) does the rewriting. It reads its
list from the ``FORWARDED_ALLOW_IPS`` environment variable *when it starts*, before the app is
imported, and when the variable is unset it believes **127.0.0.1 and ::1**. So the setting has to
reach the environment before the server starts:

- ``python -m core.staff.proxies`` prints the setting as uvicorn wants it (``make run`` passes
  it: ``FORWARDED_ALLOW_IPS="$(python -m core.staff.proxies)"``);
- :func:`lifespan` (the app's start-up hook) refuses to serve when the variable is unset or
  disagrees with the setting, naming both.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any, Final

from core.config import Settings, SettingsError, get_settings

logger = logging.getLogger(__name__)

ENV_VAR: Final = "FORWARDED_ALLOW_IPS"
UVICORN_DEFAULT: Final = "127.0.0.1,::1"  # what uvicorn believes when ENV_VAR is unset


def _items(value: str) -> frozenset[str]:
    return frozenset(item.strip() for item in value.split(",") if item.strip())


def forwarded_allow_ips(settings: Settings) -> str:
    """The ``trusted_proxies`` setting in uvicorn's form (empty: believe no one)."""
    return settings.trusted_proxies


def trust_problem(settings: Settings, environ: Mapping[str, str]) -> str | None:
    """Why the server about to serve would not believe exactly the setting's proxies (None:
    it would)."""
    wanted = forwarded_allow_ips(settings)
    actual = environ.get(ENV_VAR)
    if actual is None:
        return (
            f"{ENV_VAR} is not set, so uvicorn would believe X-Forwarded-For from "
            f'{UVICORN_DEFAULT}; start the app with {ENV_VAR}="{wanted}" (the '
            "INTERVISTA_TRUSTED_PROXIES setting), as `make run` does"
        )
    if _items(actual) != _items(wanted):
        return (
            f"{ENV_VAR}={actual!r} but INTERVISTA_TRUSTED_PROXIES is {wanted!r}; set the "
            "setting and start the app with `make run` (or the same value in both)"
        )
    return None


def require_trusted_proxies(
    settings: Settings | None = None, environ: Mapping[str, str] | None = None
) -> None:
    """Raise :class:`SettingsError` unless uvicorn believes exactly the setting's proxies."""
    settings = settings or get_settings()
    problem = trust_problem(settings, os.environ if environ is None else environ)
    if problem is not None:
        raise SettingsError(f"Invalid settings:\n  {problem}")
    logger.info("X-Forwarded-For believed from: %s", forwarded_allow_ips(settings) or "no one")


@asynccontextmanager
async def lifespan(_app: Any) -> AsyncIterator[None]:
    """For ``st.App(..., lifespan=lifespan)``: the server does not start on a wrong trust."""
    require_trusted_proxies()
    yield


if __name__ == "__main__":  # FORWARDED_ALLOW_IPS="$(python -m core.staff.proxies)"
    try:
        sys.stdout.write(forwarded_allow_ips(get_settings()) + "\n")
    except SettingsError as exc:
        sys.stderr.write(f"error: {exc}\n")
        sys.exit(2)
