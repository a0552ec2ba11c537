"""Reading a harnessed program's output: the nonce-tagged result lines, the candidate's own
prints between them, and compiler messages mapped onto the candidate's file.

The harness writes ``<nonce> <tag> <json>`` lines (tag ``compile``, ``load`` or a test index)
and flushes the program's stdout before each, so what the candidate printed while test ``i``
ran is the text just before the line tagged ``i``.
"""

from __future__ import annotations

import json
import re
from typing import Any

from core.coding.problems.results import CompileMessage
from core.coding.sandbox.drivers import CompileDiagnostic

EXCERPT = 4000
TEST_STDOUT_CHARS = 2000
TRUNCATED = "\n… (truncated)"
_SOURCE_PATH = re.compile(r"(?<![\w/])src/(?=[\w.-]+\.(?:java|cs|py|js|php|rb)\b)")


def tagged_lines(stdout: str, nonce: str) -> dict[str, dict[str, Any]]:
    """``{tag: payload}`` from lines ``<nonce> <tag> <json>``; the first line per tag wins."""
    found: dict[str, dict[str, Any]] = {}
    prefix = nonce + " "
    for line in stdout.splitlines():
        if not line.startswith(prefix):
            continue
        tag, _, payload = line[len(prefix) :].partition(" ")
        if tag in found:
            continue
        try:
            value = json.loads(payload)
        except ValueError:
            continue
        if isinstance(value, dict):
            found[tag] = value
    return found


def stdout_by_test(stdout: str, nonce: str) -> dict[str, str]:
    """What the program printed before each tagged line, keyed by that line's tag (the first
    test's part also holds what was printed while the solution loaded)."""
    parts: dict[str, str] = {}
    buffer: list[str] = []
    prefix = nonce + " "
    for line in stdout.splitlines():
        if line.startswith(prefix):
            tag = line[len(prefix) :].partition(" ")[0]
            if tag not in parts:
                parts[tag] = head("\n".join(buffer).strip("\n"), TEST_STDOUT_CHARS)
            buffer = []
        else:
            buffer.append(line)
    return parts


def strip_tagged(stdout: str) -> str:
    """The program's own output without any nonce-like tagged lines (real or forged)."""
    return "\n".join(line for line in stdout.splitlines() if not _looks_tagged(line)).strip("\n")


def _looks_tagged(line: str) -> bool:
    first = line.split(" ", 1)[0]
    return len(first) == 32 and all(c in "0123456789abcdef" for c in first)


def head(text: str, limit: int = EXCERPT) -> str:
    """The first ``limit`` characters, marked when cut (compiler output: the first errors
    matter most)."""
    return text if len(text) <= limit else text[:limit] + TRUNCATED


def tail(text: str, limit: int = EXCERPT) -> str:
    """The last ``limit`` characters, marked when cut (a crash is at the end of the output)."""
    return text if len(text) <= limit else "(truncated) …\n" + text[-limit:]


def clean_compiler_output(output: str) -> str:
    """Compiler output with the sandbox's ``src/`` folder dropped from file names."""
    return _SOURCE_PATH.sub("", output)


def compile_messages(
    diagnostics: tuple[CompileDiagnostic, ...], candidate_file: str
) -> tuple[CompileMessage, ...]:
    """The candidate's own compile errors (their file's line numbers are the editor's), then
    errors in the harness that calls their code (a renamed class or a changed signature)."""
    own = [
        CompileMessage(d.line, d.column, d.message) for d in diagnostics if d.file == candidate_file
    ]
    harness = [d for d in diagnostics if d.file != candidate_file]
    if harness and not own:
        first = harness[0].message
        own.append(
            CompileMessage(
                None,
                None,
                "The tests could not call your code — keep the class Solution and the method "
                f"signature shown with the problem. The compiler said: {first}",
            )
        )
    return tuple(own)
