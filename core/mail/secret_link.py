"""The candidate's secret link travels through the outbox without staying in it.

Access keys are stored hashed (``core.scheduling.access``); the link itself exists in plain text
only in the email. So a queued message keeps its text and calendar file with a placeholder where
the link goes, and the link in its own column (``email_outbox.secret_link``), which is cleared
once the message is delivered. The worker puts the link back in at send time, in memory.

An ``.ics`` file folds lines longer than 75 octets (RFC 5545 §3.1), so the link (or the
placeholder) can be split across a fold: both directions unfold the file, replace, and fold it
again.
"""

from __future__ import annotations

from core.errors import IntervistaError

PLACEHOLDER = "{{intervista:interview-link}}"
SHOWN_AFTER_DELIVERY = "[the candidate's personal link: delivered, not kept]"
SHOWN_WHEN_GONE = "[the candidate's personal link: not kept; Send again issues a new one]"
_FOLD_OCTETS = 75


class SecretLinkError(IntervistaError, ValueError):
    """The link is not in the message it should travel in."""

    code = "secret_link_invalid"


def unfold(ics: str) -> str:
    """RFC 5545 unfolding: a line break followed by one space or tab continues the line."""
    return ics.replace("\r\n ", "").replace("\r\n\t", "").replace("\n ", "").replace("\n\t", "")


def _fold_line(line: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    size, limit = 0, _FOLD_OCTETS
    for char in line:
        octets = len(char.encode())
        if size + octets > limit:  # never splits a UTF-8 sequence
            parts.append("".join(current))
            current, size, limit = [], 0, _FOLD_OCTETS - 1  # continuations start with a space
        current.append(char)
        size += octets
    parts.append("".join(current))
    return [parts[0], *(" " + p for p in parts[1:])]


def fold(ics: str) -> str:
    """Fold every line to at most 75 octets, CRLF line ends (as ``icalendar`` writes them)."""
    lines = ics.replace("\r\n", "\n").split("\n")
    return "\r\n".join(folded for line in lines for folded in _fold_line(line))


def _replace_in_ics(ics: str | None, old: str, new: str) -> str | None:
    if ics is None:
        return None
    flat = unfold(ics)
    return fold(flat.replace(old, new)) if old in flat else ics


def seal(body_text: str, ics: str | None, link: str) -> tuple[str, str | None]:
    """The message with ``PLACEHOLDER`` instead of ``link``. Raises SecretLinkError when the
    body does not contain the link (it would be sent without it)."""
    if not link or link not in body_text:
        raise SecretLinkError("the interview link is not in the message body")
    sealed = _replace_in_ics(ics, link, PLACEHOLDER)
    if sealed is not None and _escaped(link) in unfold(sealed):  # an escaped copy in a TEXT
        raise SecretLinkError("the interview link contains , ; or \\, which calendars escape")
    return body_text.replace(link, PLACEHOLDER), sealed


def _escaped(link: str) -> str:
    """The link as an iCalendar TEXT value (RFC 5545 §3.3.11)."""
    return link.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")


def needs_link(body_text: str, ics: str | None) -> bool:
    return PLACEHOLDER in body_text or (ics is not None and PLACEHOLDER in unfold(ics))


def unseal(body_text: str, ics: str | None, link: str) -> tuple[str, str | None]:
    """The message as the candidate receives it (runs wherever it is sent or shown)."""
    return body_text.replace(PLACEHOLDER, link), _replace_in_ics(ics, PLACEHOLDER, link)
