"""Running untrusted code: the ``Sandbox`` protocol, bubblewrap and dev implementations,
language drivers and verdicts. See docs/sandbox.md."""

from core.eval.sandbox.factory import Sandbox, build_sandbox
from core.eval.sandbox.models import Limits, RunRequest, RunResult, SandboxUnavailable, Verdict

__all__ = [
    "Limits",
    "RunRequest",
    "RunResult",
    "Sandbox",
    "SandboxUnavailable",
    "Verdict",
    "build_sandbox",
]
