"""Real sample documents built at test time (reportlab PDFs, python-docx DOCX files, zips)."""

from __future__ import annotations

import io
import zipfile

import docx
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas


def make_pdf(pages: list[list[str]]) -> bytes:
    """A real PDF with one page per list of text lines."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    for lines in pages:
        y = 800
        for line in lines:
            pdf.drawString(72, y, line)
            y -= 16
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def encrypt_pdf(data: bytes, user_password: str) -> bytes:
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password="owner-secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def make_docx(
    paragraphs: list[str], *, table: list[list[str]] | None = None, header: str = ""
) -> bytes:
    """A real DOCX with paragraphs, an optional table after them and an optional page header."""
    document = docx.Document()
    if header:
        document.sections[0].header.is_linked_to_previous = False
        document.sections[0].header.paragraphs[0].text = header
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def docx_bomb(unpacked_bytes: int = 20 * 1024 * 1024) -> bytes:
    """A zip with DOCX part names whose document.xml unpacks to ``unpacked_bytes`` (zeros)."""
    return make_zip(
        {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
            "word/document.xml": b"0" * unpacked_bytes,
        }
    )


def docx_with_document_xml(xml: bytes) -> bytes:
    """A real DOCX whose ``word/document.xml`` is replaced by ``xml``."""
    with zipfile.ZipFile(io.BytesIO(make_docx(["placeholder"]))) as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    members["word/document.xml"] = xml
    return make_zip(members)


def billion_laughs_xml() -> bytes:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">'
        for i in range(1, 10)
    )
    return (
        f'<?xml version="1.0"?><!DOCTYPE lolz [{entities}]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
    ).encode()


def wav_bytes(seconds: float = 0.5, rate: int = 16_000, sample: bytes = b"\x10\x00") -> bytes:
    """A mono 16-bit WAV of ``seconds`` of one repeated sample (a faint constant signal;
    ``b"\\x00\\x00"``: digital silence)."""
    import wave

    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(sample * int(rate * seconds))
    return buffer.getvalue()
