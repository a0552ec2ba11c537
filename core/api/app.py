"""The API application: FastAPI, mounted at ``/api`` beside the Streamlit app (``server.py``).

``create_api(provider)`` builds it around a function that returns the process's application
container (the pages' own one in ``server.py``; a test's in the tests), so pages and API share
one database, one evaluator and one set of workers. OpenAPI at ``/api/openapi.json``, the
interactive documentation at ``/api/docs``.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.applications import Starlette
from starlette.routing import Mount

from core.api.deps import ApplicationProvider
from core.api.errors import COMMON_RESPONSES, install_error_handlers
from core.api.middleware import BodyLimit, CanonicalPaths
from core.api.routes import (
    auth,
    greenhouse,
    integrations,
    interviews,
    recruiting,
    scheduling,
    templates,
)

API_PREFIX = "/api"
DESCRIPTION = """\
Intervista's HTTP API: the seeds' REST endpoints (interviews, templates, scheduling,
candidates, jobs), on-demand invitations, webhooks, and Greenhouse's Assessment Partner API.
Every refusal is JSON `{"code", "message"}` with its status. See docs/api.md.
"""


def create_api(provider: ApplicationProvider, *, max_body_bytes: int | None = None) -> FastAPI:
    """The API around ``provider`` (called per request; it must return the same container)."""
    api = FastAPI(
        title="Intervista API",
        version="1",
        description=DESCRIPTION,
        openapi_url="/openapi.json",
        docs_url="/docs",
        redoc_url=None,
        responses=COMMON_RESPONSES,
        redirect_slashes=False,
    )
    api.state.provider = provider
    install_error_handlers(api)
    for module in (auth, interviews, templates, scheduling, recruiting, integrations, greenhouse):
        api.include_router(module.router)
    limit = max_body_bytes or provider().settings.api_max_body_bytes
    api.add_middleware(CanonicalPaths)
    api.add_middleware(BodyLimit, max_bytes=limit)
    return api


def api_mount(provider: ApplicationProvider, **kwargs: int) -> Mount:
    """The route ``server.py`` gives ``st.App``: the API under ``/api``."""
    return Mount(API_PREFIX, app=create_api(provider, **kwargs))


def standalone(provider: ApplicationProvider, **kwargs: int) -> Starlette:
    """The API alone, at the same paths (``/api/...``): for tests and API-only workers."""
    return Starlette(routes=[api_mount(provider, **kwargs)])
