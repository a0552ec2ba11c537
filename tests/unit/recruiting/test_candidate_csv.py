"""CSV parsing for candidate import: every row either accepted or reported with line and reason."""

from __future__ import annotations

import pytest

from core.recruiting.candidates import CandidateError, CandidateInput, RowError, parse_candidate_csv


def _parse(text: str, **kwargs: int) -> tuple[list[tuple[int, CandidateInput]], list[RowError]]:
    return parse_candidate_csv(text.encode("utf-8"), **kwargs)


def test_good_and_bad_rows_with_exact_lines_and_reasons() -> None:
    text = (
        "full_name,email,phone,timezone,notes\n"  # 1
        "Ann Lee,ann@example.com,,Asia/Kolkata,\n"  # 2
        "\n"  # 3 (blank: skipped)
        "Bob,not-an-email,,,\n"  # 4
        ",nameless@example.com,,,\n"  # 5
        "Ann Again,ANN@example.com,,,\n"  # 6
        '"Multi\nLine Name",multi@example.com,,,"note, with comma"\n'  # 7-8
        "Zed,zed@example.com,,Mars/Base,\n"  # 9
        "Wide,wide@example.com,,,,extra\n"  # 10
        "Trailing,trailing@example.com,,,,,\n"  # 11 (empty extra cells are fine)
        "Phone,phone@example.com,abc,,\n"  # 12
    )
    good, errors = _parse(text)
    assert [(line, c.email) for line, c in good] == [
        (2, "ann@example.com"),
        (7, "multi@example.com"),
        (11, "trailing@example.com"),
    ]
    assert good[0][1].timezone == "Asia/Kolkata"
    assert good[1][1] == CandidateInput(
        "Multi Line Name", "multi@example.com", "", "", "note, with comma"
    )
    assert errors == [
        RowError(4, "not-an-email", "'not-an-email' is not a valid email address."),
        RowError(5, "nameless@example.com", "A full name is required."),
        RowError(6, "ann@example.com", "The email ann@example.com also appears on line 2."),
        RowError(
            9,
            "zed@example.com",
            "Unknown time zone 'Mars/Base'; use an IANA name like Europe/Berlin.",
        ),
        RowError(10, "wide@example.com", "The row has 6 values but the header has 5 columns."),
        RowError(12, "phone@example.com", "'abc' is not a valid phone number."),
    ]


@pytest.mark.parametrize(
    ("raw", "emails"),
    [
        ("\ufeffName,Email\nAnn,a@x.io\n", ["a@x.io"]),  # Excel's UTF-8 BOM, "name" alias
        ("E-Mail;Full Name\na@x.io;Ann\n", ["a@x.io"]),  # semicolons, spaced/hyphenated headers
        ("email\tname\r\na@x.io\tAnn\r\nb@x.io\tBob\r\n", ["a@x.io", "b@x.io"]),  # tabs, CRLF
        ("name,email,linkedin\nAnn,a@x.io,https://x\n", ["a@x.io"]),  # unknown column ignored
        ("name,email\nAnn,a@x.io", ["a@x.io"]),  # no final newline
        ("name,email\n", []),  # header only
        ("name,email,phone\nAnn,a@x.io\n", ["a@x.io"]),  # short row: missing cells are empty
    ],
)
def test_header_and_format_variants(raw: str, emails: list[str]) -> None:
    good, errors = _parse(raw)
    assert errors == []
    assert [c.email for _, c in good] == emails


def test_utf16_with_bom_is_read() -> None:
    good, _ = parse_candidate_csv("name,email\nJosé,jose@x.io\n".encode("utf-16"))
    assert good[0][1].full_name == "José"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"  \n \n", "The file is empty."),
        (b"%PDF-1.7\x00\x01binary", "contains binary data"),
        ("name,email\nJosé,j@x.io\n".encode("cp1252"), "is not UTF-8 text"),
        (
            b"name,phone\nAnn,123\n",
            "at least the columns full_name (or name) and email; found: name, phone",
        ),
        (b"Ann,ann@x.io\nBob,bob@x.io\n", "found: Ann, ann@x.io"),
        (b"name,email,name\nAnn,a@x.io,A\n", "The header names the column 'full_name' twice."),
        (b'name,email\n"Ann"x,a@x.io\n', "The file is not a readable CSV (line 2)"),
        (b'{"name": "Ann", "email": "a@x.io"}', "must be a header"),
    ],
)
def test_file_level_problems(data: bytes, message: str) -> None:
    with pytest.raises(CandidateError) as caught:
        parse_candidate_csv(data)
    assert message in str(caught.value)


def test_too_many_rows_is_refused_as_a_whole() -> None:
    rows = "".join(f"P{i},p{i}@x.io\n" for i in range(4))
    assert len(_parse("name,email\n" + rows, max_rows=4)[0]) == 4
    with pytest.raises(CandidateError, match=r"more than 3 rows; split it into smaller files"):
        _parse("name,email\n" + rows, max_rows=3)


def test_blank_lines_do_not_count_as_rows() -> None:
    good, _ = _parse("name,email\n\n,\n\nAnn,a@x.io\n\n", max_rows=1)
    assert good == [(5, CandidateInput("Ann", "a@x.io"))]


def test_oversized_file_is_refused_before_reading() -> None:
    data = b"name,email\n" + b"Ann,a@x.io\n" * 200
    with pytest.raises(CandidateError, match=r"^The file is 2\.2 KB; the limit is 1\.0 KB\.$"):
        parse_candidate_csv(data, max_bytes=1024)
