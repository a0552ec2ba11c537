"""Running untrusted code: the ``Sandbox`` protocol, bubblewrap and dev implementations,
language drivers and verdicts. See docs/sandbox.md."""

from core.coding.sandbox.factory import Sandbox, build_sandbox
from core.coding.sandbox.models import Limits, RunRequest, RunResult, SandboxUnavailable, Verdict

__all__ = [
    "Limits",
    "RunRequest",
    "RunResult",
    "Sandbox",
    "SandboxUnavailable",
    "Verdict",
    "build_sandbox",
]
