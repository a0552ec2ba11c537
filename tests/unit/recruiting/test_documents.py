"""Resume text extraction on real PDF/DOCX/TXT files built here, and on broken ones."""

from __future__ import annotations

import pytest

from core.recruiting.documents import (
    DocumentError,
    ExtractionLimits,
    extract_text,
    file_extension,
    human_size,
    normalise_whitespace,
    size_error,
)
from tests.support.sample_files import (
    billion_laughs_xml,
    docx_bomb,
    docx_with_document_xml,
    encrypt_pdf,
    make_docx,
    make_pdf,
    make_zip,
)

MB = 1024 * 1024


def test_pdf_text_from_every_page_in_order() -> None:
    data = make_pdf([["Aarav Sharma", "Python   developer"], ["Skills: SQL, Django"]])
    text = extract_text("cv.pdf", data, max_bytes=5 * MB)
    assert text.index("Aarav Sharma") < text.index("Python developer") < text.index("Django")
    assert "  " not in text


def test_pdf_pages_after_the_cap_are_ignored() -> None:
    data = make_pdf([[f"page number {i}"] for i in range(1, 6)])
    text = extract_text("cv.pdf", data, max_bytes=5 * MB, limits=ExtractionLimits(max_pages=2))
    assert "page number 2" in text
    assert "page number 3" not in text


def test_text_is_capped() -> None:
    data = ("word " * 10_000).encode()
    text = extract_text("cv.txt", data, max_bytes=MB, limits=ExtractionLimits(max_chars=1000))
    assert len(text) <= 1000
    assert text.startswith("word word")


def test_docx_paragraphs_tables_and_header() -> None:
    data = make_docx(
        ["Priya Patel", "Senior\tengineer"],
        table=[["Skill", "Years"], ["Go", "4"]],
        header="CONFIDENTIAL CV",
    )
    text = extract_text("Priya.DOCX", data, max_bytes=5 * MB)
    assert text.splitlines()[0] == "CONFIDENTIAL CV"
    assert "Priya Patel" in text
    assert "Senior engineer" in text
    assert text.index("Priya Patel") < text.index("Skill") < text.index("Go")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Café résumé\r\nline two".encode(), "Café résumé\nline two"),
        ("\ufeffWith BOM".encode(), "With BOM"),
        ("Latin-1 café".encode("latin-1"), "Latin-1 café"),
        ("UTF-16 naïve".encode("utf-16"), "UTF-16 naïve"),
        (b"a\x07b\n\n\n\n\nc   d\t\te", "ab\n\nc d e"),
    ],
)
def test_txt_decoding_and_normalisation(data: bytes, expected: str) -> None:
    assert extract_text("cv.txt", data, max_bytes=MB) == expected


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("cv.exe", b"MZ", "Resumes must be PDF, DOCX or TXT files; .exe is not supported."),
        ("cv", b"hello", "a file without an extension is not supported"),
        ("cv.doc", b"\xd0\xcf\x11\xe0", ".doc is not supported"),
        ("cv.pdf", b"", "The file is empty."),
        ("cv.pdf", b"hello, not a pdf", "The file is not a PDF"),
        ("cv.pdf", b"%PDF-1.7\n garbage garbage", "The PDF could not be read"),
        ("cv.docx", b"plain text pretending", "not a DOCX (Word 2007 or later)"),
        ("cv.docx", b"PK\x03\x04 truncated zip", "The DOCX file is damaged"),
        ("cv.txt", b"abc\x00\x01\x02", "does not look like plain text"),
        ("cv.txt", b"   \n\t  ", "No text could be found in the TXT file."),
    ],
)
def test_bad_files_are_refused_with_a_reason(filename: str, data: bytes, message: str) -> None:
    with pytest.raises(DocumentError) as caught:
        extract_text(filename, data, max_bytes=MB)
    assert message in str(caught.value)


def test_oversized_file_message_names_both_sizes() -> None:
    data = b"x" * int(7.2 * MB)
    with pytest.raises(DocumentError, match=r"^The file is 7\.2 MB; the limit is 5\.0 MB\.$"):
        extract_text("cv.txt", data, max_bytes=5 * MB)


