"""Candidate text is data. Helpers to fence it in prompts and to notice injection attempts.

The LLM prompt wraps each candidate text in markers carrying a random nonce chosen per request,
so a candidate cannot write the closing marker; any marker-like text in the answer is
neutralised as well. Detection only flags an answer for human review: it never changes a score.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

_MARKER_LIKE = re.compile(r"<{2,}\s*/?\s*(?:end[_ ]?)?candidate[_ ]?\w*\s*[\w-]*>{2,}", re.I)
_INJECTION_PATTERNS = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        r"\bignore\b.{0,40}\b(instruction|prompt|rule|previous|above)",
        r"\bdisregard\b.{0,40}\b(instruction|prompt|rule|previous|above)",
        r"\b(give|award|assign|rate|score|grade|mark)\b.{0,40}"
        r"(\b10\s*(/|out of)\s*10\b|full marks|perfect score|maximum score|top score)",
        r"\byou are (now|an?)\b.{0,40}\b(grader|assistant|model|ai)\b",
        r"\b(system|developer) (prompt|message)\b",
        r"\bnew instructions?\b",
    )
)


@dataclass(frozen=True)
class Fence:
    """The begin and end markers for one block of candidate text in one request."""

    label: str
    nonce: str

    @property
    def begin(self) -> str:
        return f"<<<{self.label}_{self.nonce}>>>"

    @property
    def end(self) -> str:
        return f"<<<END_{self.label}_{self.nonce}>>>"

    def wrap(self, text: str) -> str:
        return f"{self.begin}\n{neutralise_markers(text)}\n{self.end}"


def new_fence(label: str, nonce: str | None = None) -> Fence:
    return Fence(label=label, nonce=nonce or secrets.token_hex(8))


def neutralise_markers(text: str) -> str:
    """Defuse anything that looks like our markers (``<<<...>>>``) in candidate text."""
    text = _MARKER_LIKE.sub("[marker removed]", text)
    return text.replace("<<<", "‹‹‹").replace(">>>", "›››")


def injection_suspected(text: str) -> bool:
    """True when the text tries to instruct the grader (only used to ask for human review)."""
    return any(p.search(text) for p in _INJECTION_PATTERNS)
