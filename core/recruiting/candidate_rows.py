"""Validating candidate data (pure): one record at a time, and whole CSV files row by row.

Re-exported by ``core.recruiting.candidates``; import from there.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from core.errors import IntervistaError
from core.recruiting.documents import size_error

MAX_NOTES_CHARS = 20_000
MAX_CSV_BYTES = 20 * 1024 * 1024
_EMAIL = re.compile(
    r"^(?!\.)(?!.*\.\.)[^@\s\"(),:;<>\[\\\]]{1,64}(?<!\.)"
    r"@(?=.{1,253}$)(?:[^\W_](?:(?:[^\W_]|-){0,61}[^\W_])?\.)+[^\W\d_]{2,63}$"
)
_PHONE = re.compile(r"^\+?[0-9 ()./-]+(?:\s*(?:x|ext\.?)\s*[0-9]{1,6})?$", re.IGNORECASE)


class CandidateError(IntervistaError, ValueError):
    """A user-facing problem with candidate data; the message is safe to show."""

    code = "candidate_invalid"


@dataclass(frozen=True)
class CandidateInput:
    full_name: str
    email: str
    phone: str = ""
    timezone: str = ""  # IANA name, or "" for the organisation default
    notes: str = ""


@dataclass(frozen=True)
class RowError:
    line: int  # 1-based line number in the file (header = line 1)
    email: str
    reason: str


# One record ---------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _zones_by_lower_name() -> dict[str, str]:
    return {name.lower(): name for name in available_timezones()}


def normalise_timezone(value: str) -> str:
    """Return the canonical IANA name ("" stays ""), or raise CandidateError."""
    value = value.strip()
    if not value:
        return ""
    zones = _zones_by_lower_name()
    canonical = zones.get(value.lower())
    if not zones:  # a platform without a zone list: ask zoneinfo directly
        try:
            ZoneInfo(value)
            canonical = value
        except (ZoneInfoNotFoundError, ValueError, OSError):  # "Asia" is a folder: OSError
            pass
    if canonical is None:
        raise CandidateError(f"Unknown time zone {value!r}; use an IANA name like Europe/Berlin.")
    return canonical


def normalise_email(value: str) -> str:
    email = value.strip().lower()
    if not email:
        raise CandidateError("An email address is required.")
    if len(email) > 254 or not _EMAIL.match(email):
        raise CandidateError(f"{value.strip()!r} is not a valid email address.")
    return email


def validate_candidate(data: CandidateInput) -> CandidateInput:
    """Return the input cleaned (trimmed, email lower-cased, zone canonical) or raise."""
    name = " ".join(data.full_name.split())
    if not name:
        raise CandidateError("A full name is required.")
    if len(name) > 200:
        raise CandidateError("The full name is longer than 200 characters.")
    email = normalise_email(data.email)
    phone = data.phone.strip()
    if phone and (len(phone) > 40 or not _PHONE.match(phone) or sum(map(str.isdigit, phone)) < 5):
        raise CandidateError(f"{phone!r} is not a valid phone number.")
    notes = data.notes.strip()
    if len(notes) > MAX_NOTES_CHARS:
        raise CandidateError(f"The notes are longer than {MAX_NOTES_CHARS:,} characters.")
    return CandidateInput(name, email, phone, normalise_timezone(data.timezone), notes)


# CSV files ---------------------------------------------------------------------------------
_HEADER_ALIASES = {
    "full_name": "full_name",
    "name": "full_name",
    "email": "email",
    "e_mail": "email",
    "email_address": "email",
    "phone": "phone",
    "timezone": "timezone",
    "time_zone": "timezone",
    "notes": "notes",
}
_BLANK = CandidateInput("", "")


def _decode_csv(data: bytes) -> str:
    if not data.strip():
        raise CandidateError("The file is empty.")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise CandidateError("The file is not valid UTF-16 text.") from exc
    if b"\x00" in data:
        raise CandidateError("The file is not a CSV file (it contains binary data).")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CandidateError(
            f"The file is not UTF-8 text (bad byte at position {exc.start}). "
            "In Excel, save it as 'CSV UTF-8'."
        ) from exc


def _header_columns(first_line: str) -> tuple[str, list[str | None]]:
    """Pick the delimiter that yields the required columns; map each column to a field."""
    found: list[str] = []
    for delimiter in (",", ";", "\t"):
        cells = next(csv.reader([first_line], delimiter=delimiter), [])
        keys = [re.sub(r"[\s-]+", "_", c.strip().lower()) for c in cells]
        fields = [_HEADER_ALIASES.get(k) for k in keys]
        if "email" in fields and "full_name" in fields:
            for field in set(fields) - {None}:
                if fields.count(field) > 1:
                    raise CandidateError(f"The header names the column {field!r} twice.")
            return delimiter, fields
        found = found or [c.strip() for c in cells if c.strip()]
    raise CandidateError(
        "The first line must be a header with at least the columns full_name (or name) "
        f"and email; found: {', '.join(found[:10]) or 'nothing'}."
    )


def parse_candidate_csv(
    data: bytes, *, max_rows: int = 5000, max_bytes: int = MAX_CSV_BYTES
) -> tuple[list[tuple[int, CandidateInput]], list[RowError]]:
    """Validate every row (pure): good rows with their line numbers, and bad rows with reasons.

    Duplicates inside the file are reported here; duplicates of stored candidates are not.
    """
    if len(data) > max_bytes:
        raise CandidateError(size_error(len(data), max_bytes))
    text = _decode_csv(data)
    first_line = re.match(r"[^\r\n]*", text)
    delimiter, fields = _header_columns(first_line.group(0) if first_line else "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    good: list[tuple[int, CandidateInput]] = []
    errors: list[RowError] = []
    first_line_of: dict[str, int] = {}
    rows = 0
    try:
        next(reader)
        line = reader.line_num + 1
        for cells in reader:
            start, line = line, reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue
            rows += 1
            if rows > max_rows:
                raise CandidateError(
                    f"The file has more than {max_rows:,} rows; split it into smaller files."
                )
            values = {f: c for f, c in zip(fields, cells, strict=False) if f is not None}
            raw_email = values.get("email", "").strip()
            if any(c.strip() for c in cells[len(fields) :]):
                reason = (
                    f"The row has {len(cells)} values but the header has {len(fields)} columns."
                )
                errors.append(RowError(start, raw_email, reason))
                continue
            try:
                clean = validate_candidate(replace(_BLANK, **values))
            except CandidateError as exc:
                errors.append(RowError(start, raw_email, str(exc)))
                continue
            if clean.email in first_line_of:
                reason = (
                    f"The email {clean.email} also appears on line {first_line_of[clean.email]}."
                )
                errors.append(RowError(start, clean.email, reason))
                continue
            first_line_of[clean.email] = start
            good.append((start, clean))
    except csv.Error as exc:
        raise CandidateError(
            f"The file is not a readable CSV (line {reader.line_num}): {exc}."
        ) from exc
    return good, errors