def test_truncated_pdf_is_refused() -> None:
    data = make_pdf([["Some text"]])
    with pytest.raises(DocumentError, match=r"could not be read|No text could be found"):
        extract_text("cv.pdf", data[: len(data) // 3], max_bytes=MB)


def test_password_protected_pdf_is_refused() -> None:
    data = encrypt_pdf(make_pdf([["Secret CV"]]), user_password="s3cret")
    with pytest.raises(DocumentError, match="password-protected"):
        extract_text("cv.pdf", data, max_bytes=MB)


def test_pdf_with_only_an_owner_password_is_read() -> None:
    data = encrypt_pdf(make_pdf([["Open CV text"]]), user_password="")
    assert "Open CV text" in extract_text("cv.pdf", data, max_bytes=MB)


def test_scanned_looking_pdf_without_text_is_refused() -> None:
    with pytest.raises(DocumentError, match="scanned image"):
        extract_text("cv.pdf", make_pdf([[]]), max_bytes=MB)


def test_truncated_docx_is_refused() -> None:
    data = make_docx(["Hello"])
    with pytest.raises(DocumentError, match="DOCX"):
        extract_text("cv.docx", data[: len(data) // 2], max_bytes=MB)


def test_zip_without_word_document_is_not_a_docx() -> None:
    data = make_zip({"hello.txt": b"hi"})
    with pytest.raises(DocumentError, match="not a DOCX"):
        extract_text("cv.docx", data, max_bytes=MB)


def test_docx_with_garbage_xml_is_refused() -> None:
    data = make_zip({"[Content_Types].xml": b"<nope", "word/document.xml": b"<<<"})
    with pytest.raises(DocumentError, match="could not be read"):
        extract_text("cv.docx", data, max_bytes=MB)


def test_xml_entity_bomb_docx_is_refused() -> None:
    data = docx_with_document_xml(billion_laughs_xml())
    with pytest.raises(DocumentError, match="could not be read"):
        extract_text("cv.docx", data, max_bytes=MB)


def test_docx_read_from_replaced_document_xml() -> None:
    xml = (
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body><w:p><w:r><w:t>Hand made</w:t></w:r></w:p></w:body></w:document>"
    )
    assert extract_text("cv.docx", docx_with_document_xml(xml), max_bytes=MB) == "Hand made"


def test_zip_bomb_docx_is_refused_before_unpacking() -> None:
    data = docx_bomb(20 * MB)
    assert len(data) < 100_000
    with pytest.raises(DocumentError, match="unpacks to too much data"):
        extract_text("cv.docx", data, max_bytes=MB)


@pytest.mark.parametrize(
    ("name", "ext"),
    [
        ("CV.PDF", ".pdf"),
        ("my.cv.docx", ".docx"),
        ("../../etc/passwd", ""),
        ("C:\\Users\\me\\cv.txt", ".txt"),
        (".bashrc", ""),
        ("folder.pdf/cv", ""),
        ("cv.PDF  ", ".pdf"),
    ],
)
def test_file_extension(name: str, ext: str) -> None:
    assert file_extension(name) == ext


@pytest.mark.parametrize(
    ("size", "limit", "message"),
    [
        (int(7.2 * MB), 5 * MB, "The file is 7.2 MB; the limit is 5.0 MB."),
        (2048, 1024, "The file is 2.0 KB; the limit is 1.0 KB."),
        (5 * MB + 10, 5 * MB, "The file is 5,242,890 bytes; the limit is 5,242,880 bytes."),
    ],
)
def test_size_error(size: int, limit: int, message: str) -> None:
    assert size_error(size, limit) == message


def test_human_size_small() -> None:
    assert human_size(12) == "12 bytes"


def test_normalise_whitespace_keeps_single_blank_lines() -> None:
    assert normalise_whitespace(" a \n\n b\x0c c ") == "a\n\nb\nc"
