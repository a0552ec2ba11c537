"""Resume text extraction: PDF (pypdf), DOCX (python-docx) and plain text.

Everything here is pure and synchronous; call it on the thread handling the upload. Bad files
raise ``DocumentError`` with a message that can be shown to the recruiter as is.
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from core.errors import IntervistaError

logger = logging.getLogger(__name__)

SUPPORTED_RESUME_TYPES = (".pdf", ".docx", ".txt")


class DocumentError(IntervistaError, ValueError):
    """The file cannot be used; the message says why and is safe to show."""

    code = "document_invalid"


@dataclass(frozen=True)
class ExtractionLimits:
    """Caps on the work spent on one file (protects against huge or hostile documents)."""

    max_pages: int = 50  # PDF pages read; later pages are ignored
    max_chars: int = 200_000  # extracted text is cut here
    max_docx_unpacked_bytes: int = 50 * 1024 * 1024  # sum of the DOCX's unpacked parts
    max_docx_parts: int = 2_000
    max_docx_ratio: int = 200  # unpacked/packed ratio above which a DOCX is a zip bomb


DEFAULT_LIMITS = ExtractionLimits()


def human_size(n: int) -> str:
    """``5242880`` → ``"5.0 MB"``; small sizes in KB or bytes."""
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n} bytes"


def size_error(size: int, limit: int) -> str:
    shown, shown_limit = human_size(size), human_size(limit)
    if shown == shown_limit:  # 5.04 MB vs 5.0 MB would read "5.0 MB; the limit is 5.0 MB"
        shown, shown_limit = f"{size:,} bytes", f"{limit:,} bytes"
    return f"The file is {shown}; the limit is {shown_limit}."


def file_extension(filename: str) -> str:
    """The lower-case extension of the last path component (``""`` if none)."""
    base = re.split(r"[\\/]", filename)[-1].strip()
    dot = base.rfind(".")
    return base[dot:].lower() if dot > 0 else ""


def extract_text(
    filename: str, data: bytes, *, max_bytes: int, limits: ExtractionLimits = DEFAULT_LIMITS
) -> str:
    """Return the normalised text of a resume, or raise DocumentError saying what is wrong."""
    ext = file_extension(filename)
    if ext not in SUPPORTED_RESUME_TYPES:
        shown = ext or "a file without an extension"
        raise DocumentError(f"Resumes must be PDF, DOCX or TXT files; {shown} is not supported.")
    if not data:
        raise DocumentError("The file is empty.")
    if len(data) > max_bytes:
        raise DocumentError(size_error(len(data), max_bytes))
    if ext == ".pdf":
        raw = _pdf_text(data, limits)
    elif ext == ".docx":
        raw = _docx_text(data, limits)
    else:
        raw = _txt_text(data)
    text = normalise_whitespace(raw)[: limits.max_chars].rstrip()
    if not text:
        kind = ext[1:].upper()
        hint = " (is it a scanned image?)" if ext == ".pdf" else ""
        raise DocumentError(
            f"No text could be found in the {kind} file{hint}. Upload a file with selectable text."
        )
    return text


_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def normalise_whitespace(text: str) -> str:
    """Unify line ends, drop control characters, collapse runs of spaces and blank lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0c", "\n")
    text = "".join(
        ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs")
    )
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _pdf_text(data: bytes, limits: ExtractionLimits) -> str:
    from pypdf import PdfReader

    if b"%PDF-" not in data[:1024]:
        raise DocumentError("The file is not a PDF (it has no PDF header).")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentError("The PDF is password-protected. Upload a copy without a password.")
        parts: list[str] = []
        total = 0
        for index, page in enumerate(reader.pages):
            if index >= limits.max_pages or total >= limits.max_chars:
                break
            chunk = page.extract_text() or ""
            parts.append(chunk)
            total += len(chunk)
        return "\n\n".join(parts)
    except DocumentError:
        raise
    except Exception as exc:  # pypdf raises many types on damaged files
        logger.info("unreadable PDF: %s: %s", type(exc).__name__, exc)
        raise DocumentError("The PDF could not be read; it may be damaged or incomplete.") from exc


def _check_docx_zip(data: bytes, limits: ExtractionLimits) -> None:
    not_docx = (
        "The file is not a DOCX (Word 2007 or later) document. Old .doc files are not "
        "supported: save it as DOCX or PDF."
    )
    if not data.startswith(b"PK"):
        raise DocumentError(not_docx)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise DocumentError("The DOCX file is damaged (it is not a readable zip).") from exc
    names = {info.filename for info in infos}
    if "word/document.xml" not in names:
        raise DocumentError(not_docx)
    unpacked = sum(info.file_size for info in infos)
    if (
        len(infos) > limits.max_docx_parts
        or unpacked > limits.max_docx_unpacked_bytes
        or unpacked > limits.max_docx_ratio * len(data)
    ):
        raise DocumentError("The DOCX file unpacks to too much data to be a resume.")


def _docx_text(data: bytes, limits: ExtractionLimits) -> str:
    _check_docx_zip(data, limits)
    import docx
    from docx.oxml.ns import qn

    try:
        document = docx.Document(io.BytesIO(data))
        parts: list[str] = []
        for section in document.sections:
            if not section.header.is_linked_to_previous:
                parts.extend(p.text for p in section.header.paragraphs)
        # Every paragraph in document order, including those inside tables.
        parts.extend(p.text for p in document.element.body.iter(qn("w:p")))
        return "\n".join(parts)
    except Exception as exc:  # python-docx/lxml raise many types on damaged files
        logger.info("unreadable DOCX: %s: %s", type(exc).__name__, exc)
        raise DocumentError("The DOCX file could not be read; it may be damaged.") from exc


_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def _txt_text(data: bytes) -> str:
    if data.startswith(_UTF16_BOMS):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise DocumentError("The text file is not valid UTF-16.") from exc
    if b"\x00" in data:
        raise DocumentError("The file does not look like plain text (it contains binary data).")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")
