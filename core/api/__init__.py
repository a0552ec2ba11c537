"""The HTTP API, served under ``/api`` by the same server as the Streamlit app (docs/api.md).

Thin like the pages: each route reads its input (validated by pydantic), asks for the caller
(``core.api.deps``), calls the same use case a page calls — which asks core's permission check —
and returns a pydantic model. No route touches the database itself.
"""
