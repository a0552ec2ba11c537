"""One JSON shape for every refusal: ``{"code": …, "message": …}`` with the right status.

Use-case errors carry their own ``code`` and ``status`` (``core.errors``); FastAPI's validation
errors become 422 ``invalid_request`` with the fields at fault; an unknown path 404, a wrong
method 405; anything unexpected 500 ``internal_error`` with an incident id that the log repeats
(the message never carries internals).
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from core.errors import IntervistaError

logger = logging.getLogger(__name__)


class FieldProblem(BaseModel):
    field: str
    message: str


class ErrorBody(BaseModel):
    code: str
    message: str
    errors: list[FieldProblem] | None = None  # 422: which fields, and what is wrong
    incident: str | None = None  # 500: quote it to an administrator


def _error(status: int, description: str) -> dict[str, Any]:
    return {"model": ErrorBody, "description": description}


#: Documented on every operation, so clients (and schemathesis) know every refusal's shape.
COMMON_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _error(400, "Bad input (the message says what to change)"),
    401: _error(401, "No valid credentials"),
    403: _error(403, "The caller may not do this"),
    404: _error(404, "Not found (or not visible to the caller)"),
    409: _error(409, "Clashes with the current state"),
    413: _error(413, "The request body is too large"),
    422: _error(422, "The request does not match the schema"),
    429: _error(429, "Too many failed attempts: wait Retry-After seconds"),
    503: _error(503, "A part of the platform is unavailable just now"),
}

_HTTP_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    413: "request_too_large",
    415: "unsupported_media_type",
    429: "throttled",
}


def error_response(
    status: int, code: str, message: str, headers: dict[str, str] | None = None, **extra: Any
) -> JSONResponse:
    body = ErrorBody(code=code, message=message, **extra).model_dump(exclude_none=True)
    return JSONResponse(body, status_code=status, headers=headers)


def _field(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(IntervistaError)
    async def _intervista(request: Request, exc: IntervistaError) -> JSONResponse:
        headers = None
        retry_after = getattr(exc, "retry_after", None)
        if retry_after:
            headers = {"Retry-After": str(int(retry_after))}
        if exc.status == 401:
            headers = {**(headers or {}), "WWW-Authenticate": 'Bearer realm="intervista"'}
        return error_response(exc.status, exc.code, exc.message, headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            FieldProblem(field=_field(e.get("loc", ())), message=str(e.get("msg", "invalid")))
            for e in exc.errors()[:20]
        ]
        first = problems[0] if problems else FieldProblem(field="body", message="invalid")
        return error_response(
            422, "invalid_request", f"{first.field}: {first.message}", errors=problems
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _HTTP_CODES.get(exc.status_code, "http_error")
        message = exc.detail if isinstance(exc.detail, str) else "Request refused."
        return error_response(exc.status_code, code, message, dict(exc.headers or {}))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        incident = uuid.uuid4().hex[:12]
        logger.error(
            "API incident %s on %s %s",
            incident,
            request.method,
            request.url.path,
            exc_info=(type(exc), exc, exc.__traceback__),
        )
        return error_response(
            500,
            "internal_error",
            "The request failed on our side; quote the incident id to an administrator.",
            incident=incident,
        )
