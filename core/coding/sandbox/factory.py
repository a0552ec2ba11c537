"""The ``Sandbox`` protocol and ``build_sandbox(settings)``, which picks one by configuration."""

from __future__ import annotations

from typing import Protocol

from core.coding.sandbox.bwrap import BwrapSandbox, bwrap_problem
from core.coding.sandbox.models import RunRequest, RunResult, SandboxUnavailable
from core.coding.sandbox.unsafe import UnsafeSubprocessSandbox
from core.config import Settings


class Sandbox(Protocol):
    """Runs one process tree under limits. ``sandboxed`` is False only for the dev fallback."""

    sandboxed: bool

    def run(self, request: RunRequest) -> RunResult: ...


def build_sandbox(settings: Settings) -> Sandbox:
    """``bwrap`` (default) or, only when explicitly allowed, the unsandboxed dev fallback.

    Raises SandboxUnavailable with the reason and the settings that would change it (also when
    the host has no usable cgroups, unless ``sandbox_allow_without_cgroups``).
    """
    if settings.sandbox == "unsafe-dev":
        if not settings.sandbox_allow_unsafe:
            raise SandboxUnavailable(
                "INTERVISTA_SANDBOX=unsafe-dev runs candidate code WITHOUT isolation; it also "
                "needs INTERVISTA_SANDBOX_ALLOW_UNSAFE=true (development machines only)"
            )
        return UnsafeSubprocessSandbox()
    problem = bwrap_problem()
    if problem is not None:
        raise SandboxUnavailable(
            f"cannot run code safely: {problem}. On a development machine you may set "
            "INTERVISTA_SANDBOX=unsafe-dev and INTERVISTA_SANDBOX_ALLOW_UNSAFE=true "
            "(results are then marked unsandboxed)"
        )
    return BwrapSandbox(
        allow_without_cgroups=settings.sandbox_allow_without_cgroups,
        max_concurrent_runs=settings.sandbox_max_concurrent_runs or None,
    )
