"""One error hierarchy for the application's use cases.

Every error a use case raises on purpose is an :class:`IntervistaError`: it carries a stable
``code`` (for the HTTP API, logs and tests) and a message written for people (for pages). The
subject packages subclass it (``FlowError``, ``BookingError`` …), keeping ``ValueError`` as a
second base where callers already catch that.
"""

from __future__ import annotations


class IntervistaError(Exception):
    """A failure a person can act on. ``code`` is stable; ``str(error)`` is the message."""

    code: str = "error"
    #: The HTTP status an API answers with (the pages ignore it).
    status: int = 400

    def __init__(self, message: str = "", *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code

    @property
    def message(self) -> str:
        return str(self)


class NotFound(IntervistaError):
    """The thing asked for does not exist (or is not visible to the caller)."""

    code = "not_found"
    status = 404


class PermissionDenied(IntervistaError):
    """The caller may not do this; the message says what was refused, never why in detail."""

    code = "permission_denied"
    status = 403


class Conflict(IntervistaError):
    """The request clashes with the current state (already done, changed meanwhile …)."""

    code = "conflict"
    status = 409


def error_payload(error: IntervistaError) -> dict[str, str]:
    """The same shape for every entry point: ``{"code": …, "message": …}``."""
    return {"code": error.code, "message": error.message}
