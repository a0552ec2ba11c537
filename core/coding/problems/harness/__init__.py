"""Test harnesses: the candidate's function is called with JSON-decoded arguments, its result
goes back as JSON on lines tagged with a per-run random nonce (read from stdin before the
candidate's code is loaded). Comparison with the expected values happens outside the sandbox,
so the program never sees expected results and its exit code decides nothing."""

from core.coding.problems.harness.builder import HarnessFiles, build_harness

__all__ = ["HarnessFiles", "build_harness"]
