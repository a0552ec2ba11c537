"""What a new staff password must be: the rules, without the error machinery.

A password has 10 to 1024 characters, is not all whitespace, and is not guessable from a short
list (``common_passwords.txt``: well-known passwords, the words they are built on, and this
product's name) or from its structure:

- ``password_too_long`` is checked first, on the length alone: a megabyte of text is refused
  before anything looks at it (and long before argon2 would spend seconds on it);
- ``password_repetitive``: one short piece repeated (``aaaaaaaaaa``, ``abcabcabcabc``);
- ``password_sequence``: at most three runs along a keyboard row, the alphabet or the digits,
  forwards or backwards (``1234567890``, ``qwertyuiop``, ``qwerty12345``, ``1q2w3e4r5t``);
- ``password_common``: a listed password, or a listed word with digits and symbols around it,
  letters swapped for look-alikes, or repeated (``password12``, ``P@ssw0rd!``, ``letmein2024``);
- ``password_contains_email``: the email's name part with fewer than 10 other characters
  (``jane.doejane.doe``, ``jane.doe2024!``).

Pure functions: :func:`problem` answers with the first rule broken (a stable code and a message
for people), or ``None``. :func:`core.staff.auth.validate_new_password` raises it as an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Final

MIN_LENGTH: Final = 10
MAX_LENGTH: Final = 1024
DENY_LIST: Final = Path(__file__).with_name("common_passwords.txt")

# Runs a person types without thinking: keyboard rows (and columns), the alphabet, the digits.
_SEQUENCES: Final = (
    "abcdefghijklmnopqrstuvwxyz",
    "01234567890",
    "`1234567890-=",
    "~!@#$%^&*()_+",
    "qwertyuiop[]\\",
    "asdfghjkl;'",
    "zxcvbnm,./",
    "qwertzuiop",  # German and French layouts
    "azertyuiop",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
    "1q2w3e4r5t6y7u8i9o0p",
    "qazwsxedcrfvtgbyhnujmikolp",
)
_LOOKALIKES: Final = str.maketrans(
    {"0": "o", "1": "i", "!": "i", "|": "i", "3": "e", "4": "a", "@": "a", "5": "s", "$": "s",
     "7": "t", "+": "t", "8": "b", "9": "g"}
)  # fmt: skip
_DECORATION: Final = re.compile(r"^[\W\d_]+|[\W\d_]+$")  # digits and symbols at either end
_NOT_LETTERS: Final = re.compile(r"[\W\d_]+")


@dataclass(frozen=True)
class PasswordProblem:
    """Why a password is refused: a stable ``code`` and a ``message`` for the person typing."""

    code: str
    message: str


TOO_LONG = PasswordProblem(
    "password_too_long", f"The password must have at most {MAX_LENGTH} characters."
)
TOO_SHORT = PasswordProblem(
    "password_too_short", f"The password must have at least {MIN_LENGTH} characters."
)
BLANK = PasswordProblem("password_blank", "The password cannot be only spaces.")
REPETITIVE = PasswordProblem(
    "password_repetitive",
    "The password is one short piece repeated (like 'aaaaaaaaaa'). Try a few unrelated words.",
)
SEQUENCE = PasswordProblem(
    "password_sequence",
    "The password is a keyboard or number sequence (like '1234567890' or 'qwertyuiop'). "
    "Try a few unrelated words.",
)
COMMON = PasswordProblem(
    "password_common",
    "The password is too common (a well-known password, or one with digits or symbols added). "
    "Try a few unrelated words.",
)
CONTAINS_EMAIL = PasswordProblem(
    "password_contains_email",
    "The password is mostly your email address's name. Add at least 10 other characters, or "
    "choose another.",
)
ALL_PROBLEMS: Final = (
    TOO_LONG,
    TOO_SHORT,
    BLANK,
    REPETITIVE,
    SEQUENCE,
    COMMON,
    CONTAINS_EMAIL,
)


@cache
def denied() -> frozenset[str]:
    """The deny-list, lower-cased (comment lines start with #)."""
    lines = DENY_LIST.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip().lower() for w in lines if w.strip() and not w.startswith("#"))


def _period(text: str, longest: int) -> str | None:
    """The shortest piece (at most ``longest`` characters) ``text`` repeats, if it repeats one."""
    for size in range(1, min(longest, len(text) // 2) + 1):
        unit = text[:size]
        if (unit * (len(text) // size + 1))[: len(text)] == text:
            return unit
    return None


def _is_repetitive(text: str) -> bool:
    return len(set(text)) <= 2 or _period(text, 5) is not None


def _run_length(text: str, start: int) -> int:
    """The longest run from ``start`` along any sequence, forwards or backwards."""
    best = 1
    for seq in _SEQUENCES:
        for line in (seq, seq[::-1]):
            pos = line.find(text[start])
            while pos >= 0:
                n = 1
                while (
                    start + n < len(text)
                    and pos + n < len(line)
                    and text[start + n] == line[pos + n]
                ):
                    n += 1
                best = max(best, n)
                pos = line.find(text[start], pos + 1)
    return best


def _is_sequence(text: str) -> bool:
    """Covered by at most three runs of at least three keys along a sequence."""
    squeezed = "".join(text.split())
    runs, i = 0, 0
    while i < len(squeezed):
        n = _run_length(squeezed, i)
        if n < 3:
            return False
        runs, i = runs + 1, i + n
    return 0 < runs <= 3


def _is_common(text: str) -> bool:
    if text in denied() or "".join(text.split()) in denied():
        return True
    core = _DECORATION.sub("", text).translate(_LOOKALIKES)
    core = _NOT_LETTERS.sub("", core)
    if not core:
        return False
    unit = _period(core, len(core)) or core
    return core in denied() or unit in denied()


def _is_mostly_email(text: str, email: str) -> bool:
    local = email.strip().lower().partition("@")[0]
    names = {local, local.partition("+")[0]}
    for name in sorted((n for n in names if len(n) >= 3), key=len, reverse=True):
        if name in text and len(text.replace(name, "").strip()) < MIN_LENGTH:
            return True
    return False


def problem(password: str, *, email: str = "") -> PasswordProblem | None:
    """The first rule ``password`` breaks (``email``: the account's, for its name part)."""
    if len(password) > MAX_LENGTH:  # first: nothing below ever looks at a huge text
        return TOO_LONG
    if len(password) < MIN_LENGTH:
        return TOO_SHORT
    if not password.strip():
        return BLANK
    text = password.lower()
    if _is_repetitive(text):
        return REPETITIVE
    if _is_sequence(text):
        return SEQUENCE
    if _is_common(text):
        return COMMON
    if email and _is_mostly_email(text, email):
        return CONTAINS_EMAIL
    return None


def rules_summary() -> str:
    """One line for forms: what a password needs."""
    return (
        f"{MIN_LENGTH} to {MAX_LENGTH} characters; not a common password, a keyboard sequence, "
        "a repeated character or your email's name. A few unrelated words work well."
    )
